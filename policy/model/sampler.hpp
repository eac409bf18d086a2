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

#include "policy/model/decoder.hpp"
#include "policy/model/tokenizer.hpp"
#include "policy/model/transformer.hpp"
#include "policy/sample.hpp"

namespace crucible::policy {

class Sampler {
 public:
  // `cache_stamp` names the current weights: when set, samples that ask for it
  // (SamplingParams::keep_kv_cache) keep their KV state and a later resume under the same stamp
  // continues from it instead of prefilling again. Empty: nothing is kept (the weights may change
  // between calls).
  // `decoder`, when given, is used instead of one built (weights packed) for each call: it
  // must have been built from `model` as it is now.
  Sampler(const Transformer<float>& model, const Tokenizer& tokenizer, std::string cache_stamp = "",
          Decoder* decoder = nullptr)
      : model_(model), tokenizer_(tokenizer), stamp_(std::move(cache_stamp)), decoder_(decoder) {}

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
  std::vector<Sample> start_tokens(const std::vector<std::vector<int>>& prompts,
                                   const SamplingParams& params) const {
    return unstarted(prompts, params);
  }
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
  Decoder* decoder_;
};

}  // namespace crucible::policy
