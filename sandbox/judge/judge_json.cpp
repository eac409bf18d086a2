// The judge's results and submissions as JSON (what `crucible judge` prints, the service
// answers and remote judging reads back).
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "sandbox/judge/judge.hpp"

namespace crucible::sandbox::judge {

using nlohmann::json;

void to_json(json& j, const TestResult& t) {
  j = {{"index", t.index},
       {"verdict", verdict_name(t.verdict)},
       {"reason", t.reason},
       {"message", t.message},
       {"cpu_seconds", t.cpu_seconds},
       {"wall_seconds", t.wall_seconds},
       {"peak_memory_bytes", t.peak_memory_bytes}};
  if (t.verdict != Verdict::Accepted) {
    j["input"] = t.input;
    j["expected"] = t.expected;
    j["actual"] = t.actual;
    j["stderr"] = t.stderr_data;
  }
}

void to_json(json& j, const JudgeResult& r) {
  j = {{"verdict", verdict_name(r.verdict)},
       {"accepted", r.verdict == Verdict::Accepted},
       {"message", r.message},
       {"language", r.language},
       {"passed", r.passed},
       {"total", r.total},
       {"score", r.score},
       {"first_failure", r.first_failure ? json(*r.first_failure) : json(nullptr)},
       {"compile",
        {{"verdict", verdict_name(r.compile.verdict)},
         {"cached", r.compile.compile_cached},
         {"output", r.compile.compile_output},
         {"diagnostics", parse_diagnostics("compiler", r.compile.compile_output)}}},
       {"tests", r.tests},
       {"analysis", r.analysis}};
}

void to_json(json& j, const Submission& s) {
  j = {{"language", s.language}, {"source", s.source}, {"limits", s.limits}};
  if (!s.tests.empty()) {
    j["tests"] = json::array();
    for (const auto& t : s.tests)
      j["tests"].push_back({{"input", t.input}, {"output", t.expected}});
  }
  if (s.checker) j["checker"] = {{"language", s.checker->language}, {"source", s.checker->source}};
  if (s.harness)
    j["harness"] = {{"entry_point", s.harness->entry_point},
                    {"setup", s.harness->setup},
                    {"tests", s.harness->items}};
  if (s.harness && !s.harness->signature.empty()) j["harness"]["signature"] = s.harness->signature;
  j["options"] = {{"stop_on_first_failure", s.options.stop_on_first_failure},
                  {"compare", s.options.compare},
                  {"analysis", s.options.analysis}};
}

namespace {

template <typename T>
T read(const json& j, const char* key, const std::string& where) {
  if (!j.contains(key)) throw InvalidRequest(where + key + " is missing");
  try {
    return j.at(key).get<T>();
  } catch (const json::exception&) {
    throw InvalidRequest(where + key + " has the wrong type");
  }
}

}  // namespace

JudgeResult judge_result_from_json(const json& j) {
  if (!j.is_object()) throw InvalidRequest("judge result: not a JSON object");
  const std::string where = "judge result: ";
  JudgeResult r;
  r.verdict = verdict_from_name(read<std::string>(j, "verdict", where));
  r.message = read<std::string>(j, "message", where);
  r.language = read<std::string>(j, "language", where);
  r.passed = read<size_t>(j, "passed", where);
  r.total = read<size_t>(j, "total", where);
  r.score = read<double>(j, "score", where);
  if (j.contains("first_failure") && !j["first_failure"].is_null())
    r.first_failure = read<size_t>(j, "first_failure", where);
  if (j.contains("compile") && j["compile"].is_object()) {
    const json& c = j["compile"];
    r.compile.verdict = verdict_from_name(read<std::string>(c, "verdict", where + "compile."));
    r.compile.compile_output = read<std::string>(c, "output", where + "compile.");
    r.compile.compile_cached = c.value("cached", false);
  }
  for (const auto& t : j.value("tests", json::array())) {
    TestResult x;
    std::string at = where + "tests[" + std::to_string(r.tests.size()) + "].";
    x.index = read<size_t>(t, "index", at);
    x.verdict = verdict_from_name(read<std::string>(t, "verdict", at));
    x.reason = t.value("reason", "");
    x.message = t.value("message", "");
    x.cpu_seconds = t.value("cpu_seconds", 0.0);
    x.wall_seconds = t.value("wall_seconds", 0.0);
    x.peak_memory_bytes = t.value("peak_memory_bytes", uint64_t{0});
    x.input = t.value("input", "");
    x.expected = t.value("expected", "");
    x.actual = t.value("actual", "");
    x.stderr_data = t.value("stderr", "");
    r.tests.push_back(std::move(x));
  }
  for (const auto& d : j.value("analysis", json::array()))
    r.analysis.push_back({d.value("tool", ""), d.value("file", ""), d.value("line", 0),
                          d.value("column", 0), d.value("severity", ""), d.value("message", "")});
  return r;
}

}  // namespace crucible::sandbox::judge
