// RunApi: the JSON answers of /api/runs/... for the runs of one store (README "Web dashboard"
// documents them). The objects are those of the command's --json: run objects as in
// `ls --json`, `show --json`, line objects as in `run --json`. Loop thread; each answer reads
// a bounded amount of the store.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <variant>

#include <logstream/run_store.hpp>

#include "web/connection.hpp"
#include "web/http_request.hpp"
#include "web/http_response.hpp"
#include "web/run_event_stream.hpp"

namespace logstream::web {

/// What a route answers: a whole response, or a head and a body streamed after it.
struct StreamedResponse {
  std::string head;
  std::unique_ptr<ResponseStream> body;
};
using Answer = std::variant<HttpResponse, StreamedResponse>;

class RunApi {
public:
  RunApi(const RunStore& store, EventStreamOptions events);

  /// Any request under /api/ (method already known to be GET or HEAD).
  Answer get(const HttpRequest& request) const;
  /// POST /api/runs/{id}/stop, once the server allowed it: SIGTERM to the run (202), 409 when
  /// it is not running here.
  HttpResponse stop(const HttpRequest& request) const;
  /// Whether `path` is /api/runs/{id}/stop.
  static bool is_stop(std::string_view path);

  static constexpr std::size_t default_line_limit = 1000;
  static constexpr std::size_t max_line_limit = 10'000;
  static constexpr std::size_t default_points = 1000;
  static constexpr std::size_t max_points = 100'000;
  static constexpr std::uint64_t default_search_limit = 100;
  static constexpr std::uint64_t max_search_limit = 1000;
  static constexpr std::uint64_t max_search_context = 10;

private:
  HttpResponse runs(const HttpRequest& request) const;
  /// GET /api/search?q=&run=&regex=&i=&context=&skip=&limit=: a page of matches (and their
  /// context lines) over every run, oldest first, or one run. Reads the runs' logs on the
  /// loop thread until the page is full.
  HttpResponse search(const HttpRequest& request) const;
  HttpResponse run(const RunRecord& run) const;
  HttpResponse lines(const RunRecord& run, const HttpRequest& request) const;
  HttpResponse metrics(const RunRecord& run, const HttpRequest& request) const;
  Answer log(const RunRecord& run) const;
  Answer events(const RunRecord& run, const HttpRequest& request) const;
  /// The run an {id} names (an id, a unique prefix, a name), or the error answer.
  std::variant<RunRecord, HttpResponse> lookup(std::string_view id) const;

  const RunStore& store_;
  EventStreamOptions events_;
};

/// A non-negative integer query parameter: empty when absent; nullopt-with-error when invalid.
struct ParamError {
  std::string message;
};
std::variant<std::optional<std::uint64_t>, ParamError> unsigned_param(const HttpRequest& request, std::string_view name);

}  // namespace logstream::web
