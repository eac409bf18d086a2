#include "policy/model/token_choice.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "base/rng.hpp"

namespace crucible::policy {

double uniform_at(uint64_t seed, size_t sample, size_t position) {
  Rng rng(seed ^ (0x9e3779b97f4a7c15ULL * (sample + 1)) ^ (0xbf58476d1ce4e5b9ULL * (position + 1)));
  rng.next();
  return rng.uniform01();
}

float log_softmax_at(const float* row, size_t vocab, int token) {
  float mx = *std::max_element(row, row + vocab);
  double sum = 0;
  for (size_t i = 0; i < vocab; ++i) sum += std::exp(static_cast<double>(row[i] - mx));
  return static_cast<float>(row[token] - mx - std::log(sum));
}

std::vector<std::pair<int, float>> top_raw(const float* row, size_t vocab, size_t k) {
  std::vector<int> order(vocab);
  std::iota(order.begin(), order.end(), 0);
  k = std::min(k, vocab);
  std::partial_sort(order.begin(), order.begin() + static_cast<long>(k), order.end(),
                    [&](int x, int y) { return row[x] > row[y] || (row[x] == row[y] && x < y); });
  float mx = row[order[0]];
  double sum = 0;
  for (size_t i = 0; i < vocab; ++i) sum += std::exp(static_cast<double>(row[i] - mx));
  std::vector<std::pair<int, float>> out;
  for (size_t i = 0; i < k; ++i)
    out.emplace_back(order[i], static_cast<float>(row[order[i]] - mx - std::log(sum)));
  return out;
}

Choice choose(const float* row, size_t vocab, const SamplingParams& p, double u) {
  if (p.temperature <= 0) {
    int best = static_cast<int>(std::max_element(row, row + vocab) - row);
    return {best, 0.f, log_softmax_at(row, vocab, best)};
  }
  if (p.top_k == 0 && p.top_p >= 1) {  // plain temperature sampling: no sort needed
    double mx = *std::max_element(row, row + vocab) / p.temperature, sum = 0;
    std::vector<double> weight(vocab);  // computed once: the exponentials are the cost here
    for (size_t i = 0; i < vocab; ++i) sum += weight[i] = std::exp(row[i] / p.temperature - mx);
    double target = u * sum, cum = 0;
    size_t pick = vocab - 1;
    for (size_t i = 0; i < vocab; ++i) {
      cum += weight[i];
      if (target < cum) {
        pick = i;
        break;
      }
    }
    int token = static_cast<int>(pick);
    double logq = row[pick] / p.temperature - mx - std::log(sum);
    // At T = 1 the sampling distribution is the raw one: its sum is not computed twice (the
    // exponentials are most of a draw).
    float raw = p.temperature == 1 ? static_cast<float>(logq) : log_softmax_at(row, vocab, token);
    return {token, static_cast<float>(logq), raw};
  }
  std::vector<int> order(vocab);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](int x, int y) { return row[x] > row[y] || (row[x] == row[y] && x < y); });
  size_t keep = p.top_k > 0 ? std::min(p.top_k, vocab) : vocab;
  std::vector<double> prob(keep);
  double mx = row[order[0]] / p.temperature, sum = 0;
  for (size_t i = 0; i < keep; ++i) sum += prob[i] = std::exp(row[order[i]] / p.temperature - mx);
  for (auto& q : prob) q /= sum;
  if (p.top_p < 1) {
    double cum = 0;
    size_t n = 0;
    while (n < keep && cum < p.top_p) cum += prob[n++];
    keep = std::max<size_t>(n, 1);
    prob.resize(keep);
    double s = std::accumulate(prob.begin(), prob.end(), 0.0);
    for (auto& q : prob) q /= s;
  }
  size_t pick = keep - 1;
  double cum = 0;
  for (size_t i = 0; i < keep; ++i) {
    cum += prob[i];
    if (u < cum) {
      pick = i;
      break;
    }
  }
  int token = order[pick];
  return {token, static_cast<float>(std::log(prob[pick])), log_softmax_at(row, vocab, token)};
}

}  // namespace crucible::policy
