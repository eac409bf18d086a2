// Group-relative advantages (GRPO and its variants) and the serial-group decaying reward
// of S-GRPO (early exit).
//
//   auto a = group_advantages({1, 0, 1, 1}, AdvantageMode::Standard);   // (r - mean) / (std + eps)
//   auto r = serial_rewards({false, true, true}, DecaySchedule{});       // {0, 0.5, 0.25}
//
// Serial groups: exits are ordered from earliest to latest; a correct exit at position i
// (1-based) gets r_i = 2^-(i-1), so the earliest correct exit earns the most; a wrong
// exit gets 0.
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
  std::vector<double> custom;  // custom: r_i = custom[i-1]; must cover every exit

  // {"kind": "exponential"|"linear"|"custom", "base": 0.5, "values": [...]}
  static DecaySchedule from_json(const nlohmann::json& j);
  // The reward of a correct i-th exit (1-based) of a group of n exits.
  double value(size_t i, size_t n) const;
};

// S-GRPO serial-group rewards: exits ordered earliest to latest; a correct exit i gets
// schedule.value(i, n) (2^-(i-1) by default), a wrong exit gets 0.
std::vector<double> serial_rewards(const std::vector<bool>& correct, const DecaySchedule& schedule);

}  // namespace crucible::rewards
