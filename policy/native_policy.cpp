#include "policy/native_policy.hpp"

#include <filesystem>

#include "policy/model/checkpoint.hpp"

namespace crucible::policy {

NativePolicy::NativePolicy(const Checkpoint& c, std::string name)
    : model_(std::make_shared<Transformer<float>>(c.config)),
      tokenizer_(c.tokenizer),
      name_(std::move(name)) {
  model_->params = c.params;
}

NativePolicy::NativePolicy(const std::string& dir)
    : NativePolicy(load_checkpoint(dir), std::filesystem::path(dir).filename().string()) {
  if (name_.empty()) name_ = "native";
}

NativePolicy::NativePolicy(std::shared_ptr<Transformer<float>> model, Tokenizer tokenizer,
                           std::string name)
    : model_(std::move(model)), tokenizer_(std::move(tokenizer)), name_(std::move(name)) {}

std::vector<Sample> NativePolicy::generate(const std::vector<std::string>& prompts,
                                           const SamplingParams& params) {
  std::lock_guard lock(mu_);
  return sampler().generate(prompts, params);
}

void NativePolicy::resume(std::vector<Sample>& samples, size_t max_new_tokens) {
  std::lock_guard lock(mu_);
  sampler().resume(samples, max_new_tokens);
}

std::vector<Sample> NativePolicy::start(const std::vector<std::string>& prompts,
                                        const SamplingParams& params) {
  std::lock_guard lock(mu_);
  return sampler().start(prompts, params);
}

std::vector<Sample> NativePolicy::generate_tokens(const std::vector<std::vector<int>>& prompts,
                                                  const SamplingParams& params) {
  std::lock_guard lock(mu_);
  return with_prompt_text(sampler().generate_tokens(prompts, params));
}

std::vector<Sample> NativePolicy::start_tokens(const std::vector<std::vector<int>>& prompts,
                                               const SamplingParams& params) {
  std::lock_guard lock(mu_);
  return with_prompt_text(sampler().start_tokens(prompts, params));
}

// Samples from token-id prompts carry the prompt's text too, as text prompts do.
std::vector<Sample> NativePolicy::with_prompt_text(std::vector<Sample> samples) const {
  for (auto& s : samples) s.prompt = tokenizer_.decode(s.prompt_tokens);
  return samples;
}

void NativePolicy::keep_decoder(bool keep) {
  std::lock_guard lock(mu_);
  keep_decoder_ = keep;
  decoder_.reset();
}

// Called with mu_ held.
Sampler NativePolicy::sampler() const {
  if (!keep_decoder_) return Sampler(*model_, tokenizer_, stamp());
  // The backend is part of the key: a decoder packs its weights only for the BLAS one.
  std::string key = stamp() + "/" + std::to_string(static_cast<int>(model_->backend()));
  if (!decoder_ || decoder_stamp_ != key) {
    decoder_.reset();  // the old one's threads end before the new one's start
    decoder_ = std::make_unique<Decoder>(*model_);
    decoder_stamp_ = key;
  }
  return Sampler(*model_, tokenizer_, stamp(), decoder_.get());
}

std::string NativePolicy::version() const {
  std::lock_guard lock(mu_);
  return stamp();
}

Sample NativePolicy::prefix(const Sample& sample, size_t n) const {
  Sample s = sample;
  n = std::min(n, s.tokens.size());
  s.tokens.resize(n);
  s.logprobs.resize(std::min(n, s.logprobs.size()));
  s.raw_logprobs.resize(std::min(n, s.raw_logprobs.size()));
  s.forced.resize(n);
  s.text = tokenizer_.decode(s.tokens);
  s.finish_reason = "length";
  return s;
}

void NativePolicy::force(Sample& sample, const std::string& text) const {
  std::lock_guard lock(mu_);
  Sampler(*model_, tokenizer_).force(sample, text);
}

void NativePolicy::updated() {
  std::lock_guard lock(mu_);
  ++updates_;
}

}  // namespace crucible::policy
