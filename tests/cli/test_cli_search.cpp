// `logstream search`: across runs, against a model (random logs, literal and case-insensitive
// patterns, context, -m), grep's output and exit statuses, a running run, failures.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"

using namespace logstream::test;
using Json = nlohmann::json;

namespace {

struct Store : StoreDir {
  // Records a run named `name` whose output is `lines`, one per line.
  void record(const std::string& name, const std::vector<std::string>& lines) const {
    const auto file = dir / (name + ".txt");
    std::ofstream out(file, std::ios::binary);
    for (const std::string& line : lines) out << line << '\n';
    out.close();
    REQUIRE(cli({"run", "--plain", "--quiet", "--name", name, "--", "cat", file.string()}).status == 0);
  }
  std::string id_of(const std::string& name) const {
    const CliResult r = cli({"ls", "--json"});
    REQUIRE(r.status == 0);
    for (const Json& run : Json::parse(r.out))
      if (run["name"] == name) return run["id"];
    FAIL("no run " << name);
    return {};
  }
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// What a search hands out: (run name, seq, match), in order.
using Hit = std::tuple<std::string, std::uint64_t, bool>;

struct Query {
  std::string literal;
  bool ignore_case = false;
  std::size_t before = 0, after = 0;
  std::optional<std::uint64_t> max;
};

// The model: grep's rules over each run's lines, oldest run first, -m over them all.
std::vector<Hit> model(const std::vector<std::pair<std::string, std::vector<std::string>>>& runs, const Query& q) {
  std::vector<Hit> out;
  std::uint64_t matches = 0;
  for (const auto& [name, lines] : runs) {
    if (q.max && matches >= *q.max) break;
    std::vector<bool> is_match(lines.size()), shown(lines.size());
    std::size_t last_match = lines.size();
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (q.max && matches >= *q.max) break;
      const bool m = q.ignore_case ? lower(lines[i]).find(lower(q.literal)) != std::string::npos
                                   : lines[i].find(q.literal) != std::string::npos;
      if (!m) continue;
      is_match[i] = true;
      ++matches;
      last_match = i;
      for (std::size_t j = i >= q.before ? i - q.before : 0; j <= std::min(lines.size() - 1, i + q.after); ++j) shown[j] = true;
    }
    (void)last_match;
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (shown[i]) out.emplace_back(name, i + 1, is_match[i]);
  }
  return out;
}

std::vector<Hit> search_json(const Store& store, const std::map<std::string, std::string>& name_of_id, const Query& q) {
  std::vector<std::string> args{"search", "--json", "-F", q.literal};
  if (q.ignore_case) args.push_back("-i");
  if (q.before) args.insert(args.end(), {"-B", std::to_string(q.before)});
  if (q.after) args.insert(args.end(), {"-A", std::to_string(q.after)});
  if (q.max) args.insert(args.end(), {"-m", std::to_string(*q.max)});
  const CliResult r = store.cli(args);
  INFO(r.err);
  std::vector<Hit> out;
  for (const std::string& line : split_lines(r.out)) {
    const Json o = Json::parse(line);
    REQUIRE(name_of_id.contains(o["run"]));
    CHECK(o["name"] == name_of_id.at(o["run"]));
    for (const char* key : {"seq", "source", "level", "text", "t", "ts", "match"}) CHECK(o.contains(key));
    CHECK(o["type"] == (o["match"].get<bool>() ? "match" : "context"));
    out.emplace_back(o["name"], o["seq"], o["match"]);
  }
  CHECK(r.status == (out.empty() ? 1 : 0));
  return out;
}

}  // namespace

TEST_CASE("cli search: random logs of three runs agree with the model of grep", "[cli][search][model]") {
  Store store;
  std::mt19937 rng(1202);
  const std::vector<std::string> words = {"needle", "Needle", "NEEDLE", "hay", "stack", "loss=0.5", "", "needles", "nee", "dle"};
  std::vector<std::pair<std::string, std::vector<std::string>>> runs;
  for (int r = 0; r < 3; ++r) {
    std::vector<std::string> lines;
    for (int i = 0, n = 50 + static_cast<int>(rng() % 150); i < n; ++i) {
      std::string line;
      // Most lines hold no needle: matches come in groups and alone.
      const int count = rng() % 4 == 0 ? 1 + static_cast<int>(rng() % 4) : 0;
      for (int w = 0; w < count; ++w) line += words[rng() % words.size()] + (w + 1 < count ? " " : "");
      if (count == 0) line = rng() % 5 == 0 ? "" : "step " + std::to_string(i);
      lines.push_back(line);
    }
    runs.emplace_back("r" + std::to_string(r), lines);
    store.record(runs.back().first, lines);
  }
  std::map<std::string, std::string> name_of_id;
  for (const auto& [name, lines] : runs) name_of_id[store.id_of(name)] = name;

  std::vector<Query> queries = {{"needle"}, {"needle", true}, {"Needle"}, {"nee dle"}, {"absent"}};
  for (int i = 0; i < 12; ++i)
    queries.push_back(Query{.literal = words[rng() % 4], .ignore_case = rng() % 2 == 0, .before = rng() % 4, .after = rng() % 4,
                            .max = rng() % 3 == 0 ? std::optional<std::uint64_t>(1 + rng() % 20) : std::nullopt});
  for (const Query& q : queries) {
    CAPTURE(q.literal, q.ignore_case, q.before, q.after, q.max.value_or(0));
    CHECK(search_json(store, name_of_id, q) == model(runs, q));
  }
}

