// Choosing one token from a row of logits: greedy, temperature, top-k and top-p, with the
// log-prob under the sampling distribution and the raw (T = 1) one. The random number is
// a function of (seed, sample, position) only, so a sample's tokens do not depend on which
// other samples share its batch.
//
//   Choice c = choose(logits, vocab, params, uniform_at(params.seed, sample, position));
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "policy/sample.hpp"

namespace crucible::policy {

struct Choice {
  int token = 0;
  float logprob = 0, raw_logprob = 0;  // under the sampling distribution; at T = 1
};

// A uniform number in [0, 1) that depends only on (seed, sample, position).
double uniform_at(uint64_t seed, size_t sample, size_t position);
// log softmax(row)[token] at T = 1.
float log_softmax_at(const float* row, size_t vocab, int token);
// The k most likely tokens of a row and their log-probs (T = 1), most likely first.
std::vector<std::pair<int, float>> top_raw(const float* row, size_t vocab, size_t k);
Choice choose(const float* row, size_t vocab, const SamplingParams& p, double u);

}  // namespace crucible::policy
