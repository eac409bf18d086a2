#include "policy/model/losses.hpp"

#include <algorithm>
#include <cmath>

#include "base/error.hpp"

namespace crucible::policy {
namespace {

// p[V] = softmax(row); returns log-sum-exp.
template <typename T>
T softmax(const T* row, size_t vocab, T* p) {
  T mx = *std::max_element(row, row + vocab);
  T sum = 0;
  for (size_t i = 0; i < vocab; ++i) sum += p[i] = std::exp(row[i] - mx);
  for (size_t i = 0; i < vocab; ++i) p[i] /= sum;
  return mx + std::log(sum);
}

template <typename T>
T entropy_of(const T* row, const T* p, size_t vocab, T lse) {
  T h = 0;
  for (size_t i = 0; i < vocab; ++i) h -= p[i] * (row[i] - lse);
  return h;
}

}  // namespace

template <typename T>
void token_logprobs(const T* logits, size_t rows, size_t vocab, const int* targets, float* logprobs,
                    float* entropy) {
  std::vector<T> p(vocab);
  for (size_t r = 0; r < rows; ++r) {
    const T* row = logits + r * vocab;
    T lse = softmax(row, vocab, p.data());
    if (logprobs) logprobs[r] = static_cast<float>(row[targets[r]] - lse);
    if (entropy) entropy[r] = static_cast<float>(entropy_of(row, p.data(), vocab, lse));
  }
}

template <typename T>
LossResult policy_loss(const T* logits, size_t rows, size_t vocab, const LossBatch& b,
                       const LossSpec& spec, T* dlogits) {
  auto need = [&](const std::vector<float>& v, const char* name) {
    if (v.size() != rows)
      throw InvalidRequest(std::string("loss batch: ") + name + " must have one value per row");
  };
  if (b.targets.size() != rows)
    throw InvalidRequest("loss batch: targets must have one value per row");
  need(b.mask, "mask");
  if (spec.kind != LossKind::Sft) {
    need(b.advantages, "advantages");
    need(b.old_logprobs, "old_logprobs");
  }
  if (spec.kl_coef > 0) need(b.ref_logprobs, "ref_logprobs");
  if (b.sequences == 0 || rows % b.sequences != 0)
    throw InvalidRequest("loss batch: rows must split into sequences");
  const size_t seq_len = rows / b.sequences;

  // Each counted token's weight in the aggregate.
  std::vector<double> weight(rows, 0.0);
  double counted = 0;
  for (size_t r = 0; r < rows; ++r) counted += b.mask[r] > 0;
  if (spec.aggregation == Aggregation::TokenMean) {
    for (size_t r = 0; r < rows; ++r)
      weight[r] = b.mask[r] > 0 && counted > 0 ? 1.0 / counted : 0.0;
  } else {
    double norm = spec.norm_length > 0 ? spec.norm_length : static_cast<double>(seq_len);
    for (size_t r = 0; r < rows; ++r)
      weight[r] = b.mask[r] > 0 ? 1.0 / (norm * static_cast<double>(b.sequences)) : 0.0;
  }

  LossResult out;
  out.tokens = static_cast<size_t>(counted);
  std::vector<T> p(vocab);
  size_t clipped = 0;
  for (size_t r = 0; r < rows; ++r) {
    const T* row = logits + r * vocab;
    T* drow = dlogits + r * vocab;
    std::fill(drow, drow + vocab, T(0));
    if (b.mask[r] <= 0) continue;
    T lse = softmax(row, vocab, p.data());
    int target = b.targets[static_cast<size_t>(r)];
    if (target < 0 || static_cast<size_t>(target) >= vocab)
      throw InvalidRequest("loss batch: target " + std::to_string(target) +
                           " outside the vocabulary");
    double logp = static_cast<double>(row[target] - lse);
    out.mean_entropy += static_cast<double>(entropy_of(row, p.data(), vocab, lse)) / counted;
    out.mean_logprob += logp / counted;
    // d(loss_r)/d(logp_r), then through log-softmax: dlogits = g * (onehot - p).
    double loss_r = 0, g = 0;
    switch (spec.kind) {
      case LossKind::Sft:
        loss_r = -logp;
        g = -1;
        break;
      case LossKind::Ppo: {
        double adv = b.advantages[r], ratio = std::exp(logp - b.old_logprobs[r]);
        double clipped_ratio = std::clamp(ratio, 1 - spec.eps_low, 1 + spec.eps_high);
        double unclipped = ratio * adv, clip = clipped_ratio * adv;
        if (unclipped <= clip) {
          loss_r = -unclipped;
          g = -adv * ratio;
        } else {
          loss_r = -clip;  // the clipped branch is constant in logp
          g = 0;
          ++clipped;
        }
        break;
      }
      case LossKind::Cispo: {
        double adv = b.advantages[r], ratio = std::exp(logp - b.old_logprobs[r]);
        double w = std::clamp(ratio, 1 - spec.eps_low, 1 + spec.eps_high);  // stop-gradient weight
        if (w != ratio) ++clipped;
        loss_r = -w * adv * logp;
        g = -w * adv;
        break;
      }
    }
    if (spec.kl_coef > 0) {
      double delta = b.ref_logprobs[r] - logp;  // k3: exp(delta) - delta - 1 >= 0
      double kl = std::exp(delta) - delta - 1;
      out.mean_kl += kl / counted;
      loss_r += spec.kl_coef * kl;
      g += spec.kl_coef * (1 - std::exp(delta));
    }
    out.loss += weight[r] * loss_r;
    T scale = static_cast<T>(weight[r] * g);
    for (size_t i = 0; i < vocab; ++i) drow[i] = -scale * p[i];
    drow[target] += scale;
  }
  out.clipped_fraction = counted > 0 ? static_cast<double>(clipped) / counted : 0;
  return out;
}

template LossResult policy_loss<float>(const float*, size_t, size_t, const LossBatch&,
                                       const LossSpec&, float*);
template LossResult policy_loss<double>(const double*, size_t, size_t, const LossBatch&,
                                        const LossSpec&, double*);
template void token_logprobs<float>(const float*, size_t, size_t, const int*, float*, float*);
template void token_logprobs<double>(const double*, size_t, size_t, const int*, float*, float*);

}  // namespace crucible::policy
