#include "policy/policy.hpp"

#include "base/error.hpp"

namespace crucible::policy {

std::vector<Sample> Policy::start(const std::vector<std::string>& prompts,
                                  const SamplingParams& params) {
  std::vector<Sample> samples(prompts.size());
  for (size_t i = 0; i < prompts.size(); ++i) {
    samples[i].index = params.first_index + i;
    samples[i].prompt = prompts[i];
    samples[i].params = params;
    samples[i].finish_reason = "length";
  }
  return samples;
}

std::vector<Sample> Policy::generate_tokens(const std::vector<std::vector<int>>&,
                                            const SamplingParams&) {
  throw InvalidRequest("this policy takes prompts as text, not token ids");
}

std::vector<Sample> Policy::start_tokens(const std::vector<std::vector<int>>&,
                                         const SamplingParams&) {
  throw InvalidRequest("this policy takes prompts as text, not token ids");
}

Sample Policy::prefix(const Sample&, size_t) const {
  throw InvalidRequest("this policy cannot cut samples at a token (its token text is unknown)");
}

void Policy::force(Sample&, const std::string&) const {
  throw InvalidRequest("this policy cannot force text into a sample");
}

}  // namespace crucible::policy
