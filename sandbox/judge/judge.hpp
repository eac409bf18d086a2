// Judging a submission: compile once, run every test case against the same build, and
// return per-test verdicts, the aggregate and a graded score.
//
//   Judge judge(sandbox);
//   JudgeResult r = judge.run(Submission::from_json(request));
//   r.verdict, r.passed, r.total, r.score, r.tests[i].verdict
//
// Test kinds: stdin/stdout cases compared outside the jail (comparators in compare.hpp),
// a checker program run in the jail (testlib protocol: argv input expected actual; exit
// 0 accepts, 1 or 2 rejects with its output as the message), and a function-call harness
// (harness.hpp). A sandbox failure anywhere makes the whole result a SandboxError: the
// sample is invalid, never scored 0.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/judge/compare.hpp"
#include "sandbox/judge/feedback.hpp"
#include "sandbox/judge/harness.hpp"
#include "sandbox/sandbox.hpp"

namespace crucible::sandbox::judge {

// The most wall time one submission may ask for in the worst case (tests x wall limit);
// above it, the submission is refused with a message naming both.
inline constexpr double kMaxSubmissionSeconds = 900;

struct IoTest {
  std::string input;
  std::string expected;
};

struct CheckerSpec {
  std::string language;
  std::string source;
};

struct JudgeOptions {
  bool stop_on_first_failure = true;
  CompareOptions compare;
  bool analysis = false;  // run static analysis (feedback.hpp) on the source
};

struct Submission {
  std::string language = "auto";
  std::string source;
  std::vector<IoTest> tests;
  std::optional<CheckerSpec> checker;
  std::optional<HarnessSpec> harness;
  Limits limits;
  JudgeOptions options;

  // Parses the request shape {language, source, tests, checker, harness, limits, options};
  // unknown fields and bad values are InvalidRequest errors naming the field.
  static Submission from_json(const nlohmann::json& j);
};

struct TestResult {
  size_t index = 0;
  Verdict verdict = Verdict::SandboxError;
  std::string reason;
  std::string message;
  double cpu_seconds = 0, wall_seconds = 0;
  uint64_t peak_memory_bytes = 0;
  // For failures only, each capped: what went in, what was expected, what came out.
  std::string input, expected, actual, stderr_data;
};

struct JudgeResult {
  Verdict verdict = Verdict::SandboxError;
  std::string message;
  std::string language;
  size_t passed = 0, total = 0;
  std::optional<size_t> first_failure;
  double score = 0;  // passed / total; 0 on a compile error; invalid on a SandboxError
  Outcome compile;
  std::vector<TestResult> tests;
  std::vector<Diagnostic> analysis;  // static-analysis findings, when asked
};

// Judges in this process's sandbox; subclasses judge elsewhere (RemoteJudge sends the
// submission to `crucible serve` endpoints).
class Judge {
 public:
  explicit Judge(Sandbox& sandbox) : sandbox_(&sandbox) {}
  virtual ~Judge() = default;
  virtual JudgeResult run(const Submission& submission);

 protected:
  Judge() = default;

 private:
  Sandbox* sandbox_ = nullptr;
};

void to_json(nlohmann::json& j, const TestResult& t);
void to_json(nlohmann::json& j, const JudgeResult& r);
// The request shape Submission::from_json reads.
void to_json(nlohmann::json& j, const Submission& s);
// Reads what to_json(JudgeResult) writes (a result that came back over HTTP); throws
// InvalidRequest naming a missing or mistyped field.
JudgeResult judge_result_from_json(const nlohmann::json& j);

// Bytes of input/expected/actual kept in a failure report.
inline constexpr size_t kFailureCapBytes = 4096;

}  // namespace crucible::sandbox::judge
