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
#include <memory>
#include <string>
#include <vector>

#include "policy/model/tokenizer.hpp"
#include "policy/model/transformer.hpp"
#include "policy/sample.hpp"

namespace crucible::policy {

// One sequence's keys and values: [layers, max_seq, D] each. `tokens` are the tokens at
// the positions stored, and `stamp` names the weights that computed them: a cache is
// reused only by the same model at the same stamp, for a sequence that starts with
// exactly these tokens.
struct KvState {
  std::vector<float> k, v;
  std::vector<int> tokens;
  const void* model = nullptr;
  std::string stamp;
};

// Per-step inference with a cache of keys and values per sequence slot. Each slot owns a
// KvState, so a slot can be handed to a sample and adopted again by a later call.
class KvCache {
 public:
  KvCache(const ModelConfig& config, size_t slots);
  float* keys(size_t layer, size_t slot) { return slots_[slot]->k.data() + layer * stride_; }
  float* values(size_t layer, size_t slot) { return slots_[slot]->v.data() + layer * stride_; }
  size_t slots() const { return slots_.size(); }
  std::shared_ptr<KvState>& state(size_t slot) { return slots_[slot]; }
  void adopt(std::shared_ptr<KvState> state) { slots_.push_back(std::move(state)); }

 private:
  size_t stride_;
  std::vector<std::shared_ptr<KvState>> slots_;
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
  // `cache_stamp` names the current weights: when set, samples that ask for it
  // (SamplingParams::keep_kv_cache) keep their KV state and a later resume under the same stamp
  // continues from it instead of prefilling again. Empty: nothing is kept (the weights may change
  // between calls).
  Sampler(const Transformer<float>& model, const Tokenizer& tokenizer, std::string cache_stamp = "")
      : model_(model), tokenizer_(tokenizer), stamp_(std::move(cache_stamp)) {}

  std::vector<Sample> generate(const std::vector<std::string>& prompts,
                               const SamplingParams& params);
  std::vector<Sample> generate_tokens(const std::vector<std::vector<int>>& prompts,
                                      const SamplingParams& params);
  // Continues every sample whose finish_reason is "length" (or that has forced tokens
  // waiting) by up to max_new_tokens.
  void resume(std::vector<Sample>& samples, size_t max_new_tokens);
  // Samples for these prompts with nothing generated yet (finish_reason "length"), so that
  // one resume call can start them together with samples already under way.
  std::vector<Sample> start(const std::vector<std::string>& prompts, const SamplingParams& params);
  // Appends text to a sample as forced tokens; the next resume scores and continues it.
  void force(Sample& sample, const std::string& text) const;

 private:
  void run(std::vector<Sample*>& samples, size_t max_new_tokens);
  std::vector<Sample> unstarted(const std::vector<std::vector<int>>& prompts,
                                const SamplingParams& params) const;
  std::vector<std::vector<int>> encode_prompts(const std::vector<std::string>& prompts) const;
  // Positions 0..n-1 of the sample's cache that can be taken as they are.
  size_t reusable_positions(const Sample& s, const std::vector<int>& known, size_t n) const;
  const Transformer<float>& model_;
  const Tokenizer& tokenizer_;
  std::string stamp_;
};

}  // namespace crucible::policy
