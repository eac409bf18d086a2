#include "sandbox/judge/judge.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "base/error.hpp"
#include "base/files.hpp"
#include "base/json_fields.hpp"
#include "base/sha256.hpp"
#include "sandbox/judge/value_harness.hpp"
#include "sandbox/languages/detect.hpp"

namespace crucible::sandbox::judge {
namespace {

using nlohmann::json;

std::string cap(const std::string& s) {
  return s.size() <= kFailureCapBytes ? s : s.substr(0, kFailureCapBytes) + "\n[truncated]";
}

const json& field(const json& j, const char* name, json::value_t type, const char* what) {
  const json& v = j.at(name);
  if (v.type() != type && !(type == json::value_t::number_float && v.is_number()))
    throw InvalidRequest(std::string(name) + " must be " + what);
  return v;
}

void reject_unknown(const json& j, const std::string& where,
                    std::initializer_list<const char*> known) {
  JsonFields::only(j, where, known);
}

std::vector<IoTest> parse_tests(const json& j) {
  if (!j.is_array()) throw InvalidRequest("tests must be an array of {input, output}");
  std::vector<IoTest> out;
  for (size_t i = 0; i < j.size(); ++i) {
    const json& t = j[i];
    std::string where = "tests[" + std::to_string(i) + "].";
    if (!t.is_object()) throw InvalidRequest("tests[" + std::to_string(i) + "] must be an object");
    reject_unknown(t, where, {"input", "output"});
    IoTest test;
    if (t.contains("input")) {
      if (!t["input"].is_string()) throw InvalidRequest(where + "input must be a string");
      test.input = t["input"];
    }
    if (!t.contains("output") || !t["output"].is_string())
      throw InvalidRequest(where + "output must be a string");
    test.expected = t["output"];
    out.push_back(std::move(test));
  }
  return out;
}

TestResult result_from(size_t index, const Outcome& o) {
  TestResult t;
  t.index = index;
  t.verdict = o.verdict;
  t.reason = o.reason;
  t.message = o.message;
  t.cpu_seconds = o.cpu_seconds;
  t.wall_seconds = o.wall_seconds;
  t.peak_memory_bytes = o.peak_memory_bytes;
  return t;
}

void fail(TestResult& t, Verdict v, const std::string& reason, const std::string& message) {
  t.verdict = v;
  t.reason = reason;
  t.message = message;
}

// Aggregates per-test results into the verdict and score.
void aggregate(JudgeResult& r) {
  r.passed = 0;
  r.first_failure.reset();
  bool sandbox_error = false;
  for (const auto& t : r.tests) {
    if (t.verdict == Verdict::Accepted)
      ++r.passed;
    else if (!r.first_failure)
      r.first_failure = t.index;
    sandbox_error = sandbox_error || t.verdict == Verdict::SandboxError;
  }
  r.score = r.total ? static_cast<double>(r.passed) / r.total : 0;
  if (sandbox_error) {
    r.verdict = Verdict::SandboxError;
    for (const auto& t : r.tests)
      if (t.verdict == Verdict::SandboxError) r.message = t.message;
  } else if (r.first_failure) {
    const auto& t = r.tests[*r.first_failure];
    r.verdict = t.verdict;
    r.message = "test " + std::to_string(t.index) + ": " + t.message;
  } else if (r.passed == r.total) {
    r.verdict = Verdict::Accepted;
    r.message = "all " + std::to_string(r.total) + " tests passed";
  }
}

// Makes a test program's build unreadable inside the jail: executables keep only their
// execute bits (exec needs no read permission, and a process started from an unreadable
// file is not dumpable), everything else (the source, with the tests) loses every bit.
// The candidate runs as the build's owner, but /box is read-only, so it cannot chmod back.
void seal_build(const std::string& box_dir) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(box_dir, ec)) {
    struct stat st {};
    if (::lstat(e.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    mode_t sealed = (st.st_mode & S_IXUSR) ? 0111 : 0;
    if ((st.st_mode & 07777) != sealed && ::chmod(e.path().c_str(), sealed) != 0)
      throw SandboxFailure(
          errno_message("judge: cannot seal the test program " + e.path().string(), errno));
  }
  if (ec) throw SandboxFailure("judge: cannot list " + box_dir + ": " + ec.message());
}

// One submission may hold a worker for at most kMaxSubmissionSeconds in the worst case
// (every test at its wall limit): 20,000 tests of 5 s would hold one for a day.
void check_budget(const Submission& s) {
  double worst = static_cast<double>(std::max<size_t>(1, s.tests.size())) * s.limits.wall_seconds;
  if (worst <= kMaxSubmissionSeconds) return;
  std::ostringstream m;
  m << "tests: " << s.tests.size() << " tests x limits.wall_seconds " << s.limits.wall_seconds
    << " = " << worst << " s, over the per-submission budget of " << kMaxSubmissionSeconds
    << " s; split the submission or lower the limit";
  throw InvalidRequest(m.str());
}

// Fills `r` with the answer's compile result; true when its program did not compile.
bool compile_failed(JudgeResult& r, const Program& p) {
  r.language = p.language->name;
  r.compile = p.compile;
  if (p.ok()) return false;
  r.verdict = p.compile.verdict;
  r.message = p.compile.message;
  return true;
}

// A harness run's results, one per item, and the aggregate.
void add_item_results(JudgeResult& r, const Outcome& o, const HarnessSpec& spec,
                      const std::vector<ItemResult>& items) {
  for (size_t i = 0; i < items.size(); ++i) {
    TestResult t = result_from(i, o);
    t.input = cap(spec.items[i]);
    switch (items[i].status) {
      case ItemResult::Status::Pass:
        fail(t, Verdict::Accepted, "ok", "passed");
        break;
      case ItemResult::Status::Fail:
        fail(t, Verdict::WrongAnswer, "assertion", cap(items[i].message));
        break;
      case ItemResult::Status::Error:
        fail(t, Verdict::RuntimeError, "exception", cap(items[i].message));
        break;
      case ItemResult::Status::Missing:
        if (o.verdict == Verdict::Accepted)
          fail(t, Verdict::RuntimeError, "harness_incomplete",
               "the program ended before this test ran (an early exit cannot pass)");
        break;
    }
    t.stderr_data = t.verdict == Verdict::Accepted ? "" : cap(o.stderr_data);
    r.tests.push_back(std::move(t));
  }
  if (o.verdict == Verdict::SandboxError)
    for (auto& t : r.tests) fail(t, Verdict::SandboxError, o.reason, o.message);
  aggregate(r);
}

// The expected values of a value harness, one per item, or nullopt with `error` set. Its
// program is the task's: any failure is the task's, never the answer's. Remembered by the
// program's digest, so the task judged again (every answer of a group) runs it once a process.
std::optional<std::vector<std::string>> expected_values(Sandbox& sandbox, const HarnessProgram& h,
                                                        size_t items, std::string& error) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::vector<std::string>> remembered;
  constexpr size_t kRemembered = 4096;
  const std::string digest = sha256_hex(h.language + '\0' + h.expected_source);
  {
    std::lock_guard lock(mutex);
    if (auto it = remembered.find(digest); it != remembered.end()) return it->second;
  }
  Program program = sandbox.prepare(h.language, h.expected_source);
  if (!program.ok()) {
    error = "the harness's expected values do not compile: " + cap(program.compile.compile_output);
    return std::nullopt;
  }
  Outcome e = sandbox.execute(program, "", Limits{});
  const auto lines = read_value_lines(e.stdout_data, items);
  std::vector<std::string> values;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (e.verdict != Verdict::Accepted || !lines[i] || lines[i]->error) {
      error = "the harness's expected value of test " + std::to_string(i) +
              " failed: " + (lines[i] ? lines[i]->text : e.message + " " + cap(e.stderr_data));
      return std::nullopt;
    }
    values.push_back(lines[i]->text);
  }
  std::lock_guard lock(mutex);
  if (remembered.size() >= kRemembered) remembered.clear();
  remembered.emplace(digest, values);
  return values;
}

