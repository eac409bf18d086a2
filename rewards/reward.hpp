// The shape every reward takes, whatever produced it.
//
//   Reward r = math_reward(task.answer, completion, {});
//   r.value (in [0, 1] unless a shaping term says otherwise), r.verdict ("correct"),
//   r.reason (machine-readable), r.details (JSON), r.valid
//
// `valid == false` marks a sample whose reward could not be computed for reasons that
// are not the policy's (a sandbox failure, an unreadable reference, a verifier timeout):
// such a sample is excluded from its group, never scored 0.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace crucible::rewards {

struct Reward {
  double value = 0;
  std::string verdict;  // correct, wrong, accepted, compile_error, ..., invalid
  std::string reason;   // how it was decided, machine-readable
  nlohmann::json details = nlohmann::json::object();
  bool valid = true;

  // Full credit on a valid reward: what rejection sampling keeps, pass rates count and
  // refinement stops on.
  bool passed() const { return valid && value >= 1; }

  static Reward invalid(std::string reason, nlohmann::json details = nlohmann::json::object());
};

void to_json(nlohmann::json& j, const Reward& r);

}  // namespace crucible::rewards
