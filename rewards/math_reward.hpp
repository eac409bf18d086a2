// Correctness of a math completion against the task's reference answer, through the
// verifier (rewards/math/verifier.hpp): 1 when correct, 0 when wrong or when the model
// gave no readable answer; invalid when the reference is unreadable or the verifier ran
// out of budget (neither is the policy's doing).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rewards/math/options.hpp"
#include "rewards/reward.hpp"

namespace crucible::rewards {

Reward math_reward(std::string_view reference, std::string_view completion,
                   const math::VerifyOptions& options);

// The majority answer of several completions: answers are grouped when the verifier calls
// them equal; the largest group wins, ties to the group seen first. Nothing when no
// completion has a readable answer.
std::optional<std::string> majority_answer(const std::vector<std::string>& completions,
                                           const math::VerifyOptions& options);

}  // namespace crucible::rewards
