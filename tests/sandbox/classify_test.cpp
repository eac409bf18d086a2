#include "sandbox/classify.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include "base/error.hpp"

namespace crucible::sandbox {
namespace {

using jail::JailReport;

JailReport exited(int code) {
  JailReport r;
  r.exited = true;
  r.exit_code = code;
  return r;
}

JailReport signaled(int sig) {
  JailReport r;
  r.term_signal = sig;
  return r;
}

struct Case {
  const char* name;
  JailReport report;
  Verdict verdict;
  const char* reason;
};

TEST(ClassifyRun, Table) {
  Limits limits;
  limits.cpu_seconds = 1;
  auto with = [](JailReport r, auto fn) {
    fn(r);
    return r;
  };
  std::vector<Case> cases = {
      {"clean exit", exited(0), Verdict::Accepted, "ok"},
      {"non-zero exit", exited(3), Verdict::RuntimeError, "exit_code"},
      {"segfault", signaled(SIGSEGV), Verdict::RuntimeError, "signal"},
      {"abort", signaled(SIGABRT), Verdict::RuntimeError, "signal"},
      {"seccomp kill", signaled(SIGSYS), Verdict::SecurityViolation, "seccomp"},
      {"file too large", signaled(SIGXFSZ), Verdict::OutputLimit, "file_size"},
      {"rlimit cpu", signaled(SIGXCPU), Verdict::TimeLimit, "cpu"},
      {"sigkill past cpu limit",
       with(signaled(SIGKILL), [](JailReport& r) { r.cpu_seconds = 1.5; }), Verdict::TimeLimit,
       "cpu"},
      {"sigkill under cpu limit, no oom", signaled(SIGKILL), Verdict::RuntimeError, "signal"},
      {"exit 137 is not a memory limit", exited(137), Verdict::RuntimeError, "exit_code"},
      {"oom evidence", with(signaled(SIGKILL), [](JailReport& r) { r.oom_kills = 1; }),
       Verdict::MemoryLimit, "oom"},
      {"supervisor cpu kill", with(signaled(SIGKILL), [](JailReport& r) { r.cpu_exceeded = true; }),
       Verdict::TimeLimit, "cpu"},
      {"wall kill", with(signaled(SIGKILL), [](JailReport& r) { r.wall_exceeded = true; }),
       Verdict::TimeLimit, "wall"},
      {"stdout flood", with(signaled(SIGKILL), [](JailReport& r) { r.stdout_exceeded = true; }),
       Verdict::OutputLimit, "stdout"},
      {"stderr flood", with(signaled(SIGKILL), [](JailReport& r) { r.stderr_exceeded = true; }),
       Verdict::OutputLimit, "stderr"},
      {"setup error beats all",
       with(exited(0),
            [](JailReport& r) {
              r.setup_error = "jail: x", r.oom_kills = 3, r.stdout_exceeded = true;
            }),
       Verdict::SandboxError, "sandbox"},
      {"output beats oom",
       with(signaled(SIGKILL), [](JailReport& r) { r.oom_kills = 1, r.stdout_exceeded = true; }),
       Verdict::OutputLimit, "stdout"},
  };
  for (const auto& c : cases) {
    Outcome o = classify_run(c.report, limits, nullptr);
    EXPECT_EQ(verdict_name(o.verdict), std::string(verdict_name(c.verdict))) << c.name;
    EXPECT_EQ(o.reason, c.reason) << c.name;
    EXPECT_FALSE(o.message.empty()) << c.name;
  }
}

TEST(ClassifyRun, RuntimeMemoryErrorNeedsTheLanguagesPattern) {
  languages::Language lang;
  lang.memory_error_patterns = {"MemoryError"};
  JailReport r = exited(1);
  r.stderr_data = "Traceback...\nMemoryError\n";
  EXPECT_EQ(classify_run(r, {}, &lang).verdict, Verdict::MemoryLimit);
  EXPECT_EQ(classify_run(r, {}, nullptr).verdict, Verdict::RuntimeError);
  r.stderr_data = "ValueError\n";
  EXPECT_EQ(classify_run(r, {}, &lang).verdict, Verdict::RuntimeError);
}

TEST(ClassifyRun, KeepsMeasurementsAndOutput) {
  JailReport r = exited(0);
  r.cpu_seconds = 0.25;
  r.wall_seconds = 0.5;
  r.peak_memory_bytes = 1234;
  r.stdout_data = "out";
  r.stderr_data = "err";
  Outcome o = classify_run(r, {}, nullptr);
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_FALSE(o.signal.has_value());
  EXPECT_EQ(o.cpu_seconds, 0.25);
  EXPECT_EQ(o.peak_memory_bytes, 1234u);
  EXPECT_EQ(o.stdout_data, "out");
  EXPECT_EQ(o.stderr_data, "err");
}

TEST(ClassifyCompile, Table) {
  EXPECT_EQ(classify_compile(exited(0)).verdict, Verdict::Accepted);
  JailReport bad = exited(1);
  bad.stderr_data = "main.c:1: error: x";
  Outcome o = classify_compile(bad);
  EXPECT_EQ(o.verdict, Verdict::CompileError);
  EXPECT_EQ(o.compile_output, "main.c:1: error: x");
  JailReport slow = signaled(SIGKILL);
  slow.wall_exceeded = true;
  EXPECT_EQ(classify_compile(slow).reason, "compile_time");
  JailReport broken = exited(0);
  broken.setup_error = "jail: mount failed";
  EXPECT_EQ(classify_compile(broken).verdict, Verdict::SandboxError);
}

TEST(SyntaxErrorOfRun, TellsTheParsersErrorFromEverythingElse) {
  languages::SyntaxErrorInRun rule;
  rule.exit_code = 1;
  rule.last_line_prefixes = {"SyntaxError:", "IndentationError:"};
  rule.unless = "Traceback (most recent call last):";
  auto with_stderr = [](int code, const char* err) {
    JailReport r = exited(code);
    r.stderr_data = err;
    return r;
  };
  const char* parse_error =
      "  File \"/box/main.py\", line 1\n    def f(:\n          ^\nSyntaxError: x\n";
  auto ce = syntax_error_of_run(with_stderr(1, parse_error), rule);
  ASSERT_TRUE(ce);
  EXPECT_EQ(ce->verdict, Verdict::CompileError);
  EXPECT_EQ(ce->reason, "compile");
  EXPECT_EQ(ce->compile_output, parse_error);
  EXPECT_TRUE(syntax_error_of_run(with_stderr(1, "IndentationError: unexpected indent"), rule));
  // Raised while running (exec, import of a broken module): the run's own error.
  EXPECT_FALSE(syntax_error_of_run(
      with_stderr(1, "Traceback (most recent call last):\n  File ...\nSyntaxError: x\n"), rule));
  EXPECT_FALSE(syntax_error_of_run(with_stderr(2, parse_error), rule));
  EXPECT_FALSE(syntax_error_of_run(with_stderr(1, "SyntaxError: x\nthen more\n"), rule));
  EXPECT_FALSE(syntax_error_of_run(with_stderr(1, "ValueError: SyntaxError: x"), rule));
  JailReport killed = with_stderr(1, parse_error);
  killed.exited = false;
  killed.term_signal = SIGKILL;
  EXPECT_FALSE(syntax_error_of_run(killed, rule));
  JailReport flooded = with_stderr(1, parse_error);
  flooded.stderr_exceeded = true;
  EXPECT_FALSE(syntax_error_of_run(flooded, rule));
}

// A test-runner mode: exit status 0 is Accepted only with the runner's report among the last
// lines of stdout; without it the process was ended before its tests finished.
TEST(ClassifyRun, TestRunnerNeedsItsOwnReportOfTheEnd) {
  languages::Language go;
  go.runner_report = languages::RunnerReport{2, "PASS", "", {}};
  auto with_stdout = [](int code, std::string out) {
    JailReport r = exited(code);
    r.stdout_data = std::move(out);
    return r;
  };
  const std::string ok_line = "ok  \tcommand-line-arguments\n";
  auto passed = classify_run(with_stdout(0, "=== RUN   T\n--- PASS: T\nPASS\n" + ok_line), {}, &go);
  EXPECT_EQ(passed.verdict, Verdict::Accepted);
  EXPECT_EQ(classify_run(with_stdout(0, "PASS\r\n\n" + ok_line + "\n\n"), {}, &go).verdict,
            Verdict::Accepted);
  for (const std::string& out : {ok_line, std::string(), "=== RUN   T\n" + ok_line,
                                 "PASS\nsomething after\n" + ok_line, "FAIL\n" + ok_line}) {
    auto early = classify_run(with_stdout(0, out), {}, &go);
    EXPECT_EQ(early.verdict, Verdict::RuntimeError) << out;
    EXPECT_EQ(early.reason, "runner_incomplete") << out;
    EXPECT_EQ(early.exit_code, 0) << "the exit status is reported as it was";
  }
  // A failing run keeps its own verdict; a language without the rule is unchanged.
  EXPECT_EQ(classify_run(with_stdout(1, "FAIL\n"), {}, &go).reason, "exit_code");
  languages::Language plain;
  EXPECT_EQ(classify_run(with_stdout(0, ""), {}, &plain).verdict, Verdict::Accepted);

  languages::Language pytest;
  pytest.runner_report = languages::RunnerReport{1, "", " passed", {" failed", " error"}};
  EXPECT_EQ(classify_run(with_stdout(0, "..  [100%]\n2 passed, 1 warning in 0.01s\n"), {}, &pytest)
                .verdict,
            Verdict::Accepted);
  EXPECT_EQ(classify_run(with_stdout(0, ".\n"), {}, &pytest).verdict, Verdict::RuntimeError);
  // A summary of failures, then an exit forced to 0 (an exit hook): not a pass.
  for (const char* summary : {"1 failed, 1 passed in 0.02s", "1 passed, 1 error in 0.1s"})
    EXPECT_EQ(classify_run(with_stdout(0, summary), {}, &pytest).verdict, Verdict::RuntimeError)
        << summary;
  EXPECT_EQ(classify_run(with_stdout(0, "1 passed, 1 xfailed in 0.1s"), {}, &pytest).verdict,
            Verdict::Accepted);
  // However long the output, only its last lines are read.
  std::string flood(4 << 20, '.');
  EXPECT_EQ(classify_run(with_stdout(0, flood), {}, &pytest).verdict, Verdict::RuntimeError);
  EXPECT_EQ(classify_run(with_stdout(0, flood + "\n1 passed in 9s\n"), {}, &pytest).verdict,
            Verdict::Accepted);
}

TEST(Verdicts, NamesRoundTrip) {
  for (int i = 0; i <= static_cast<int>(Verdict::SandboxError); ++i) {
    auto v = static_cast<Verdict>(i);
    EXPECT_EQ(verdict_from_name(verdict_name(v)), v);
  }
  EXPECT_THROW(verdict_from_name("Accept"), InvalidRequest);
}

}  // namespace
}  // namespace crucible::sandbox
