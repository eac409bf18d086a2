// Reward-labeled datasets: every task's samples, rewarded, appended to a JSONL file one
// whole group at a time; a rerun resumes where an interrupted one stopped (a torn last
// line is cut, a task with fewer records than its group is redone), so nothing is lost
// or duplicated. Exports: plain SFT pairs and verl-style rows of accepted samples.
//
// Every mode rolls out through the RolloutEngine with the caller's scorer, as training does.
//
//   LabelSummary s = label_dataset(policy, scorer, tasks, options, "out.jsonl", on_group);
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "policy/policy.hpp"
#include "rewards/advantages.hpp"
#include "rewards/scorer.hpp"
#include "rollout/record.hpp"
#include "rollout/repeated.hpp"
#include "rollout/tool_tally.hpp"
#include "tasks/task.hpp"
#include "tasks/tool_run.hpp"

namespace crucible::rollout {

struct LabelOptions {
  std::string mode = "parallel";  // parallel | serial
  size_t n = 8;                   // samples per task (serial: exits + the full path)
  size_t segments = 1;            // > 1: UloRL segmented generation (parallel mode)
  size_t batch_tasks = 4;         // tasks generated together
  std::string prompt_template = "boxed";
  rewards::AdvantageMode advantage = rewards::AdvantageMode::Standard;
  policy::SamplingParams sampling;
  std::string policy_id;  // recorded with every sample
  // Tool-integrated turns (parallel mode): the languages the policy may run, at most
  // `tool_turns` calls per sample (rollout/tool_turns.hpp).
  std::vector<std::string> tools;
  size_t tool_turns = 4;

  // {"mode", "n", "segments", "batch_tasks", "template", "advantage", "max_tokens",
  //  "temperature", "top_p", "top_k", "seed", "tools", "tool_turns"}; unknown fields are
  //  named.
  static LabelOptions from_json(const nlohmann::json& j);
};

struct LabelSummary {
  size_t tasks = 0, resumed_tasks = 0, samples = 0, correct = 0, invalid = 0;
  ToolTally tools;  // tool-integrated turns
  std::map<std::string, size_t> verdicts;
  double mean_tokens = 0;
  double seconds = 0;
  std::map<std::string, BucketReport> repeated;
};

void to_json(nlohmann::json& j, const LabelSummary& s);

// Recovers `path` for appending: cuts a torn last line and drops the records of tasks
// with fewer records than their group has (each record's group_size, else `group_size`).
// Returns the completed task ids.
std::set<std::string> recover_dataset(const std::string& path, size_t group_size);

LabelSummary label_dataset(
    policy::Policy& policy, const rewards::Scorer& score, const std::vector<tasks::Task>& tasks,
    const LabelOptions& options, const std::string& out_path,
    const std::function<void(const std::vector<SampleRecord>&)>& on_group = {},
    const tasks::ToolRunner& tool_runner = {});

// Accepted samples (reward value >= 1) as {prompt, completion} lines; returns how many.
size_t export_sft(const std::string& dataset, const std::string& out);
// Accepted samples as verl-style rows {data_source, prompt: [{role, content}], ability,
// reward_model: {style, ground_truth}, extra_info}; needs the tasks for their answers.
size_t export_verl(const std::string& dataset, const std::vector<tasks::Task>& tasks,
                   const std::string& out);

}  // namespace crucible::rollout
