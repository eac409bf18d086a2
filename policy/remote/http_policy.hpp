// A Policy backed by any OpenAI-compatible completions server (vLLM, SGLang, llama.cpp
// server, `crucible serve-policy`): concurrent requests (each thread keeps its connection
// alive), a timeout per request, retries with backoff on connection errors, 429 and 5xx.
// When the server returns token ids ("token_ids", or "token_id:N" log-prob tokens as vLLM
// gives with return_tokens_as_token_ids) they are kept, never re-tokenised; otherwise the
// sample carries text only and says so (tokens empty). Forced text (tool turns) is sent
// with the transcript on resume: stop at the marker, continue with the transcript.
//
//   HttpPolicy policy({.base_url = "http://127.0.0.1:8000", .model = "qwen"});
//   auto samples = policy.generate(prompts, params);   // sample i: seed params.seed + first_index
//   + i
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "policy/policy.hpp"

namespace crucible::policy {

struct HttpPolicyOptions {
  std::string base_url;  // "http://host:port"
  std::string model;
  size_t concurrency = 4;
  std::chrono::milliseconds timeout{std::chrono::seconds(120)};
  int retries = 3;
  std::chrono::milliseconds backoff{std::chrono::milliseconds(200)};  // doubled per retry
};

class HttpPolicy : public Policy {
 public:
  explicit HttpPolicy(HttpPolicyOptions options);
  std::vector<Sample> generate(const std::vector<std::string>& prompts,
                               const SamplingParams& params) override;
  void resume(std::vector<Sample>& samples, size_t max_new_tokens) override;
  std::string version() const override { return "http:" + options_.model; }
  // Appends text the policy did not write (a tool's output); the next resume sends the
  // transcript and learns the text's token ids from the prompt ids the server returns.
  void force(Sample& sample, const std::string& text) const override;

 private:
  // One completion for `prompt` (text, or token ids), appended to `sample`.
  void complete(Sample& sample, const nlohmann::json& prompt, const SamplingParams& params,
                uint64_t seed) const;
  // Runs job(0..count-1) on up to `concurrency` threads; rethrows the first failure.
  void concurrently(size_t count, const std::function<void(size_t)>& job) const;
  HttpPolicyOptions options_;
};

}  // namespace crucible::policy
