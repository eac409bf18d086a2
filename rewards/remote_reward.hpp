// OpenRLHF's remote reward model protocol (--remote_rm_url), answered by the reward library:
//   {"query": [prompt + response, ...], "prompts": [...], "labels": [...]}
//   -> {"rewards": [...], "scores": [...], "extra_logs": {"accuracy": ..., "code": n, "math": n}}
// A label that is JSON code tests ({"inputs", "outputs"}, with "fn_name" for call-based
// problems) judges the response's last fenced program; any other label is a math answer
// for the verifier. Samples are scored on `threads` threads. `crucible serve` serves this at
// POST /get_reward.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "sandbox/judge/judge.hpp"

namespace crucible::rewards {

// Judges the last fenced program of `completion` against tests as RL datasets carry them:
// {"inputs": [...], "outputs": [...]} as stdin/stdout pairs, or call-based with "fn_name"
// (each input the argument list, each output the value, possibly wrapped in a list).
// Nothing when the completion has no program; InvalidRequest ("tests: ...") for malformed
// tests. `limits` apply to each run when given.
std::optional<sandbox::judge::JudgeResult> judge_against_tests(
    std::string_view completion, const nlohmann::json& tests, sandbox::judge::Judge& judge,
    const std::optional<sandbox::Limits>& limits = std::nullopt);

// Throws InvalidRequest naming a missing or mismatched field.
nlohmann::json openrlhf_rewards(const nlohmann::json& body, sandbox::judge::Judge& judge,
                                size_t threads);

}  // namespace crucible::rewards
