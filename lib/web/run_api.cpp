// RunApi (see run_api.hpp).
#include "web/run_api.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>

#include <fmt/format.h>

#include <logstream/error.hpp>
#include <logstream/search.hpp>

#include "json/metric_json.hpp"
#include "json/run_json.hpp"
#include "json/stored_run_json.hpp"
#include "store/line_index.hpp"
#include "store/run_directory.hpp"
#include "web/file_stream.hpp"
#include "web/metric_series.hpp"

namespace logstream::web {
namespace {

constexpr std::size_t show_last_lines = 20;
// A page of lines ends after the line that brings its texts past this (long lines: fewer).
constexpr std::size_t max_page_bytes = 8 << 20;

// "/api/runs/ID/lines" -> {"ID", "lines"}; "/api/runs/ID" -> {"ID", ""}.
struct RunPath {
  std::string_view id;
  std::string_view rest;
};

std::optional<RunPath> run_path(std::string_view path) {
  constexpr std::string_view prefix = "/api/runs/";
  if (!path.starts_with(prefix)) return std::nullopt;
  path.remove_prefix(prefix.size());
  const auto slash = path.find('/');
  RunPath out{path.substr(0, slash), slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1)};
  if (out.id.empty() || out.rest.find('/') != std::string_view::npos) return std::nullopt;
  return out;
}

HttpResponse bad_param(const ParamError& e) { return error_response(400, e.message); }

}  // namespace

std::variant<std::optional<std::uint64_t>, ParamError> unsigned_param(const HttpRequest& request, std::string_view name) {
  const std::string* text = request.param(name);
  if (!text) return std::optional<std::uint64_t>{};
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc{} || end != text->data() + text->size())
    return ParamError{fmt::format("{}: '{}' is not a non-negative integer", name, *text)};
  return std::optional<std::uint64_t>{value};
}

RunApi::RunApi(const RunStore& store, EventStreamOptions events) : store_(store), events_(events) {}

Answer RunApi::get(const HttpRequest& request) const {
  if (request.path == "/api/runs" || request.path == "/api/runs/") return runs(request);
  if (request.path == "/api/search") return search(request);
  const auto path = run_path(request.path);
  if (!path) return error_response(404, fmt::format("no such API path: {}", request.path));
  auto found = lookup(path->id);
  if (auto* error = std::get_if<HttpResponse>(&found)) return std::move(*error);
  const RunRecord& record = std::get<RunRecord>(found);
  if (path->rest.empty()) return run(record);
  if (path->rest == "lines") return lines(record, request);
  if (path->rest == "events") return events(record, request);
  if (path->rest == "metrics") return metrics(record, request);
  if (path->rest == "log") return log(record);
  return error_response(404, fmt::format("no such API path: {}", request.path));
}

bool RunApi::is_stop(std::string_view path) {
  const auto parsed = run_path(path);
  return parsed && parsed->rest == "stop";
}

HttpResponse RunApi::stop(const HttpRequest& request) const {
  const auto path = run_path(request.path);
  if (!path || path->rest != "stop") return error_response(404, fmt::format("no such API path: {}", request.path));
  auto found = lookup(path->id);
  if (auto* error = std::get_if<HttpResponse>(&found)) return std::move(*error);
  const RunRecord& record = std::get<RunRecord>(found);
  if (record.state != RunState::running)
    return error_response(409, fmt::format("run {} is not running ({})", record.id, to_string(record.state)));
  if (!store_.signal(record, SIGTERM))
    return error_response(409, fmt::format("run {} has no process on this machine to stop", record.id));
  // Accepted: the run ends as its recorder sees the child go (its events stream says when).
  return json_response(json::dump(json::Json{{"id", record.id}, {"signal", "SIGTERM"}}), 202);
}

std::variant<RunRecord, HttpResponse> RunApi::lookup(std::string_view id) const {
  try {
    if (auto run = store_.get(id)) return std::move(*run);
    return store_.find(id);
  } catch (const RunLookupError& e) {
    if (!e.ambiguous()) return error_response(404, e.what());
    HttpResponse response = error_response(409, e.what());
    response.body = json::dump(json::Json{{"error", e.what()}, {"candidates", e.candidates()}}) + "\n";
    return response;
  }
}

HttpResponse RunApi::runs(const HttpRequest& request) const {
  RunQuery query;
  if (const std::string* running = request.param("running")) query.running_only = *running != "0" && *running != "false";
  if (const std::string* group = request.param("group")) query.group = *group;
  auto limit = unsigned_param(request, "limit");
  if (auto* e = std::get_if<ParamError>(&limit)) return bad_param(*e);
  if (auto n = std::get<std::optional<std::uint64_t>>(limit)) query.limit = static_cast<std::size_t>(*n);
  json::Json array = json::Json::array();
  for (const RunRecord& r : store_.list(query)) array.push_back(json::run_json(r, false));
  return json_response(json::dump(array));
}

