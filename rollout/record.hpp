// One sample as a trainer or a dataset needs it: what was asked, exactly which tokens the
// policy produced (never re-tokenised), their log-probs, which policy version produced
// them, which tokens count in the loss, the reward and the group it belongs to.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "policy/sample.hpp"
#include "rewards/reward.hpp"

namespace crucible::rollout {

// Completion tokens [from, to) that the environment inserted after tool call `turn`
// (tool-integrated rollouts): masked from the loss, without policy log-probs.
struct EnvironmentSpan {
  size_t from = 0, to = 0, turn = 0;
};

struct SampleRecord {
  std::string task_id;
  std::string prompt;
  std::vector<int> prompt_tokens, completion_tokens;
  std::vector<float> logprobs;  // per completion token, under the sampling distribution
  // The policy version that produced each completion token, as spans: (first token, version).
  std::vector<std::pair<size_t, std::string>> versions;
  std::vector<uint8_t> loss_mask;  // per completion token: 1 trained on, 0 masked (forced, prefix)
  std::string text;
  std::string finish_reason;
  rewards::Reward reward;
  std::optional<double> advantage;  // absent for invalid samples (excluded from their group)
  std::string group_id;
  std::string role;  // "sample" (parallel), "exit:k" / "full" (serial)
  uint64_t seed = 0;
  size_t sample_index = 0;
  double generate_seconds = 0, reward_seconds = 0;
  std::vector<EnvironmentSpan> environment;             // tool-integrated rollouts only
  nlohmann::json tool_calls = nlohmann::json::array();  // each call: code, observation, verdict

  // From a policy sample: forced tokens are masked, every token gets `version`.
  static SampleRecord from_sample(const policy::Sample& s, const std::string& task_id,
                                  const std::string& version);
};

void to_json(nlohmann::json& j, const SampleRecord& r);

}  // namespace crucible::rollout
