#include "policy/model/pg_trainer.hpp"

#include <algorithm>
#include <cmath>

#include "base/error.hpp"

namespace crucible::policy {

namespace {
const std::vector<std::pair<UpdateRule, std::string>>& rule_names() {
  static const std::vector<std::pair<UpdateRule, std::string>> names = {
      {UpdateRule::Rft, "rft"},   {UpdateRule::Grpo, "grpo"},   {UpdateRule::DrGrpo, "dr_grpo"},
      {UpdateRule::Dapo, "dapo"}, {UpdateRule::Cispo, "cispo"}, {UpdateRule::SGrpo, "s_grpo"}};
  return names;
}
}  // namespace

UpdateRule update_rule_from_name(const std::string& name) {
  for (const auto& [rule, n] : rule_names())
    if (n == name) return rule;
  throw InvalidRequest("unknown update rule '" + name +
                       "'; known: rft, grpo, dr_grpo, dapo, cispo, s_grpo");
}

std::string update_rule_name(UpdateRule rule) {
  for (const auto& [r, n] : rule_names())
    if (r == rule) return n;
  return "?";
}

UpdateOptions UpdateOptions::defaults_for(UpdateRule rule) {
  UpdateOptions o;
  o.rule = rule;
  if (rule == UpdateRule::Dapo) o.eps_high = 0.28;
  return o;
}

PgTrainer::PgTrainer(Transformer<float>& model, AdamW& optimizer, UpdateOptions options)
    : model_(model), optimizer_(optimizer), options_(options) {
  if (options_.minibatches == 0) throw InvalidRequest("update: minibatches must be at least 1");
  if (options_.eps_low < 0 || options_.eps_high < 0)
    throw InvalidRequest("update: clip ranges must not be negative");
}

UpdateStats PgTrainer::step(const std::vector<ScoredSequence>& batch) {
  std::vector<const ScoredSequence*> used;
  for (const auto& s : batch) {
    if (s.completion.empty()) continue;
    if (s.mask.size() != s.completion.size())
      throw InvalidRequest("update: a sequence's mask must have one entry per completion token");
    if (options_.rule != UpdateRule::Rft) {
      if (s.old_logprobs.size() != s.completion.size())
        throw InvalidRequest("update: a sequence needs one old log-prob per completion token");
      if (s.advantage == 0) continue;
    }
    used.push_back(&s);
  }
  UpdateStats total;
  if (used.empty()) return total;
  size_t parts = std::min(options_.minibatches, used.size());
  for (size_t p = 0; p < parts; ++p) {
    std::vector<const ScoredSequence*> slice;
    for (size_t i = p; i < used.size(); i += parts) slice.push_back(used[i]);
    UpdateStats s = minibatch(slice);
    double w = 1.0 / static_cast<double>(parts);
    total.loss += w * s.loss;
    total.entropy += w * s.entropy;
    total.policy_entropy += w * s.policy_entropy;
    total.clipped_fraction += w * s.clipped_fraction;
    total.kl += w * s.kl;
    total.grad_norm += w * s.grad_norm;
    total.tokens += s.tokens;
    total.sequences += s.sequences;
    total.masked_mastered += s.masked_mastered;
    ++total.steps;
  }
  return total;
}

UpdateStats PgTrainer::minibatch(const std::vector<const ScoredSequence*>& seqs) {
  const ModelConfig& c = model_.config();
  size_t seq = 0;
  for (const auto* s : seqs) seq = std::max(seq, s->prompt.size() + s->completion.size() - 1);
  seq = std::min(seq, c.max_seq);
  const size_t rows = seqs.size() * seq;
  std::vector<int> tokens(rows, 0);
  LossBatch lb;
  lb.sequences = seqs.size();
  lb.targets.assign(rows, 0);
  lb.mask.assign(rows, 0.f);
  lb.advantages.assign(rows, 0.f);
  lb.old_logprobs.assign(rows, 0.f);
  // Row r of sequence b predicts the token at r + 1; completion token j sits at
  // prompt.size() + j, so row prompt.size() - 1 + j predicts it.
  for (size_t b = 0; b < seqs.size(); ++b) {
    const ScoredSequence& s = *seqs[b];
    std::vector<int> all = s.prompt;
    all.insert(all.end(), s.completion.begin(), s.completion.end());
    for (size_t t = 0; t < seq && t + 1 < all.size(); ++t) {
      size_t row = b * seq + t;
      tokens[row] = all[t];
      lb.targets[row] = all[t + 1];
      if (t + 1 < s.prompt.size()) continue;
      size_t j = t + 1 - s.prompt.size();
      lb.mask[row] = s.mask[j] ? 1.f : 0.f;
      lb.advantages[row] = static_cast<float>(s.advantage);
      if (!s.old_logprobs.empty()) lb.old_logprobs[row] = s.old_logprobs[j];
    }
  }
  const float* logits = model_.forward(tokens.data(), seqs.size(), seq);
  UpdateStats st;
  // The policy's entropy over every completion token it was given, before any masking
  // (the loss's own entropy covers only the tokens still trained on).
  std::vector<float> lp(rows), ent(rows);
  token_logprobs(logits, rows, c.vocab, lb.targets.data(), lp.data(), ent.data());
  double entropy_sum = 0;
  size_t entropy_tokens = 0;
  for (size_t r = 0; r < rows; ++r)
    if (lb.mask[r] > 0) entropy_sum += ent[r], ++entropy_tokens;
  st.policy_entropy = entropy_tokens ? entropy_sum / static_cast<double>(entropy_tokens) : 0;
  if (options_.mask_mastered && options_.rule != UpdateRule::Rft) {
    for (size_t b = 0; b < seqs.size(); ++b) {
      if (seqs[b]->reward < 1) continue;
      double sum = 0;
      size_t n = 0;
      for (size_t t = 0; t < seq; ++t)
        if (lb.mask[b * seq + t] > 0) sum += ent[b * seq + t], ++n;
      if (n == 0 || sum / static_cast<double>(n) >= options_.mastered_sigma) continue;
      for (size_t t = 0; t < seq; ++t) {
        size_t row = b * seq + t;
        if (lb.mask[row] > 0 && std::exp(lp[row]) >= options_.mastered_tau) {
          lb.mask[row] = 0.f;
          ++st.masked_mastered;
        }
      }
    }
  }
  LossSpec spec;
  switch (options_.rule) {
    case UpdateRule::Rft:
      spec.kind = LossKind::Sft;
      break;
    case UpdateRule::Cispo:
      spec.kind = LossKind::Cispo;
      break;
    default:
      spec.kind = LossKind::Ppo;
  }
  spec.eps_low = options_.eps_low;
  spec.eps_high = options_.eps_high;
  if (options_.rule == UpdateRule::DrGrpo) {
    spec.aggregation = Aggregation::SeqMeanTokenSumNorm;
    spec.norm_length = static_cast<double>(options_.norm_length ? options_.norm_length : seq);
  }
  dlogits_.assign(rows * c.vocab, 0.f);
  bool any = std::any_of(lb.mask.begin(), lb.mask.end(), [](float m) { return m > 0; });
  if (!any) return st;  // everything masked: nothing to learn from
  LossResult r = policy_loss(logits, rows, c.vocab, lb, spec, dlogits_.data());
  model_.zero_grad();
  model_.backward(dlogits_.data());
  st.grad_norm = optimizer_.step(model_.params, model_.grads);
  st.loss = r.loss;
  st.entropy = r.mean_entropy;
  st.clipped_fraction = r.clipped_fraction;
  st.kl = r.mean_kl;
  st.tokens = r.tokens;
  st.sequences = seqs.size();
  return st;
}

}  // namespace crucible::policy