namespace {
bool flag_param(const HttpRequest& request, std::string_view name) {
  const std::string* value = request.param(name);
  return value && *value != "0" && *value != "false" && *value != "";
}
}  // namespace

HttpResponse RunApi::search(const HttpRequest& request) const {
  const std::string* q = request.param("q");
  if (!q || q->empty()) return error_response(400, "q: the text to search for is missing");
  SearchOptions options{.pattern = *q, .fixed_strings = !flag_param(request, "regex"), .ignore_case = flag_param(request, "i")};
  auto limit_param = unsigned_param(request, "limit");
  if (auto* e = std::get_if<ParamError>(&limit_param)) return bad_param(*e);
  auto skip_param = unsigned_param(request, "skip");
  if (auto* e = std::get_if<ParamError>(&skip_param)) return bad_param(*e);
  auto context_param = unsigned_param(request, "context");
  if (auto* e = std::get_if<ParamError>(&context_param)) return bad_param(*e);
  const std::uint64_t limit = std::clamp<std::uint64_t>(std::get<std::optional<std::uint64_t>>(limit_param).value_or(default_search_limit), 1, max_search_limit);
  const std::uint64_t skip = std::get<std::optional<std::uint64_t>>(skip_param).value_or(0);
  options.before = options.after = static_cast<std::size_t>(std::min<std::uint64_t>(std::get<std::optional<std::uint64_t>>(context_param).value_or(0), max_search_context));
  // One more than asked for tells whether there is a next page.
  options.max_matches = skip + limit + 1;
  std::vector<RunRecord> runs;
  if (const std::string* run = request.param("run"); run && !run->empty()) {
    auto found = lookup(*run);
    if (auto* error = std::get_if<HttpResponse>(&found)) return std::move(*error);
    runs.push_back(std::move(std::get<RunRecord>(found)));
  } else {
    runs = store_.list({});
    std::reverse(runs.begin(), runs.end());  // oldest first, as `logstream search`
  }
  std::optional<LineSearch> search;
  try {
    search.emplace(options);
  } catch (const PatternError& e) {
    return error_response(400, e.what());
  }
  json::Json hits = json::Json::array();
  json::Json errors = json::Json::array();
  std::uint64_t matches = 0;
  bool more = false;
  // Context lines wait for the match they go with: a page holds its own matches' context only.
  std::vector<std::pair<std::uint64_t, json::Json>> context;  // (index, line)
  bool last_in_page = false;
  std::uint64_t last_index = 0;
  const auto keep_context = [&](bool next_in_page, std::uint64_t next_index) {
    for (auto& [index, line] : context) {
      const bool after_last = last_in_page && index <= last_index + options.after;
      const bool before_next = next_in_page && index + options.before >= next_index;
      if (after_last || before_next) hits.push_back(std::move(line));
    }
    context.clear();
  };
  for (const RunRecord& record : runs) {
    if (search->done()) break;
    try {
      search->search(record, [&](const SearchHit& hit) {
        if (!hit.match) {
          context.emplace_back(hit.index, json::search_hit_json(hit));
          return;
        }
        ++matches;
        const bool in_page = matches > skip && matches <= skip + limit;
        more = more || matches > skip + limit;
        keep_context(in_page, hit.index);
        if (in_page) hits.push_back(json::search_hit_json(hit));
        last_in_page = in_page;
        last_index = hit.index;
      });
    } catch (const StoreError& e) {
      errors.push_back(json::Json{{"run", record.id}, {"error", e.what()}});
    }
    keep_context(false, 0);  // the run's last match's after-context
    last_in_page = false;
  }
  return json_response(json::dump(json::Json{{"hits", std::move(hits)}, {"skip", skip}, {"limit", limit}, {"more", more}, {"errors", std::move(errors)}}));
}

HttpResponse RunApi::run(const RunRecord& record) const {
  std::vector<StoredLine> last;
  try {
    last = store_.lines(record, show_last_lines);
  } catch (const StoreError&) {
    // The record is still worth showing; its log is unreadable (the events say why).
  }
  return json_response(json::dump(json::run_detail_json(record, store_.events(record), last)));
}

