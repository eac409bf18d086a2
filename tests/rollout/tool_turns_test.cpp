// Tool-integrated turns with a scripted policy: the protocol is parsed, the program runs,
// its output is inserted as masked environment tokens stamped with the turn, generation
// resumes from exactly that text, cells of one sample form a notebook, and limits, hostile
// programs and sandbox failures end up where they belong.
#include "rollout/tool_turns.hpp"

#include <gtest/gtest.h>

#include <mutex>

#include "base/error.hpp"
#include "base/files.hpp"
#include "rewards/math_reward.hpp"
#include "rollout/dataset.hpp"
#include "rollout/record.hpp"
#include "tests/support/tool_script_policy.hpp"

namespace crucible::rollout {
namespace {

using testing::ToolScriptPolicy;

// A runner that answers from a table of programs, recording what it was asked.
struct FakeRunner {
  std::mutex mu;  // one turn's calls run side by side
  std::vector<std::string> sources;
  tasks::ToolRun answer{"42\n", "", "Accepted", 0.01};
  ToolRunner bind() {
    return [this](const std::string&, const std::string& source) {
      std::lock_guard lock(mu);
      sources.push_back(source);
      return answer;
    };
  }
};

const std::string kCall = "Compute.\n```python\nprint(6 * 7)\n```\n```output\n";

TEST(ToolTurns, TheProtocolIsReadFromTheEndOfTheText) {
  ToolOptions o;
  auto call = tool_call_at_end(kCall, o);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->first, "python3");
  EXPECT_EQ(call->second, "print(6 * 7)");
  EXPECT_EQ(tool_call_at_end("```\nx=1\n```\n```output\n", o)->first, "python3")
      << "an untagged fence is the default language";
  EXPECT_EQ(tool_call_at_end("```bash\necho 1\n```\n```output\n", o)->first, "bash");
  EXPECT_FALSE(tool_call_at_end("```python\nprint(1)\n```\n", o)) << "no marker: no call";
  EXPECT_FALSE(tool_call_at_end("no code\n```output\n", o)) << "a marker with no block";
  EXPECT_FALSE(tool_call_at_end("```output\n1\n```\n```output\n", o)) << "an output is no program";
}

TEST(ToolTurns, OutputIsInsertedAsMaskedEnvironmentTokensAndGenerationResumesFromIt) {
  ToolScriptPolicy policy({kCall, "So the answer is \\boxed{42}."});
  FakeRunner runner;
  policy::SamplingParams params;
  auto out = run_with_tools(policy, {"6*7?"}, params, {}, runner.bind());
  ASSERT_EQ(out.size(), 1u);
  const ToolSample& t = out[0];
  ASSERT_FALSE(t.invalid);
  ASSERT_EQ(t.calls.size(), 1u);
  EXPECT_EQ(t.calls[0].turn, 1u);
  EXPECT_EQ(t.calls[0].code, "print(6 * 7)");
  EXPECT_EQ(t.calls[0].observation, "42\n```\n");
  EXPECT_EQ(runner.sources, (std::vector<std::string>{"print(6 * 7)\n"}));
  const std::string observation = "42\n```\n";
  EXPECT_EQ(policy.seen_before_resume, (std::vector<std::string>{kCall + observation}))
      << "the policy resumes from exactly the inserted text";
  EXPECT_EQ(t.sample.text, kCall + observation + "So the answer is \\boxed{42}.");
  // The environment's tokens: stamped with turn 1, forced (masked), no log-probs.
  ASSERT_EQ(t.environment_turn.size(), t.sample.tokens.size());
  SampleRecord r = SampleRecord::from_sample(t.sample, "t", "script@1");
  for (size_t k = 0; k < t.sample.tokens.size(); ++k) {
    bool env = k >= kCall.size() && k < kCall.size() + observation.size();
    EXPECT_EQ(t.environment_turn[k], env ? 1u : 0u) << k;
    EXPECT_EQ(r.loss_mask[k], env ? 0 : 1) << k;
    if (env)
      EXPECT_EQ(t.sample.logprobs[k], 0.f) << k;
    else
      EXPECT_EQ(t.sample.logprobs[k], -0.25f) << k;
  }
}

TEST(ToolTurns, CellsOfASampleFormANotebookThatShowsOnlyTheNewOutput) {
  ToolScriptPolicy policy({"```python\nx = 6\nprint('a')\n```\n```output\n",
                           "```python\nprint(x * 7)\n```\n```output\n", "done"});
  std::vector<std::string> sources;
  ToolRunner run = [&](const std::string&, const std::string& source) {
    sources.push_back(source);
    return tasks::ToolRun{sources.size() == 1 ? "a\n" : "a\n42\n", "", "Accepted", 0};
  };
  auto out = run_with_tools(policy, {"p"}, {}, {}, run);
  ASSERT_EQ(out[0].calls.size(), 2u);
  EXPECT_EQ(sources[1], "x = 6\nprint('a')\nprint(x * 7)\n") << "the earlier cell runs again";
  EXPECT_EQ(out[0].calls[1].observation, "42\n```\n") << "only the new cell's output is shown";
  EXPECT_EQ(out[0].calls[1].turn, 2u);
  size_t second = 0;
  for (auto turn : out[0].environment_turn) second += turn == 2;
  EXPECT_EQ(second, std::string("42\n```\n").size());
}

TEST(ToolTurns, LimitsEndTheCallNotTheSampleAndAreReported) {
  ToolScriptPolicy policy({kCall, "Too slow; I will reason instead."});
  FakeRunner runner;
  runner.answer = {"", "", "TimeLimit", 5.0};
  auto out = run_with_tools(policy, {"p"}, {}, {}, runner.bind());
  ASSERT_FALSE(out[0].invalid);
  EXPECT_EQ(out[0].calls[0].verdict, "TimeLimit");
  EXPECT_NE(out[0].calls[0].observation.find("ran out of time"), std::string::npos);
  EXPECT_NE(out[0].sample.text.find("I will reason instead."), std::string::npos);
  // A flood is cut to the cap.
  ToolScriptPolicy flood({kCall, "ok"});
  FakeRunner big;
  big.answer = {std::string(100000, 'x'), "", "OutputLimit", 0.1};
  ToolOptions o;
  o.max_output_bytes = 64;
  auto f = run_with_tools(flood, {"p"}, {}, o, big.bind());
  EXPECT_LT(f[0].calls[0].observation.size(), 200u);
  EXPECT_NE(f[0].calls[0].observation.find("[output cut at 64 bytes]"), std::string::npos);
}

TEST(ToolTurns, TurnAndTokenBudgetsAreKept) {
  ToolScriptPolicy policy({kCall, kCall, kCall, kCall});
  FakeRunner runner;
  ToolOptions o;
  o.max_turns = 2;
  auto out = run_with_tools(policy, {"p"}, {}, o, runner.bind());
  EXPECT_EQ(out[0].calls.size(), 2u) << "no third call";
  ToolScriptPolicy longer({kCall, std::string(1000, 'y')});
  o.max_tokens = 80;
  auto cut = run_with_tools(longer, {"p"}, {}, o, runner.bind());
  EXPECT_LE(cut[0].sample.tokens.size(), 80u);
}

TEST(ToolTurns, AnObservationThatUsesUpTheBudgetEndsTheSampleWithALogProbPerToken) {
  ToolScriptPolicy policy({kCall, "never resumed"});
  FakeRunner runner;
  ToolOptions o;
  o.max_tokens = kCall.size() + 2;  // the observation "42\n```\n" does not fit
  auto out = run_with_tools(policy, {"p"}, {}, o, runner.bind());
  ASSERT_EQ(out[0].calls.size(), 1u);
  EXPECT_EQ(policy.resumed, 0) << "no budget left to resume with";
  const policy::Sample& s = out[0].sample;
  ASSERT_EQ(s.logprobs.size(), s.tokens.size()) << "the update needs one per completion token";
  for (size_t k = kCall.size(); k < s.tokens.size(); ++k) {
    EXPECT_EQ(out[0].environment_turn[k], 1u);
    EXPECT_EQ(s.logprobs[k], 0.f);
  }
  SampleRecord r = SampleRecord::from_sample(s, "t", "v");
  add_tool_turns(r, out[0]);
  ASSERT_EQ(r.logprobs.size(), r.completion_tokens.size());
  ASSERT_EQ(r.loss_mask.size(), r.completion_tokens.size());
  for (size_t k = 0; k < r.loss_mask.size(); ++k)
    EXPECT_EQ(r.loss_mask[k], k < kCall.size() ? 1 : 0) << k;
}

TEST(ToolTurns, ASandboxFailureInvalidatesTheSampleAndOtherLanguagesAreRefused) {
  ToolScriptPolicy policy({kCall, "never"});
  ToolRunner broken = [](const std::string&, const std::string&) -> tasks::ToolRun {
    throw SandboxFailure("the jail helper is gone");
  };
  auto out = run_with_tools(policy, {"p"}, {}, {}, broken);
  ASSERT_TRUE(out[0].invalid);
  EXPECT_NE(out[0].invalid->find("jail helper"), std::string::npos);
  EXPECT_EQ(policy.resumed, 0) << "an invalid sample is not continued";

  ToolScriptPolicy rust({"```rust\nfn main(){}\n```\n```output\n", "fine"});
  FakeRunner runner;
  auto refused = run_with_tools(rust, {"p"}, {}, {}, runner.bind());
  EXPECT_EQ(refused[0].calls[0].verdict, "refused");
  EXPECT_TRUE(runner.sources.empty()) << "a language not allowed never runs";
  EXPECT_NE(refused[0].sample.text.find("fine"), std::string::npos);
}

TEST(ToolTurns, LabelRecordsTheCallsAndCountsThem) {
  ToolScriptPolicy policy({kCall, "So \\boxed{42}."});
  FakeRunner runner;
  tasks::Task t;
  t.id = "six-sevens";
  t.kind = tasks::Kind::Math;
  t.prompt = "6*7?";
  t.answer = "42";
  LabelOptions o = LabelOptions::from_json(
      {{"n", 2}, {"max_tokens", 128}, {"tools", {"python3"}}, {"tool_turns", 2}});
  TempDir dir(temp_root());
  const std::string out = (dir.path() / "d.jsonl").string();
  EXPECT_THROW(label_dataset(policy, rewards::Scorer(), {t}, o, out), InvalidRequest)
      << "tools without a sandbox to run them";
  LabelSummary s = label_dataset(policy, rewards::Scorer(), {t}, o, out, {}, runner.bind());
  EXPECT_EQ(s.samples, 2u);
  EXPECT_EQ(s.correct, 2u);
  EXPECT_EQ(s.tools.calls, 2u);
  EXPECT_EQ(s.tools.samples_with_calls, 2u);
  EXPECT_EQ(s.tools.errors, 0u);
  auto line = nlohmann::json::parse(read_file(out).substr(0, read_file(out).find('\n')));
  ASSERT_EQ(line["tool_calls"].size(), 1u);
  EXPECT_EQ(line["tool_calls"][0]["observation"], "42\n```\n");
  ASSERT_EQ(line["environment"].size(), 1u);
  EXPECT_EQ(line["environment"][0]["from_token"], kCall.size());
  EXPECT_EQ(line["environment"][0]["to_token"], kCall.size() + 7);
  EXPECT_EQ(line["environment"][0]["turn"], 1);
  EXPECT_EQ(line["sampling"]["tools"], nlohmann::json({"python3"}));
  EXPECT_THROW(LabelOptions::from_json({{"mode", "serial"}, {"n", 3}, {"tools", {"python3"}}}),
               InvalidRequest);
  EXPECT_THROW(LabelOptions::from_json({{"tools", "python3"}}), InvalidRequest);
}

}  // namespace
}  // namespace crucible::rollout
