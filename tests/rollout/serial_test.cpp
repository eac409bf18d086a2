// S-GRPO serial groups with a scripted policy: exit positions, the forced suffix, the
// decode of answers only, rewards by the count of correct members, advantages and masks
// exactly as the method prescribes.
#include <gtest/gtest.h>

#include "policy/native_policy.hpp"
#include "rewards/math_reward.hpp"
#include "rollout/serial.hpp"
#include "tests/support/scripted_policy.hpp"
#include "tests/support/tiny_model.hpp"

namespace crucible::rollout {
namespace {

using testing::kThinking;
using testing::ScriptedPolicy;
using testing::seven;

rewards::Scorer serial_verifier() {
  return rewards::Scorer([](const tasks::Task& t, const rewards::Completion& c) {
    return rewards::math_reward(t.answer, c.text, {});
  });
}

TEST(SerialGroups, ExitsSuffixesRewardsAndMasksAreExact) {
  ScriptedPolicy policy({true, false, true}, true);  // members: exits 1..3, then the full path
  SerialOptions o;
  o.exits = 3;
  o.evenly_spaced = true;
  SerialGroup g = run_serial_group(policy, seven(), "3 + 4?", o, serial_verifier());
  // Thinking tokens are bytes 7..16 ("abcdefghij"); evenly spaced cuts at 7 + 10j/4.
  EXPECT_EQ(g.exit_positions, (std::vector<size_t>{9, 12, 14}));
  ASSERT_EQ(g.members.size(), 4u);
  EXPECT_EQ(policy.resumed_calls, 1) << "all exits decode their answers in one batch";
  const std::string forcing = o.answer_forcing;
  EXPECT_EQ(g.members[0].text, "<think>ab" + forcing + "\\boxed{7}");
  EXPECT_EQ(g.members[1].text, "<think>abcde" + forcing + "\\boxed{9}");
  EXPECT_EQ(g.members[2].text, "<think>abcdefg" + forcing + "\\boxed{7}");
  EXPECT_EQ(g.members[3].role, "full");
  // Pattern [1, 0, 1, 1] -> rewards [1, 0, 0.5, 0.25]; advantages r - mean (0.4375).
  std::vector<double> rewards, advantages;
  for (const auto& m : g.members) {
    rewards.push_back(m.reward.value);
    advantages.push_back(*m.advantage);
  }
  EXPECT_EQ(rewards, (std::vector<double>{1, 0, 0.5, 0.25}));
  EXPECT_EQ(advantages, (std::vector<double>{0.5625, -0.4375, 0.0625, -0.1875}));
  // An exit's loss is on its answer tokens only: the prefix and the forcing are masked.
  const auto& mask = g.members[1].loss_mask;
  const size_t masked = 12 + forcing.size();  // exit 2 cuts after 12 tokens
  ASSERT_EQ(mask.size(), masked + 9);
  for (size_t t = 0; t < mask.size(); ++t) EXPECT_EQ(mask[t], t < masked ? 0 : 1) << t;
  EXPECT_EQ(g.members[3].loss_mask, std::vector<uint8_t>(g.members[3].completion_tokens.size(), 1));
  // Cost: the exits sampled only their answers (3 x 9 tokens), not 3 full paths.
  EXPECT_EQ(g.exit_answer_tokens, 27u);
  EXPECT_EQ(g.full_path_tokens, std::string(kThinking).size() + 9);
}

// exit_loss "path": the earliest correct exit is trained on whole (its prefix, the forcing
// text and its answer), so ending the thinking there becomes likelier; the other exits keep
// the answer-only mask (a later correct one would credit the steps it adds). Rewards and
// advantages are the same as with the answer-only loss.
TEST(SerialGroups, PathLossTrainsOnTheEarliestCorrectExitWhole) {
  ScriptedPolicy policy({true, false, true}, true);
  SerialOptions o;
  o.exits = 3;
  o.evenly_spaced = true;
  o.exit_loss = "path";
  SerialGroup g = run_serial_group(policy, seven(), "3 + 4?", o, serial_verifier());
  ASSERT_EQ(g.members.size(), 4u);
  for (size_t i : {0, 3})  // the earliest correct exit, and the full path as always
    EXPECT_EQ(g.members[i].loss_mask,
              std::vector<uint8_t>(g.members[i].completion_tokens.size(), 1))
        << g.members[i].role;
  for (size_t i : {1, 2}) {  // wrong, then correct but later: answers only
    const auto& mask = g.members[i].loss_mask;
    const size_t masked = g.exit_positions[i] + o.answer_forcing.size();
    for (size_t t = 0; t < mask.size(); ++t)
      EXPECT_EQ(mask[t], t < masked ? 0 : 1) << i << " " << t;
  }
  std::vector<double> advantages;
  for (const auto& m : g.members) advantages.push_back(*m.advantage);
  EXPECT_EQ(advantages, (std::vector<double>{0.5625, -0.4375, 0.0625, -0.1875}));
}

// exit_at "line": exits cut only where a line of thinking ends (after a finished step).
TEST(SerialGroups, LineExitsCutAtTheEndsOfLines) {
  ScriptedPolicy policy({true, true, true}, true, "<think>ab\ncd\nef\n</think>\n\n");
  SerialOptions o;
  o.exits = 5;
  o.exit_at = "line";
  o.sampling.seed = 3;
  SerialGroup g = run_serial_group(policy, seven(), "3 + 4?", o, serial_verifier());
  EXPECT_EQ(g.exit_positions, (std::vector<size_t>{10, 13, 16}));
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(g.members[i].text[g.exit_positions[i] - 1], '\n');
}

TEST(SerialGroups, RandomExitsAreDistinctSortedAndInsideTheThinking) {
  ScriptedPolicy policy({false, false, false, false, false}, false);
  SerialOptions o;
  o.exits = 5;
  o.sampling.seed = 11;
  SerialGroup g = run_serial_group(policy, seven(), "q", o, serial_verifier());
  ASSERT_EQ(g.exit_positions.size(), 5u);
  for (size_t i = 0; i < g.exit_positions.size(); ++i) {
    EXPECT_GE(g.exit_positions[i], 8u);
    EXPECT_LE(g.exit_positions[i], 17u);
    if (i) {
      EXPECT_LT(g.exit_positions[i - 1], g.exit_positions[i]);
    }
  }
  for (const auto& m : g.members) EXPECT_EQ(m.reward.value, 0);  // all wrong: all zero
  for (const auto& m : g.members) EXPECT_EQ(*m.advantage, 0);
  o.sampling.seed = 12;
  EXPECT_NE(run_serial_group(policy, seven(), "q", o, serial_verifier()).exit_positions,
            g.exit_positions);
}

}  // namespace
}  // namespace crucible::rollout