HttpResponse RunApi::lines(const RunRecord& record, const HttpRequest& request) const {
  auto from = unsigned_param(request, "from");
  auto before = unsigned_param(request, "before");
  auto index = unsigned_param(request, "index");
  auto limit = unsigned_param(request, "limit");
  for (auto* p : {&from, &before, &index, &limit})
    if (auto* e = std::get_if<ParamError>(p)) return bad_param(*e);
  const auto from_seq = std::get<std::optional<std::uint64_t>>(from);
  const auto before_seq = std::get<std::optional<std::uint64_t>>(before);
  const auto from_index = std::get<std::optional<std::uint64_t>>(index);
  if (int(from_seq.has_value()) + int(before_seq.has_value()) + int(from_index.has_value()) > 1)
    return error_response(400, "give one of from, before and index");
  const std::size_t n = static_cast<std::size_t>(
      std::clamp<std::uint64_t>(std::get<std::optional<std::uint64_t>>(limit).value_or(default_line_limit), 1, max_line_limit));

  store::LineCursor::Start start;
  if (before_seq) {
    start.before_seq = std::max<std::uint64_t>(*before_seq, 1);
    start.last = n;
  } else if (from_index) {
    start.from_index = *from_index;
  } else {
    start.from_seq = from_seq.value_or(1);
  }
  store::LineCursor cursor(record.log, store::RunDirectory{record.directory}.line_index(), start);
  json::Json list = json::Json::array();
  std::optional<std::uint64_t> first, last;
  std::size_t text_bytes = 0;
  try {
    cursor.read(
        [&](StoredLine&& line) {
          if (!first) first = line.seq;
          last = line.seq;
          text_bytes += line.text.size();
          list.push_back(json::stored_line_json(record, line));
        },
        /*final=*/record.state != RunState::running, n, max_page_bytes);
  } catch (const StoreError& e) {
    return error_response(500, e.what());
  }
  const std::size_t count = list.size();
  return json_response(json::dump(json::Json{{"lines", std::move(list)},
                                             {"first_seq", json::optional(first)},
                                             {"last_seq", json::optional(last)},
                                             {"first_index", cursor.next_index() - count},
                                             {"line_count", json::optional(cursor.indexed_lines())},
                                             {"more", count == n || text_bytes >= max_page_bytes}}));
}

HttpResponse RunApi::metrics(const RunRecord& record, const HttpRequest& request) const {
  auto points = unsigned_param(request, "points");
  if (auto* e = std::get_if<ParamError>(&points)) return bad_param(*e);
  const std::size_t n = static_cast<std::size_t>(
      std::clamp<std::uint64_t>(std::get<std::optional<std::uint64_t>>(points).value_or(default_points), 2, max_points));
  MetricSeries series(record.metrics, n);
  const std::filesystem::path csv = store::RunDirectory{record.directory}.metrics_file();
  if (const int fd = ::open(csv.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    // A chunk at a time: memory stays bounded however many observations the run has.
    std::string chunk(256 * 1024, '\0');
    std::string partial;
    for (;;) {
      const ssize_t got = ::read(fd, chunk.data(), chunk.size());
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      std::string_view data(chunk.data(), static_cast<std::size_t>(got));
      for (auto nl = data.find('\n'); nl != std::string_view::npos; nl = data.find('\n')) {
        partial.append(data.substr(0, nl));
        if (auto row = extract::parse_metrics_csv_row(partial)) series.add(*row);
        partial.clear();
        data.remove_prefix(nl + 1);
      }
      partial.append(data);
    }
    ::close(fd);
  }
  json::Json summaries = json::Json::array();
  for (const MetricSummary& m : record.metrics) summaries.push_back(json::metric_summary_json(m));
  return json_response(json::dump(json::Json{{"metrics", std::move(summaries)}, {"series", series.json()}}));
}

Answer RunApi::log(const RunRecord& record) const {
  const int fd = ::open(record.log.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return error_response(404, fmt::format("cannot read {}: {}", record.log.string(), std::generic_category().message(errno)));
  struct stat st {};
  ::fstat(fd, &st);
  const auto size = static_cast<std::uint64_t>(st.st_size);
  std::string head = streaming_head(200, "text/plain; charset=utf-8",
                                    {{"Content-Length", std::to_string(size)},
                                     {"Content-Disposition", fmt::format("attachment; filename=\"{}.log\"", record.id)},
                                     {"Cache-Control", "no-store"}});
  return StreamedResponse{std::move(head), std::make_unique<FileStream>(fd, size)};
}

Answer RunApi::events(const RunRecord& record, const HttpRequest& request) const {
  std::uint64_t from_seq = 1;
  // A reconnecting EventSource sends the id of the last event it got: resume after it.
  if (const std::string* last_id = request.header("last-event-id"); last_id && !last_id->empty()) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(last_id->data(), last_id->data() + last_id->size(), value);
    if (ec != std::errc{} || end != last_id->data() + last_id->size())
      return error_response(400, fmt::format("Last-Event-ID: '{}' is not a seq", *last_id));
    from_seq = value + 1;
  } else {
    auto from = unsigned_param(request, "from");
    if (auto* e = std::get_if<ParamError>(&from)) return bad_param(*e);
    from_seq = std::max<std::uint64_t>(1, std::get<std::optional<std::uint64_t>>(from).value_or(1));
  }
  return StreamedResponse{RunEventStream::head(), std::make_unique<RunEventStream>(record, from_seq, events_)};
}

}  // namespace logstream::web