TEST_CASE("cli search: grep's text output, context groups and exit statuses", "[cli][search]") {
  Store store;
  store.record("first", {"a", "b", "match one", "c", "d", "e", "f", "match two", "g"});
  store.record("second", {"MATCH three", "h"});
  const std::string first = store.id_of("first");
  const std::string second = store.id_of("second");

  const CliResult plain = store.cli({"search", "match"});
  CHECK(plain.status == 0);
  CHECK(plain.out == first + ":3: match one\n" + first + ":8: match two\n");

  const CliResult context = store.cli({"search", "-i", "-C", "1", "match"});
  CHECK(context.status == 0);
  CHECK(context.out == first + "-2- b\n" + first + ":3: match one\n" + first + "-4- c\n--\n" + first + "-7- f\n" + first +
                           ":8: match two\n" + first + "-9- g\n--\n" + second + ":1: MATCH three\n" + second + "-2- h\n");

  // RE2 syntax; only the runs given; -m over all of them.
  CHECK(store.cli({"search", "^match (one|three)$", "first"}).out == first + ":3: match one\n");
  CHECK(store.cli({"search", "-m", "1", "-i", "match", "second", "first"}).out == second + ":1: MATCH three\n");
  CHECK(store.cli({"search", "-F", "(one", "first"}).status == 1);

  CHECK(store.cli({"search", "nothing like it"}).status == 1);
  const CliResult bad = store.cli({"search", "match (one"});
  CHECK(bad.status == 2);
  CHECK(bad.err.find("match (one") != std::string::npos);
  CHECK(bad.err.find("missing )") != std::string::npos);  // RE2's own words
  const CliResult unknown = store.cli({"search", "match", "no-such-run"});
  CHECK(unknown.status == 2);
  CHECK(unknown.err.find("no-such-run") != std::string::npos);
  CHECK(store.cli({"search", "--since", "soon", "match"}).status == 2);
  // Every line was written just now: the last hour holds them; a run of the future, none.
  CHECK(store.cli({"search", "--since", "1h", "match"}).status == 0);
}

TEST_CASE("cli search: a run whose log was deleted is an error, the others are still searched", "[cli][search]") {
  Store store;
  store.record("kept", {"needle here"});
  store.record("gone", {"needle there"});
  const CliResult ls = store.cli({"ls", "--json"});
  for (const Json& run : Json::parse(ls.out))
    if (run["name"] == "gone") std::filesystem::remove(run["log"].get<std::string>());
  const CliResult r = store.cli({"search", "needle"});
  CHECK(r.status == 2);
  CHECK(r.out == store.id_of("kept") + ":1: needle here\n");
  CHECK(r.err.find(store.id_of("gone")) != std::string::npos);
}

TEST_CASE("cli search: a running run's lines are found while it runs", "[cli][search]") {
  Store store;
  const auto file = store.dir / "lines.txt";
  {
    std::ofstream out(file);
    for (int i = 1; i <= 1000; ++i) out << (i % 100 == 0 ? "needle " : "hay ") << i << '\n';
  }
  CliOptions options = store.options();
  options.stdout_file = "/dev/null";
  CliProcess running({"run", "--plain", "--quiet", "--name", "live", "--", "sh", "-c", "cat \"$0\"; exec sleep 600", file.string()}, options);
  REQUIRE(running.err_contains(" as run ", std::chrono::seconds(30)));  // recorded from then on
  // `logs -f` shows when the store holds every line (it reads what the store committed).
  CliProcess follow({"logs", "-f", "live"}, store.options());
  REQUIRE(follow.out_contains("needle 1000\n", std::chrono::seconds(30)));
  const CliResult r = store.cli({"search", "--json", "needle", "live"});
  CHECK(r.status == 0);
  CHECK(split_lines(r.out).size() == 10);
  CHECK(store.cli({"stop", "live"}).status == 0);
  running.finish();
  CHECK(follow.finish() == 0);
}