namespace crucible::rollout {
namespace {

// With the native policy: each exit reuses the full path's prefix token for token (not
// re-generated), its forcing text is marked forced, and only its answer is new.
TEST(SerialGroups, NativePolicyReusesThePrefixAndDecodesOnlyAnswers) {
  auto model = testing::tiny_model(1, 256, 5);
  policy::NativePolicy native(model, policy::Tokenizer(), "tiny");
  SerialOptions o;
  o.exits = 4;
  o.answer_tokens = 6;
  o.sampling.max_tokens = 40;
  o.sampling.seed = 3;
  SerialGroup g = run_serial_group(native, seven(), "<think>", o, serial_verifier());
  ASSERT_EQ(g.members.size(), 5u);
  const auto& full = g.members.back().completion_tokens;
  const size_t forcing = policy::Tokenizer().encode(o.answer_forcing).size();
  for (size_t i = 0; i + 1 < g.members.size(); ++i) {
    const auto& m = g.members[i];
    size_t p = g.exit_positions[i];
    ASSERT_GE(m.completion_tokens.size(), p + forcing);
    EXPECT_TRUE(
        std::equal(full.begin(), full.begin() + static_cast<long>(p), m.completion_tokens.begin()));
    EXPECT_LE(m.completion_tokens.size(), p + forcing + 6);
    EXPECT_EQ(m.logprobs.size(), m.completion_tokens.size());
  }
  EXPECT_LE(g.exit_answer_tokens, 4u * 6u);
}

// An exit whose forced answer text does not fit the model's context was never answered:
// it is invalid (excluded from the group), not a wrong answer, and never reaches a trainer.
TEST(SerialGroups, AnExitPastTheContextIsInvalidNotWrong) {
  auto model = testing::tiny_model(1, 48, 5);  // prompt + path fill the context
  policy::NativePolicy native(model, policy::Tokenizer(), "tiny");
  SerialOptions o;
  o.exits = 3;
  o.answer_tokens = 6;
  o.sampling.max_tokens = 40;
  o.sampling.seed = 3;
  SerialGroup g = run_serial_group(native, seven(), "<think>", o, serial_verifier());
  size_t invalid = 0;
  for (const auto& m : g.members) {
    if (m.reward.valid) {
      EXPECT_EQ(m.logprobs.size(), m.completion_tokens.size()) << m.role;
      continue;
    }
    ++invalid;
    EXPECT_EQ(m.reward.reason, "context_full") << m.role;
    EXPECT_FALSE(m.advantage.has_value()) << "excluded from its group";
  }
  EXPECT_GT(invalid, 0u) << "the late exits cannot fit their forced answer";
}

}  // namespace
}  // namespace crucible::rollout
