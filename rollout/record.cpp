#include "rollout/record.hpp"

namespace crucible::rollout {

SampleRecord SampleRecord::from_sample(const policy::Sample& s, const std::string& task_id,
                                       const std::string& version) {
  SampleRecord r;
  r.task_id = task_id;
  r.prompt = s.prompt;
  r.prompt_tokens = s.prompt_tokens;
  r.completion_tokens = s.tokens;
  r.logprobs = s.logprobs;
  r.versions = {{0, version}};
  r.loss_mask.resize(s.tokens.size(), 1);
  for (size_t i = 0; i < s.forced.size() && i < r.loss_mask.size(); ++i)
    r.loss_mask[i] = s.forced[i] ? 0 : 1;
  r.text = s.text;
  r.finish_reason = s.finish_reason;
  r.seed = s.params.seed;
  r.sample_index = s.index;
  return r;
}

void to_json(nlohmann::json& j, const SampleRecord& r) {
  nlohmann::json versions = nlohmann::json::array();
  for (const auto& [start, v] : r.versions)
    versions.push_back({{"from_token", start}, {"version", v}});
  j = {
      {"task_id", r.task_id},
      {"prompt", r.prompt},
      {"prompt_tokens", r.prompt_tokens},
      {"completion_tokens", r.completion_tokens},
      {"logprobs", r.logprobs},
      {"versions", versions},
      {"loss_mask", r.loss_mask},
      {"text", r.text},
      {"finish_reason", r.finish_reason},
      {"reward", r.reward},
      {"advantage", r.advantage ? nlohmann::json(*r.advantage) : nlohmann::json(nullptr)},
      {"group_id", r.group_id},
      {"role", r.role},
      {"seed", r.seed},
      {"sample_index", r.sample_index},
      {"timing", {{"generate_seconds", r.generate_seconds}, {"reward_seconds", r.reward_seconds}}}};
  if (!r.tool_calls.empty()) {
    nlohmann::json spans = nlohmann::json::array();
    for (const auto& e : r.environment)
      spans.push_back({{"from_token", e.from}, {"to_token", e.to}, {"turn", e.turn}});
    j["environment"] = spans;
    j["tool_calls"] = r.tool_calls;
  }
}

}  // namespace crucible::rollout
