// Group-relative advantages (GRPO and its variants) and the serial-group decaying reward
// of S-GRPO (early exit).
//
//   auto a = group_advantages({1, 0, 1, 1}, AdvantageMode::Standard);   // (r - mean) / (std + eps)
//   auto r = serial_rewards({true, false, true, true}, DecaySchedule{});  // {1, 0, 0.5, 0.25}
//
// Serial groups (S-GRPO): exits are ordered from earliest to latest; a correct exit gets
// 1 / 2^(k-1), where k counts the correct exits so far including this one, so the
// earliest correct answer earns the most; a wrong exit gets 0.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <vector>

#include "rewards/reward.hpp"

namespace crucible::rewards {

enum class AdvantageMode {
  Standard,     // (r - mean) / (std + eps), std over the group (population)
  NoStd,        // r - mean (Dr. GRPO: no std scaling)
  LeaveOneOut,  // r_i - mean of the others (RLOO)
};

// Advantages for one group; all zero when every reward is equal.
std::vector<double> group_advantages(const std::vector<double>& rewards, AdvantageMode mode,
                                     double eps = 1e-6);

// Advantages for a group of rewards in which invalid ones are excluded: their slots are
// nullopt and they do not count in the mean or std of the others.
std::vector<std::optional<double>> group_advantages(const std::vector<Reward>& rewards,
                                                    AdvantageMode mode, double eps = 1e-6);

enum class DecayKind { Exponential, Linear, Custom };

struct DecaySchedule {
  DecayKind kind = DecayKind::Exponential;
  double base = 0.5;           // exponential: r_i = base^(i-1)
  std::vector<double> custom;  // custom: the k-th correct exit gets custom[k-1]

  // {"kind": "exponential"|"linear"|"custom", "base": 0.5, "values": [...]}
  static DecaySchedule from_json(const nlohmann::json& j);
  // The reward of the k-th correct exit (1-based) of a group of n exits.
  double value(size_t k, size_t n) const;
};

// S-GRPO serial-group rewards: exits ordered earliest to latest; the k-th correct exit
// gets schedule.value(k, n) (2^-(k-1) by default), a wrong exit gets 0.
std::vector<double> serial_rewards(const std::vector<bool>& correct, const DecaySchedule& schedule);

}  // namespace crucible::rewards
