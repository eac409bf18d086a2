// Sampling from the native model with a KV cache, batched. Every sample carries its token
// ids, the log-prob of each chosen token under the sampling distribution and under the
// raw model, which tokens were forced (prefilled), and why it finished.
//
//   Sampler sampler(model, tokenizer);
//   auto samples = sampler.generate({"What is 2+3? "}, {.max_tokens = 16, .seed = 7});
//   sampler.resume(samples, 16);            // continues those that hit max_tokens
//   sampler.force(samples[0], "</think>");  // prefill text mid-sample, then resume
//
// Randomness is a function of (seed, sample index, completion position), so a sample
// resumed in segments gets the same tokens as one generated in a single run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "policy/model/tokenizer.hpp"
#include "policy/model/transformer.hpp"
#include "policy/sample.hpp"

namespace crucible::policy {

// Per-step inference with a cache of keys and values per sequence slot.
class KvCache {
 public:
  KvCache(const ModelConfig& config, size_t slots);
  float* keys(size_t layer, size_t slot) { return k_.data() + (layer * slots_ + slot) * stride_; }
  float* values(size_t layer, size_t slot) { return v_.data() + (layer * slots_ + slot) * stride_; }
  size_t slots() const { return slots_; }

 private:
  size_t slots_, stride_;
  std::vector<float> k_, v_;
};

// Runs one position for each listed slot: tokens[i] at positions[i]; logits [n, vocab].
void decode_step(const Transformer<float>& model, KvCache& cache, const std::vector<size_t>& slots,
                 const std::vector<int>& tokens, const std::vector<size_t>& positions,
                 std::vector<float>& logits);

// Runs positions 0..n-1 of one sequence in a single pass (prompt prefill), filling the
// slot's cache; logits [n, vocab]. With the naive kernels it gives exactly the values
// decode_step would, position by position.
void prefill(const Transformer<float>& model, KvCache& cache, size_t slot, const int* tokens,
             size_t n, std::vector<float>& logits);

class Sampler {
 public:
  Sampler(const Transformer<float>& model, const Tokenizer& tokenizer)
      : model_(model), tokenizer_(tokenizer) {}

  std::vector<Sample> generate(const std::vector<std::string>& prompts,
                               const SamplingParams& params);
  std::vector<Sample> generate_tokens(const std::vector<std::vector<int>>& prompts,
                                      const SamplingParams& params);
  // Continues every sample whose finish_reason is "length" (or that has forced tokens
  // waiting) by up to max_new_tokens.
  void resume(std::vector<Sample>& samples, size_t max_new_tokens);
  // Appends text to a sample as forced tokens; the next resume scores and continues it.
  void force(Sample& sample, const std::string& text) const;

 private:
  void run(std::vector<Sample*>& samples, size_t max_new_tokens);
  const Transformer<float>& model_;
  const Tokenizer& tokenizer_;
};

}  // namespace crucible::policy
