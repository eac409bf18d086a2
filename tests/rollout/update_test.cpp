// Every update rule on a tiny batch against a loss worked out by hand, skipped and bad
// sequences, and mastered-token masking.
#include <gtest/gtest.h>

#include <cmath>

#include "base/error.hpp"
#include "policy/model/losses.hpp"
#include "policy/model/pg_trainer.hpp"
#include "policy/model/sft.hpp"
#include "tests/support/tiny_model.hpp"

namespace crucible::rollout {
namespace {

using policy::ScoredSequence;
using policy::UpdateRule;

// Two sequences over one shared prompt: completion lengths 2 and 3, advantages +1 and -1.
struct UpdateFixture : ::testing::Test {
  std::shared_ptr<policy::Transformer<float>> model = testing::tiny_model(1, 32, 5);
  std::vector<ScoredSequence> batch() {
    ScoredSequence a{{257, 'a', 'b'}, {'1', '2'}, {1, 1}, {}, 1.0, 1.0};
    ScoredSequence b{{257, 'a', 'b'}, {'3', '4', '5'}, {1, 1, 1}, {}, -1.0, 0.0};
    a.old_logprobs = current_logprobs(a);  // on-policy: every ratio is 1
    b.old_logprobs = current_logprobs(b);
    return {a, b};
  }
  // Log-probs of a completion under the current weights, from a plain forward pass.
  std::vector<float> current_logprobs(const ScoredSequence& s) {
    std::vector<int> all = s.prompt;
    all.insert(all.end(), s.completion.begin(), s.completion.end());
    std::vector<int> in(all.begin(), all.end() - 1), targets(all.begin() + 1, all.end());
    const float* logits = model->forward(in.data(), 1, in.size());
    std::vector<float> lp(in.size()), ent(in.size());
    policy::token_logprobs(logits, in.size(), model->config().vocab, targets.data(), lp.data(),
                           ent.data());
    return std::vector<float>(lp.begin() + static_cast<long>(s.prompt.size() - 1), lp.end());
  }
  policy::UpdateStats update(policy::UpdateOptions o, const std::vector<ScoredSequence>& b) {
    policy::AdamW opt(model->params.size(), policy::decay_mask(*model), {});
    policy::PgTrainer trainer(*model, opt, o);
    return trainer.step(b);
  }
};

TEST_F(UpdateFixture, GrpoAndDapoOnPolicyLossIsMinusTheTokenMeanAdvantage) {
  // ratio 1: each token's loss is -A; token mean over 5 tokens: -(2 * 1 + 3 * -1) / 5.
  for (UpdateRule rule : {UpdateRule::Grpo, UpdateRule::Dapo, UpdateRule::SGrpo}) {
    model = testing::tiny_model(1, 32, 5);
    auto s = update(policy::UpdateOptions::defaults_for(rule), batch());
    EXPECT_NEAR(s.loss, 0.2, 1e-6) << policy::update_rule_name(rule);
    EXPECT_EQ(s.tokens, 5u);
    EXPECT_EQ(s.steps, 1u);
    EXPECT_EQ(s.clipped_fraction, 0);
  }
  EXPECT_DOUBLE_EQ(policy::UpdateOptions::defaults_for(UpdateRule::Dapo).eps_high, 0.28);
  EXPECT_DOUBLE_EQ(policy::UpdateOptions::defaults_for(UpdateRule::Grpo).eps_high, 0.2);
}

TEST_F(UpdateFixture, DrGrpoSumsEachSequenceOverAConstant) {
  // (1 / B) * sum_b sum_t (-A_b) / 4 = (-(2 * 1) / 4 - (3 * -1) / 4) / 2 = 0.125.
  auto o = policy::UpdateOptions::defaults_for(UpdateRule::DrGrpo);
  o.norm_length = 4;
  EXPECT_NEAR(update(o, batch()).loss, 0.125, 1e-6);
}

TEST_F(UpdateFixture, CispoAndRftLossesFollowTheLogProbs) {
  auto b = batch();
  // CISPO, weight 1 on-policy: -(1/N) sum_t A_t * logp_t.
  double cispo = 0, rft = 0;
  for (float lp : b[0].old_logprobs) cispo += -1.0 * lp, rft += -lp;
  for (float lp : b[1].old_logprobs) cispo += 1.0 * lp, rft += -lp;
  EXPECT_NEAR(update(policy::UpdateOptions::defaults_for(UpdateRule::Cispo), b).loss, cispo / 5,
              1e-5);
  model = testing::tiny_model(1, 32, 5);
  // RFT: cross-entropy over every given sequence (the caller passes accepted ones only).
  EXPECT_NEAR(update(policy::UpdateOptions::defaults_for(UpdateRule::Rft), b).loss, rft / 5, 1e-5);
}

TEST_F(UpdateFixture, ZeroAdvantagesAreSkippedAndBadSequencesNamed) {
  auto b = batch();
  b[0].advantage = b[1].advantage = 0;
  EXPECT_EQ(update(policy::UpdateOptions::defaults_for(UpdateRule::Grpo), b).steps, 0u);
  b = batch();
  b[1].mask.pop_back();
  EXPECT_THROW(update(policy::UpdateOptions::defaults_for(UpdateRule::Grpo), b), InvalidRequest);
  b = batch();
  b[0].old_logprobs.clear();
  EXPECT_THROW(update(policy::UpdateOptions::defaults_for(UpdateRule::Grpo), b), InvalidRequest);
  EXPECT_THROW(policy::update_rule_from_name("ppo2"), InvalidRequest);
}

TEST_F(UpdateFixture, MasteredTokensOfRewardedSequencesAreMasked) {
  auto o = policy::UpdateOptions::defaults_for(UpdateRule::Grpo);
  o.mask_mastered = true;
  o.mastered_tau = 0.0;       // every token counts as confident
  o.mastered_sigma = 1000.0;  // and every sequence as low-entropy
  auto s = update(o, batch());
  EXPECT_EQ(s.masked_mastered, 2u) << "only the rewarded sequence (reward 1) loses its tokens";
  EXPECT_EQ(s.tokens, 3u);
  EXPECT_GT(s.policy_entropy, 0) << "measured over all 5 tokens, before masking";
  o.mastered_tau = 1.0;  // a probability of exactly 1 never happens here
  model = testing::tiny_model(1, 32, 5);
  auto unmasked = update(o, batch());
  EXPECT_EQ(unmasked.masked_mastered, 0u);
  EXPECT_NEAR(unmasked.policy_entropy, unmasked.entropy, 1e-5) << "nothing masked: the same";
  EXPECT_NEAR(s.policy_entropy, unmasked.policy_entropy, 1e-5) << "the same model and tokens";
  o.mastered_tau = 0.0;
  o.mastered_sigma = 0.0;  // no sequence is below an entropy of 0
  model = testing::tiny_model(1, 32, 5);
  EXPECT_EQ(update(o, batch()).masked_mastered, 0u);
}

}  // namespace
}  // namespace crucible::rollout
