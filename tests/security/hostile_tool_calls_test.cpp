// Hostile tool calls in the real jail: a call that never ends, floods its output, forks
// or allocates is stopped by the tool's limits and shown to the policy as the
// environment's observation; the sample goes on, and nothing of the call remains.
#include <gtest/gtest.h>

#include "rollout/tool_env.hpp"
#include "rollout/tool_turns.hpp"
#include "sandbox/judge/judge.hpp"
#include "sandbox/service/access.hpp"
#include "tests/support/sandbox_env.hpp"
#include "tests/support/tool_script_policy.hpp"

namespace crucible::testing {
namespace {

struct HostileCall {
  const char* name;
  const char* code;
  const char* verdict;
};

class HostileToolCalls : public ::testing::TestWithParam<HostileCall> {};

TEST_P(HostileToolCalls, AreStoppedAndShownAndTheSampleGoesOn) {
  auto access = sandbox::service::sandbox_access({}, &shared_sandbox());
  const HostileCall& h = GetParam();
  ToolScriptPolicy policy(
      {std::string("```python\n") + h.code + "\n```\n```output\n", "I will answer without it."});
  rollout::ToolOptions o;
  o.max_tokens = 4096;  // room for the observation and what follows it
  auto out = rollout::run_with_tools(policy, {"p"}, {}, o, access.tool_calls);
  ASSERT_FALSE(out[0].invalid) << *out[0].invalid;
  ASSERT_EQ(out[0].calls.size(), 1u);
  EXPECT_EQ(out[0].calls[0].verdict, h.verdict) << out[0].calls[0].observation;
  EXPECT_LE(out[0].calls[0].observation.size(), 700u);
  EXPECT_NE(out[0].sample.text.find("I will answer without it."), std::string::npos);
  expect_nothing_left_behind();
}

INSTANTIATE_TEST_SUITE_P(
    Jail, HostileToolCalls,
    ::testing::Values(HostileCall{"never_ends", "while True: pass", "TimeLimit"},
                      HostileCall{"sleeps", "import time\ntime.sleep(60)", "TimeLimit"},
                      HostileCall{"floods", "while True: print('x' * 4096)", "OutputLimit"},
                      HostileCall{"allocates", "x = []\nwhile True: x.append(bytearray(1 << 24))",
                                  "MemoryLimit"},
                      HostileCall{"forks",
                                  "import os\nwhile True:\n    try: os.fork()\n    except OSError: "
                                  "pass",
                                  "TimeLimit"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ToolCalls, RunInTheJailAndTheNotebookKeepsState) {
  auto access = sandbox::service::sandbox_access({}, &shared_sandbox());
  ToolScriptPolicy policy({"```python\nx = 1234\n```\n```output\n",
                           "```python\nprint(x * 5678)\n```\n```output\n", "So \\boxed{7006652}."});
  auto out = rollout::run_with_tools(policy, {"p"}, {}, {}, access.tool_calls);
  ASSERT_FALSE(out[0].invalid);
  ASSERT_EQ(out[0].calls.size(), 2u);
  EXPECT_EQ(out[0].calls[0].observation, "```\n") << "a cell that prints nothing";
  EXPECT_EQ(out[0].calls[1].observation, "7006652\n```\n");
  EXPECT_NE(out[0].sample.text.find("\\boxed{7006652}"), std::string::npos);
  expect_nothing_left_behind();
}

// The same through an environment episode (/v1/env/step, crucible.Env): a forking,
// spinning call is stopped, shown, and leaves nothing; the episode goes on and is scored.
TEST(HostileEnvEpisode, AForkingCallIsStoppedAndTheEpisodeGoesOn) {
  auto access = sandbox::service::sandbox_access({}, &shared_sandbox());
  sandbox::judge::Judge judge(shared_sandbox());
  rollout::ToolEnvironment env;
  nlohmann::json task = {
      {"id", "t"}, {"kind", "math"}, {"prompt", "What is 6 * 7?"}, {"answer", "42"}};
  std::string id = env.reset({{"task", task}})["session_id"];
  auto step = [&](const std::string& action) {
    return env.step({{"session_id", id}, {"action", action}}, rewards::Scorer({}, &judge),
                    access.tool_calls);
  };
  auto bomb = step("```python\nimport os\nwhile True:\n    os.fork()\n```\n```output\n");
  EXPECT_NE(bomb["call"]["verdict"], "Accepted") << bomb.dump();
  EXPECT_EQ(bomb["done"], false);
  expect_nothing_left_behind();
  auto end = step("\\boxed{42}");
  EXPECT_EQ(end["reward"], 1.0) << end.dump();
  expect_nothing_left_behind();
}

}  // namespace
}  // namespace crucible::testing