// A harness whose values are compared here (value_harness.hpp): the task's program prints the
// expected values, the candidate's prints what its calls return, each in its own run; the
// candidate's process never holds an expected value.
JudgeResult judge_by_values(Sandbox& sandbox, const Submission& s, const HarnessProgram& h) {
  JudgeResult r;
  r.total = s.harness->items.size();
  Program candidate = sandbox.prepare(h.language, h.candidate_source);
  if (compile_failed(r, candidate)) return r;
  if (s.options.analysis) r.analysis = analyze(sandbox, candidate);
  std::string error;
  const auto expected = expected_values(sandbox, h, r.total, error);
  if (!expected) {
    r.verdict = Verdict::SandboxError;
    r.message = error;
    return r;
  }
  Outcome o = sandbox.execute(candidate, "", s.limits);
  const auto actual = read_value_lines(o.stdout_data, r.total);
  std::vector<ItemResult> items(r.total);
  for (size_t i = 0; i < items.size(); ++i) {
    if (!actual[i]) continue;  // Missing
    const double tolerance = i < h.tolerances.size() ? h.tolerances[i] : 0.0;
    const bool equal = tolerance > 0 ? within_tolerance(actual[i]->text, (*expected)[i], tolerance)
                                     : actual[i]->text == (*expected)[i];
    items[i].status = actual[i]->error ? ItemResult::Status::Error
                      : equal          ? ItemResult::Status::Pass
                                       : ItemResult::Status::Fail;
    items[i].message = actual[i]->error
                           ? actual[i]->text
                           : "returned " + actual[i]->text + ", expected " + (*expected)[i];
    if (tolerance > 0 && !actual[i]->error) items[i].message += " within " + json(tolerance).dump();
  }
  add_item_results(r, o, *s.harness, items);
  return r;
}

}  // namespace

