// Losses over a batch of next-token predictions, each returning its value and the
// gradient with respect to the logits. Row r of the logits predicts targets[r]; rows with
// mask 0 (prompt, padding, forced or dropped tokens) count for nothing.
//
//   LossBatch b{.targets = ..., .mask = ..., .advantages = ..., .old_logprobs = ...};
//   LossResult r = policy_loss(logits, rows, vocab, b, spec, dlogits);
//
// Kinds: sft (cross-entropy), ppo (clipped surrogate, separate eps_low / eps_high), cispo
// (clipped importance weight as a constant factor on the log-prob gradient). Aggregation:
// token_mean (over every counted token of the batch) or seq_mean_token_sum_norm (each
// sequence's token sum divided by a constant, then the mean over sequences). Optional KL
// to a frozen reference (k3 estimator) with coefficient kl_coef.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace crucible::policy {

enum class LossKind { Sft, Ppo, Cispo };
enum class Aggregation { TokenMean, SeqMeanTokenSumNorm };

struct LossSpec {
  LossKind kind = LossKind::Sft;
  double eps_low = 0.2,
         eps_high = 0.2;  // PPO clip range; CISPO clips the weight to [1 - eps_low, 1 + eps_high]
  Aggregation aggregation = Aggregation::TokenMean;
  double norm_length = 0;  // seq_mean_token_sum_norm: the constant (0: the sequence length)
  double kl_coef = 0;      // > 0 needs ref_logprobs
};

struct LossBatch {
  size_t sequences = 1;             // rows are sequences * (rows / sequences) positions
  std::vector<int> targets;         // [rows]
  std::vector<float> mask;          // [rows] 0 or 1
  std::vector<float> advantages;    // [rows] (policy-gradient kinds)
  std::vector<float> old_logprobs;  // [rows] log-probs when sampled (ratio's denominator)
  std::vector<float> ref_logprobs;  // [rows] frozen reference (KL term)
};

struct LossResult {
  double loss = 0;
  double mean_entropy = 0;      // of the full distribution, over counted tokens
  double mean_logprob = 0;      // of the targets, over counted tokens
  double clipped_fraction = 0;  // PPO/CISPO: counted tokens whose ratio was clipped
  double mean_kl = 0;
  size_t tokens = 0;  // counted tokens
};

// Overwrites dlogits [rows, vocab]. Throws InvalidRequest naming a missing input.
template <typename T>
LossResult policy_loss(const T* logits, size_t rows, size_t vocab, const LossBatch& batch,
                       const LossSpec& spec, T* dlogits);

// Per-row log-probability of `targets` and entropy, without gradients (for sampling,
// evaluation and old/reference log-probs).
template <typename T>
void token_logprobs(const T* logits, size_t rows, size_t vocab, const int* targets, float* logprobs,
                    float* entropy);

}  // namespace crucible::policy
