// OpenRLHF's remote reward model protocol (--remote_rm_url), answered by the reward library:
//   {"query": [prompt + response, ...], "prompts": [...], "labels": [...]}
//   -> {"rewards": [...], "scores": [...], "extra_logs": {"accuracy": ..., "code": n, "math": n}}
// A label that is JSON code tests ({"inputs", "outputs"}, with "fn_name" for call-based
// problems) judges the response's last fenced program; any other label is a math answer
// for the verifier. Samples are scored on `threads` threads. `crucible serve` serves this at
// POST /get_reward.
#pragma once

#include <nlohmann/json.hpp>

#include "sandbox/judge/judge.hpp"

namespace crucible::rewards {

// Throws InvalidRequest naming a missing or mismatched field.
nlohmann::json openrlhf_rewards(const nlohmann::json& body, sandbox::judge::Judge& judge,
                                size_t threads);

}  // namespace crucible::rewards