Submission Submission::from_json(const json& j) {
  if (!j.is_object()) throw InvalidRequest("the submission must be a JSON object");
  reject_unknown(j, "", {"language", "source", "tests", "checker", "harness", "limits", "options"});
  Submission s;
  if (j.contains("language"))
    s.language = field(j, "language", json::value_t::string, "a string").get<std::string>();
  if (!j.contains("source")) throw InvalidRequest("source is required");
  s.source = field(j, "source", json::value_t::string, "a string").get<std::string>();
  if (j.contains("tests")) s.tests = parse_tests(j["tests"]);
  if (j.contains("checker")) {
    const json& c = j["checker"];
    if (!c.is_object()) throw InvalidRequest("checker must be an object {language, source}");
    reject_unknown(c, "checker.", {"language", "source"});
    if (!c.contains("source") || !c["source"].is_string())
      throw InvalidRequest("checker.source must be a string");
    s.checker = CheckerSpec{c.value("language", "auto"), c["source"]};
  }
  if (j.contains("harness")) {
    const json& h = j["harness"];
    if (!h.is_object())
      throw InvalidRequest("harness must be an object {entry_point, setup, tests, signature}");
    reject_unknown(h, "harness.", {"entry_point", "setup", "tests", "signature"});
    HarnessSpec spec;
    if (h.contains("entry_point")) {
      if (!h["entry_point"].is_string())
        throw InvalidRequest("harness.entry_point must be a string");
      spec.entry_point = h["entry_point"];
    }
    if (h.contains("setup")) {
      if (!h["setup"].is_string()) throw InvalidRequest("harness.setup must be a string");
      spec.setup = h["setup"];
    }
    if (h.contains("signature")) {
      if (!h["signature"].is_string()) throw InvalidRequest("harness.signature must be a string");
      spec.signature = h["signature"];
    }
    if (!h.contains("tests") || !h["tests"].is_array())
      throw InvalidRequest("harness.tests must be an array of strings");
    for (const auto& item : h["tests"]) {
      if (!item.is_string()) throw InvalidRequest("harness.tests must be an array of strings");
      spec.items.push_back(item);
    }
    s.harness = spec;
  }
  if (j.contains("limits")) s.limits = j["limits"].get<Limits>();
  if (j.contains("options")) {
    const json& o = j["options"];
    if (!o.is_object()) throw InvalidRequest("options must be an object");
    reject_unknown(o, "options.", {"stop_on_first_failure", "compare", "analysis"});
    if (o.contains("stop_on_first_failure")) {
      if (!o["stop_on_first_failure"].is_boolean())
        throw InvalidRequest("options.stop_on_first_failure must be a boolean");
      s.options.stop_on_first_failure = o["stop_on_first_failure"];
    }
    if (o.contains("compare")) s.options.compare = o["compare"].get<CompareOptions>();
    if (o.contains("analysis")) {
      if (!o["analysis"].is_boolean()) throw InvalidRequest("options.analysis must be a boolean");
      s.options.analysis = o["analysis"];
    }
  }
  if (s.harness && (!s.tests.empty() || s.checker))
    throw InvalidRequest("harness cannot be combined with tests or checker");
  if (s.checker && s.tests.empty()) throw InvalidRequest("checker needs tests to check");
  s.limits.validate();
  check_budget(s);
  return s;
}

