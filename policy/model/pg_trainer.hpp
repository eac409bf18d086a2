// Policy-gradient and rejection-sampling updates of the native model from scored
// sequences: GRPO (PPO clip, symmetric), Dr. GRPO (no std, sequence sums over a constant),
// DAPO (clip-higher, token mean), CISPO (clipped importance weight as a factor), S-GRPO
// (PPO clip on serial-group advantages) and RFT (cross-entropy on accepted sequences).
//
//   PgTrainer trainer(model, optimizer, {.rule = UpdateRule::Grpo});
//   UpdateStats s = trainer.step(sequences);   // one optimizer step per mini-batch
//
// UloRL's dynamic masking of mastered positive tokens: in sequences with reward >= 1, tokens
// whose probability under the current model is >= tau are masked when the sequence's mean
// entropy is below sigma, so confident tokens stop sharpening the distribution.
#pragma once

#include <string>
#include <vector>

#include "policy/model/losses.hpp"
#include "policy/model/optimizer.hpp"
#include "policy/model/transformer.hpp"

namespace crucible::policy {

enum class UpdateRule { Rft, Grpo, DrGrpo, Dapo, Cispo, SGrpo };

// "rft", "grpo", "dr_grpo", "dapo", "cispo", "s_grpo"; InvalidRequest names the others.
UpdateRule update_rule_from_name(const std::string& name);
std::string update_rule_name(UpdateRule rule);

struct UpdateOptions {
  UpdateRule rule = UpdateRule::Grpo;
  double eps_low = 0.2, eps_high = 0.2;  // dapo defaults to 0.2 / 0.28 (see defaults_for)
  double kl_coef = 0;
  size_t minibatches = 1;  // optimizer steps per call, over disjoint slices of the batch
  size_t norm_length = 0;  // dr_grpo: the constant sequences are summed over (0: longest)
  bool mask_mastered = false;
  double mastered_tau = 0.99, mastered_sigma = 0.2;

  // The rule's published settings: dapo clip-higher 0.28, the others symmetric 0.2.
  static UpdateOptions defaults_for(UpdateRule rule);
};

struct ScoredSequence {
  std::vector<int> prompt;          // starts with <bos>
  std::vector<int> completion;      // the policy's tokens, never re-tokenised
  std::vector<uint8_t> mask;        // per completion token: 1 trained on
  std::vector<float> old_logprobs;  // per completion token, when sampled
  double advantage = 0;             // policy-gradient rules
  double reward = 0;                // mastered-token masking looks for reward >= 1
};

struct UpdateStats {
  double loss = 0, entropy = 0, clipped_fraction = 0, kl = 0, grad_norm = 0;
  double policy_entropy = 0;  // over every given completion token, before masking
  size_t tokens = 0, sequences = 0, steps = 0;
  size_t masked_mastered = 0;  // tokens dropped by mastered-token masking
};

class PgTrainer {
 public:
  PgTrainer(Transformer<float>& model, AdamW& optimizer, UpdateOptions options);
  // One optimizer step per mini-batch; RFT trains on every given sequence, the other rules
  // skip sequences whose advantage is 0 (they carry no gradient). Empty input: no step.
  UpdateStats step(const std::vector<ScoredSequence>& batch);

 private:
  UpdateStats minibatch(const std::vector<const ScoredSequence*>& seqs);
  Transformer<float>& model_;
  AdamW& optimizer_;
  UpdateOptions options_;
  std::vector<float> dlogits_;
};

}  // namespace crucible::policy
