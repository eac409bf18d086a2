// The one interface every policy implements, native (policy/native_policy.hpp) or over
// HTTP (policy/remote/http_policy.hpp), so rollouts and training loops do not care which.
//
//   std::vector<Sample> s = policy.generate({"What is 2+3?"}, params);
//   policy.resume(s, 256);   // continue the unfinished ones (segmented rollouts)
//   policy.version();        // changes with every weight update
#pragma once

#include <string>
#include <vector>

#include "policy/sample.hpp"

namespace crucible::policy {

class Policy {
 public:
  virtual ~Policy() = default;
  // One sample per prompt; sample i's random stream is (params.seed, params.first_index + i).
  virtual std::vector<Sample> generate(const std::vector<std::string>& prompts,
                                       const SamplingParams& params) = 0;
  // Continues every sample that finished by length (or has forced tokens waiting).
  virtual void resume(std::vector<Sample>& samples, size_t max_new_tokens) = 0;
  // Samples for these prompts with nothing generated yet (finish_reason "length"): a
  // resume then starts them in the same batch as samples already under way.
  virtual std::vector<Sample> start(const std::vector<std::string>& prompts,
                                    const SamplingParams& params);
  // Prompts as token ids, as OpenAI's completions API also takes them: nothing is tokenised,
  // so a continuation sent back to a server is exactly the tokens it had. Policies that know
  // no token ids refuse with InvalidRequest.
  virtual std::vector<Sample> generate_tokens(const std::vector<std::vector<int>>& prompts,
                                              const SamplingParams& params);
  virtual std::vector<Sample> start_tokens(const std::vector<std::vector<int>>& prompts,
                                           const SamplingParams& params);
  virtual std::string version() const = 0;

  // The first `completion_tokens` tokens of a sample, with their log-probs and text
  // (serial early-exit groups cut reasoning paths). Policies whose token text is unknown
  // (remote servers) refuse with InvalidRequest.
  virtual Sample prefix(const Sample& sample, size_t completion_tokens) const;
  // Appends text as forced tokens; the next resume scores and continues the sample.
  virtual void force(Sample& sample, const std::string& text) const;
};

}  // namespace crucible::policy
