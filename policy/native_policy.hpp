// The native transformer behind the Policy interface. Thread-safe (one generation at a
// time); `updated()` marks a weight update, which changes version() and retires the KV
// states that unfinished samples keep for resume (they are prefilled again).
//
//   NativePolicy p(checkpoint_dir);   or   NativePolicy p(model, tokenizer, "name");
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "policy/model/checkpoint.hpp"
#include "policy/model/sampler.hpp"
#include "policy/policy.hpp"

namespace crucible::policy {

class NativePolicy : public Policy {
 public:
  explicit NativePolicy(const std::string& checkpoint_dir);
  NativePolicy(const Checkpoint& checkpoint, std::string name);
  NativePolicy(std::shared_ptr<Transformer<float>> model, Tokenizer tokenizer, std::string name);

  std::vector<Sample> generate(const std::vector<std::string>& prompts,
                               const SamplingParams& params) override;
  void resume(std::vector<Sample>& samples, size_t max_new_tokens) override;
  std::vector<Sample> start(const std::vector<std::string>& prompts,
                            const SamplingParams& params) override;
  std::vector<Sample> generate_tokens(const std::vector<std::vector<int>>& prompts,
                                      const SamplingParams& params) override;
  std::vector<Sample> start_tokens(const std::vector<std::vector<int>>& prompts,
                                   const SamplingParams& params) override;
  std::string version() const override;
  Sample prefix(const Sample& sample, size_t completion_tokens) const override;
  void force(Sample& sample, const std::string& text) const override;

  // For a server whose weights never change but through updated(): the decoder (the packed
  // weights and its threads) is kept from call to call instead of built for each, which
  // matters when calls are short (a batching server's rounds). Off by default: code that
  // changes model() in place without updated() would otherwise sample from stale weights.
  void keep_decoder(bool keep);

  void updated();
  size_t updates() const {
    std::lock_guard lock(mu_);
    return updates_;
  }
  Transformer<float>& model() { return *model_; }
  const Tokenizer& tokenizer() const { return tokenizer_; }
  const std::string& name() const { return name_; }

 private:
  std::shared_ptr<Transformer<float>> model_;
  Tokenizer tokenizer_;
  std::string name_;
  // Samples keep KV states stamped with this: states from other weights are not reused.
  std::string stamp() const { return name_ + "@" + std::to_string(updates_); }
  size_t updates_ = 0;
  Sampler sampler() const;
  std::vector<Sample> with_prompt_text(std::vector<Sample> samples) const;
  // The kept decoder and the stamp it was built at (keep_decoder); null when not kept.
  bool keep_decoder_ = false;
  mutable std::unique_ptr<Decoder> decoder_;
  mutable std::string decoder_stamp_;
  mutable std::mutex mu_;
};

}  // namespace crucible::policy
