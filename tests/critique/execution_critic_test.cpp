// The execution critic on failing programs in Python, C, C++ and JavaScript, run in the
// real jail: compile errors land on the line the compiler names, runtime errors on the
// line the trace names, a wrong answer names the first failing test with its input,
// expected and actual output; a passing program is judged correct.
#include "critique/execution_critic.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "critique/critic.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::critique {
namespace {

tasks::Task doubling_task(const std::string& language) {
  tasks::Task t;
  t.id = "double-" + language;
  t.kind = tasks::Kind::Code;
  t.language = language;
  t.prompt = "Read n and print 2n.";
  t.tests = {{"tests",
              {{{"input", "3\n"}, {"output", "6\n"}},
               {{"input", "0\n"}, {"output", "0\n"}},
               {{"input", "21\n"}, {"output", "42\n"}}}}};
  return t;
}

std::string fenced(const std::string& language, const std::string& source) {
  return "Here is my program.\n```" + language + "\n" + source + "```\n";
}

Critique run_critic(const std::string& language, const std::string& source) {
  sandbox::judge::Judge judge(testing::shared_sandbox());
  ExecutionCriticOptions options;
  options.analysis = false;
  return critique_execution(doubling_task(language), fenced(language, source), judge, options);
}

TEST(ExecutionCritic, APassingProgramIsCorrectWithNoFindings) {
  Critique c = run_critic("python3", "n = int(input())\nprint(2 * n)\n");
  EXPECT_EQ(c.final_correct, std::optional<bool>(true));
  EXPECT_FALSE(c.first_wrong.has_value());
  ASSERT_EQ(c.steps.size(), 2u);
  EXPECT_EQ(c.steps[1].text, "print(2 * n)");
}

TEST(ExecutionCritic, PythonRuntimeErrorLandsOnTheRaisingLine) {
  Critique c = run_critic("python3",
                          "import sys\n"
                          "def twice(n):\n"
                          "    return 2 * n * n // n\n"
                          "print(twice(int(input())))\n");
  EXPECT_EQ(c.final_correct, std::optional<bool>(false));
  ASSERT_EQ(c.first_wrong, std::optional<size_t>(2)) << c.render();
  EXPECT_NE(c.steps[2].feedback.find("ZeroDivisionError"), std::string::npos) << c.render();
  EXPECT_NE(c.final_feedback.find("test 2 of 3: RuntimeError"), std::string::npos)
      << c.final_feedback;
  std::string text = c.render();
  EXPECT_NE(text.find("Line 3:     return 2 * n * n // n\nCorrectness of the step: Wrong"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("Line 1:"), std::string::npos) << "lines without findings are not shown";
}

TEST(ExecutionCritic, WrongAnswerNamesTheFirstFailingTest) {
  Critique c = run_critic("javascript",
                          "const n = Number(require('fs').readFileSync(0, 'utf8'));\n"
                          "console.log(n * n);\n");
  EXPECT_EQ(c.final_correct, std::optional<bool>(false));
  EXPECT_FALSE(c.first_wrong.has_value()) << "a wrong answer has no line of its own";
  EXPECT_NE(c.final_feedback.find("test 1 of 3: WrongAnswer"), std::string::npos)
      << c.final_feedback;
  EXPECT_NE(c.final_feedback.find("input:\n3"), std::string::npos) << c.final_feedback;
  EXPECT_NE(c.final_feedback.find("expected:\n6"), std::string::npos) << c.final_feedback;
  EXPECT_NE(c.final_feedback.find("actual:\n9"), std::string::npos) << c.final_feedback;
}

TEST(ExecutionCritic, JavaScriptThrowLandsOnItsLine) {
  Critique c = run_critic("javascript",
                          "const n = Number(require('fs').readFileSync(0, 'utf8'));\n"
                          "if (n === 0) throw new Error('zero is not allowed');\n"
                          "console.log(2 * n);\n");
  ASSERT_EQ(c.first_wrong, std::optional<size_t>(1)) << c.render();
  EXPECT_NE(c.steps[1].feedback.find("zero is not allowed"), std::string::npos) << c.render();
}

TEST(ExecutionCritic, CCompileErrorLandsOnTheLineTheCompilerNames) {
  Critique c = run_critic("c",
                          "#include <stdio.h>\n"
                          "int main(void) {\n"
                          "  int n;\n"
                          "  scanf(\"%d\", &n);\n"
                          "  printf(\"%d\\n\", 2 * m);\n"
                          "  return 0;\n"
                          "}\n");
  EXPECT_EQ(c.final_correct, std::optional<bool>(false));
  ASSERT_EQ(c.first_wrong, std::optional<size_t>(4)) << c.render();
  EXPECT_NE(c.steps[4].feedback.find("undeclared"), std::string::npos) << c.render();
  EXPECT_NE(c.final_feedback.find("does not compile"), std::string::npos);
}

TEST(ExecutionCritic, CppCompileErrorAndSpansPointIntoTheCompletion) {
  std::string source =
      "#include <iostream>\n"
      "int main() {\n"
      "  long n; std::cin >> n;\n"
      "  std::cout << 2 * n << std::endl\n"
      "}\n";
  sandbox::judge::Judge judge(testing::shared_sandbox());
  std::string completion = fenced("cpp", source);
  Critique c = critique_execution(doubling_task("cpp"), completion, judge, {false, {}});
  ASSERT_TRUE(c.first_wrong.has_value()) << c.render();
  const StepVerdict& s = c.steps[*c.first_wrong];
  EXPECT_EQ(completion.substr(s.begin, s.end - s.begin), s.text);
  EXPECT_NE(c.final_feedback.find("does not compile"), std::string::npos);
}

// Static-analysis findings (pyflakes here) land on their lines as notes beside the
// verdict; an undefined name that only a later test would reach is named before it runs.
TEST(ExecutionCritic, AnalysisFindingsLandOnTheirLines) {
  sandbox::judge::Judge judge(testing::shared_sandbox());
  ExecutionCriticOptions options;
  options.analysis = true;
  Critique c = critique_execution(doubling_task("python3"),
                                  fenced("python3",
                                         "import os\n"
                                         "n = int(input())\n"
                                         "if n > 100:\n"
                                         "    print(undefined_total)\n"
                                         "print(2 * n)\n"),
                                  judge, options);
  EXPECT_EQ(c.final_correct, std::optional<bool>(true)) << c.render();
  ASSERT_EQ(c.steps.size(), 5u);
  EXPECT_NE(c.steps[0].feedback.find("'os' imported but unused"), std::string::npos) << c.render();
  EXPECT_NE(c.steps[3].feedback.find("undefined name 'undefined_total'"), std::string::npos)
      << c.render();
  EXPECT_NE(c.render().find("Line 4:"), std::string::npos) << c.render();
  EXPECT_FALSE(c.first_wrong.has_value()) << "findings are notes; the run decides what is wrong";
  EXPECT_NE(c.render().find("Note: pyflakes"), std::string::npos) << c.render();
}

TEST(ExecutionCritic, NoCodeAndMathTasksAreNamed) {
  sandbox::judge::Judge judge(testing::shared_sandbox());
  Critique c = critique_execution(doubling_task("python3"), "I would print 2n.", judge, {});
  EXPECT_EQ(c.final_correct, std::optional<bool>(false));
  EXPECT_NE(c.final_feedback.find("no fenced code block"), std::string::npos);
  tasks::Task math;
  math.id = "m1";
  math.kind = tasks::Kind::Math;
  EXPECT_THROW(critique_execution(math, "```python\nprint(1)\n```", judge, {}), InvalidRequest);
  EXPECT_THROW(make_critic("execution", {}), InvalidRequest);
  EXPECT_THROW(make_critic("oracle", {}), InvalidRequest);
}

}  // namespace
}  // namespace crucible::critique