JudgeResult Judge::run(const Submission& s) {
  if (!sandbox_) throw SandboxFailure("this judge has no sandbox to run in");
  s.limits.validate();
  check_budget(s);
  JudgeResult r;
  Program program;
  std::optional<Program> candidate_program;  // a harness's separate candidate (C++)
  std::string nonce;
  if (s.harness) {
    // The harness wraps the candidate; the language must be known to pick the wrapper.
    // Detection only: the bare candidate is never compiled, the harness around it is.
    const auto& registry = sandbox_->registry();
    std::string language = s.language.empty() || s.language == "auto"
                               ? languages::detect(registry, s.source).language->name
                               : registry.find(s.language).name;
    HarnessProgram h = build_harness(language, s.source, *s.harness);
    if (!h.expected_source.empty()) return judge_by_values(*sandbox_, s, h);
    r.total = s.harness->items.size();
    if (!h.candidate_source.empty()) {
      candidate_program = sandbox_->prepare(h.language, h.candidate_source);
      if (compile_failed(r, *candidate_program)) return r;
    }
    program = sandbox_->prepare(h.language, h.source);
    if (candidate_program && !program.ok()) {
      // The test program holds no candidate code: its failure is the task's, not the answer's.
      r.language = program.language->name;
      r.verdict = Verdict::SandboxError;
      r.message = "the harness's tests do not compile: " + program.compile.compile_output;
      return r;
    }
    if (candidate_program) seal_build(program.box_dir);
  } else {
    program = sandbox_->prepare(s.language, s.source);
    r.total = s.tests.size();
  }
  if (compile_failed(r, program)) return r;
  if (s.options.analysis) r.analysis = analyze(*sandbox_, program);

  if (s.harness) {
    nonce = make_nonce();
    ExecuteOptions run_options;
    if (candidate_program) run_options.data_dir = candidate_program->box_dir;
    Outcome o = sandbox_->execute(program, harness_input(program.language->name, nonce, *s.harness),
                                  s.limits, run_options);
    bool done = false;
    add_item_results(r, o, *s.harness, parse_harness_output(o.stdout_data, nonce, r.total, done));
    return r;
  }

  std::optional<Program> checker;
  if (s.checker) {
    checker = sandbox_->prepare(s.checker->language, s.checker->source);
    if (!checker->ok()) {
      r.verdict = Verdict::SandboxError;
      r.message = "the checker does not compile: " + checker->compile.message + "\n" +
                  checker->compile.compile_output;
      return r;
    }
  }
  // Tests run in batches in one jail each (see Sandbox::execute_batch): the per-test cost
  // is close to a fork and exec. Batches stay small so a failure stops the work early.
  constexpr size_t kBatch = 32;
  std::vector<Outcome> outcomes;
  for (size_t i = 0; i < s.tests.size(); ++i) {
    const IoTest& test = s.tests[i];
    if (i % kBatch == 0) {
      std::vector<std::string> inputs;
      for (size_t k = i; k < std::min(i + kBatch, s.tests.size()); ++k)
        inputs.push_back(s.tests[k].input);
      outcomes = sandbox_->execute_batch(program, inputs, s.limits);
    }
    const Outcome& o = outcomes[i % kBatch];
    TestResult t = result_from(i, o);
    if (o.verdict == Verdict::Accepted) {
      if (checker) {
        TempDir files(temp_root(), "crucible-check-");
        ::chmod(files.path().c_str(), 0755);
        write_file(files.path() / "input", test.input);
        write_file(files.path() / "expected", test.expected);
        write_file(files.path() / "actual", o.stdout_data);
        ExecuteOptions opts;
        opts.extra_args = {"/data/input", "/data/expected", "/data/actual"};
        opts.data_dir = files.path();
        Outcome c = sandbox_->execute(*checker, "", Limits{}, opts);
        std::string said = c.stdout_data + c.stderr_data;
        if (c.verdict == Verdict::RuntimeError && (c.exit_code == 1 || c.exit_code == 2))
          fail(t, Verdict::WrongAnswer, "checker",
               said.empty() ? "rejected by the checker" : cap(said));
        else if (c.verdict != Verdict::Accepted)
          fail(t, Verdict::SandboxError, "checker_failed",
               "the checker failed: " + c.message + " " + cap(said));
        else
          t.message = said.empty() ? "accepted by the checker" : cap(said);
      } else {
        CompareResult cmp = compare(test.expected, o.stdout_data, s.options.compare);
        if (!cmp.ok) fail(t, Verdict::WrongAnswer, "mismatch", cmp.message);
      }
    }
    if (t.verdict != Verdict::Accepted) {
      t.input = cap(test.input);
      t.expected = cap(test.expected);
      t.actual = cap(o.stdout_data);
      t.stderr_data = cap(o.stderr_data);
    }
    bool failed = t.verdict != Verdict::Accepted;
    r.tests.push_back(std::move(t));
    if (failed && s.options.stop_on_first_failure) break;
  }
  aggregate(r);
  return r;
}

}  // namespace crucible::sandbox::judge
