// Held-out evaluation: greedy completions of every held-out task, scored, with accuracy
// overall and per task source, and one heldout.jsonl line per task (what the report's
// before/after table shows).
//
//   HeldOut h = evaluate_held_out(engine, eval_tasks, greedy, "plain", iteration);
//   append_durably(dir / "heldout.jsonl", h.lines);
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "policy/policy.hpp"
#include "rollout/engine.hpp"
#include "tasks/task.hpp"

namespace crucible::rollout {

struct HeldOut {
  double accuracy = 0;
  nlohmann::json by_source = nlohmann::json::object();  // source -> accuracy
  double tool_rate = 0;  // share of the completions that made a tool call
  std::string lines;     // heldout.jsonl lines
};

HeldOut evaluate_held_out(const RolloutEngine& engine, const std::vector<tasks::Task>& tasks,
                          const policy::SamplingParams& greedy, const std::string& prompt_template,
                          size_t iteration);

}  // namespace crucible::rollout
