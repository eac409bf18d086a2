// Code rewards end to end: completions are extracted, judged in the real sandbox against
// a task's tests and scored.
#include <gtest/gtest.h>

#include "rewards/composite.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::rewards {
namespace {

tasks::Task doubling_task() {
  return tasks::Task::from_json(nlohmann::json::parse(R"({
    "id": "double", "kind": "code", "prompt": "Print twice the input.", "language": "python3",
    "tests": {"tests": [{"input": "2\n", "output": "4\n"}, {"input": "5\n", "output": "10\n"}]}})"));
}

TEST(CodeTaskReward, AcceptedWrongCompileErrorAndNoCode) {
  sandbox::judge::Judge judge(testing::shared_sandbox());
  CodeRewardOptions fraction;
  fraction.mode = CodeRewardMode::Fraction;
  auto task = doubling_task();
  Reward ok =
      code_task_reward(task, "<think>x</think>\n```python\nprint(int(input())*2)\n```", judge, {});
  EXPECT_EQ(ok.value, 1);
  EXPECT_EQ(ok.verdict, "accepted");
  Reward half = code_task_reward(task, "```python\nn=int(input())\nprint(4 if n==2 else 0)\n```",
                                 judge, fraction);
  EXPECT_EQ(half.value, 0.5);
  EXPECT_EQ(half.verdict, "wrong_answer");
  Reward broken = code_task_reward(task, "```python\ndef (:\n```", judge, fraction);
  EXPECT_EQ(broken.value, 0);
  EXPECT_EQ(broken.verdict, "compile_error");
  Reward none = code_task_reward(task, "I would print twice the input.", judge, {});
  EXPECT_EQ(none.value, 0);
  EXPECT_EQ(none.verdict, "no_code");
  EXPECT_TRUE(none.valid);
}

TEST(CodeTaskReward, MalformedTaskTestsAreInvalidNotZero) {
  sandbox::judge::Judge judge(testing::shared_sandbox());
  auto task = doubling_task();
  task.tests = {{"tests", "not a list"}};
  Reward r = code_task_reward(task, "```python\nprint(1)\n```", judge, {});
  EXPECT_FALSE(r.valid);
  EXPECT_EQ(r.reason, "bad_task_tests");
}

}  // namespace
}  // namespace crucible::rewards
