#include "policy/model/sft.hpp"

#include <algorithm>

#include "base/error.hpp"

namespace crucible::policy {

std::vector<uint8_t> decay_mask(const Transformer<float>& model) {
  std::vector<uint8_t> mask(model.params.size(), 0);
  for (const auto& t : model.layout().tensors(model.config()))
    std::fill(mask.begin() + static_cast<long>(t.offset),
              mask.begin() + static_cast<long>(t.offset + t.rows * t.cols), t.decays);
  return mask;
}

LossResult SftTrainer::step(const std::vector<SftExample>& batch) {
  if (batch.empty()) throw InvalidRequest("sft: empty batch");
  for (const auto& e : batch)
    if (!e.completion_mask.empty() && e.completion_mask.size() != e.completion.size())
      throw InvalidRequest("sft: a completion mask must have one entry per completion token");
  const ModelConfig& c = model_.config();
  size_t seq = 0;
  for (const auto& e : batch) seq = std::max(seq, e.prompt.size() + e.completion.size() - 1);
  seq = std::min(seq, c.max_seq);
  std::vector<int> tokens(batch.size() * seq, 0);
  LossBatch lb;
  lb.sequences = batch.size();
  lb.targets.assign(tokens.size(), 0);
  lb.mask.assign(tokens.size(), 0.f);
  for (size_t b = 0; b < batch.size(); ++b) {
    std::vector<int> all = batch[b].prompt;
    all.insert(all.end(), batch[b].completion.begin(), batch[b].completion.end());
    for (size_t t = 0; t < seq && t + 1 < all.size(); ++t) {
      tokens[b * seq + t] = all[t];
      lb.targets[b * seq + t] = all[t + 1];
      const SftExample& e = batch[b];
      // Predicts a completion token that the policy, not the environment, wrote.
      size_t in_completion = t + 1 - std::min(t + 1, e.prompt.size());
      bool trained = t + 1 >= e.prompt.size() &&
                     (e.completion_mask.empty() || e.completion_mask.at(in_completion) != 0);
      lb.mask[b * seq + t] = trained ? 1.f : 0.f;
    }
  }
  const float* logits = model_.forward(tokens.data(), batch.size(), seq);
  dlogits_.resize(tokens.size() * c.vocab);
  LossResult r = policy_loss(logits, tokens.size(), c.vocab, lb, LossSpec{}, dlogits_.data());
  model_.zero_grad();
  model_.backward(dlogits_.data());
  optimizer_.step(model_.params, model_.grads);
  return r;
}

}  // namespace crucible::policy
