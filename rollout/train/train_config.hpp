// Everything a self-training run does, from one JSON config (or a named preset with
// overrides). Unknown keys and bad values are errors that name the field.
//
//   TrainConfig c = TrainConfig::from_json(json::parse(text));        // defaults + fields
//   TrainConfig d = TrainConfig::preset("demo");                      // the main job
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "policy/model/config.hpp"
#include "policy/model/pg_trainer.hpp"
#include "rollout/serial.hpp"

namespace crucible::rollout {

// Where tasks come from: a built-in generator, or a JSONL file.
struct TaskSource {
  std::string family;  // generator family (tasks/generators.hpp)
  int difficulty = 1;
  size_t count = 100;
  std::string file;  // instead of a generator
};

struct TrainConfig {
  uint64_t seed = 1;
  policy::ModelConfig model;  // used when `init` is empty
  std::string init;           // a checkpoint to start from

  // Warm start: SFT on reference solutions before self-training (0 steps: none).
  size_t warmup_steps = 0, warmup_batch = 32;
  bool warmup_rationale = false;  // train on the worked rationale before the answer
  // An imperfect teacher (teacher.hpp): each binary minus of a demonstration is written as
  // a plus with probability sign_slips; a demonstration prints its expression's text instead
  // of its value with probability print_slips. The tasks' tests and answers stay correct.
  double warmup_sign_slips = 0, warmup_print_slips = 0;
  // The share of demonstrations that call the tool (rollout/tool_turns.hpp) to run their
  // task's program, for tasks that have one (the product family's).
  double warmup_tool_demos = 0;
  // The share of rationale demonstrations that repeat their whole computation as a check
  // before answering (teacher.hpp): redundant thinking, which S-GRPO's early exits can cut.
  double warmup_rechecks = 0;
  double warmup_lr = 3e-3;
  std::vector<TaskSource> warmup_tasks;

  std::vector<TaskSource> tasks;       // self-training tasks
  std::vector<TaskSource> eval_tasks;  // held out (prompts seen in training are dropped)

  size_t iterations = 20, tasks_per_iteration = 16, group_size = 8;
  std::string mode = "parallel";  // parallel | serial (s_grpo)
  size_t exits = 4;               // serial groups
  // The text appended at each exit of a serial group (S-GRPO's phrase by default; a policy
  // warm-started on "</think>" alone may need just that to answer after it).
  std::string answer_forcing = kDefaultAnswerForcing;
  std::string exit_loss = "answer";  // serial groups: SerialOptions::exit_loss
  std::string exit_at = "token";     // serial groups: SerialOptions::exit_at
  // UloRL segmented rollouts (parallel mode): max_tokens split into `segments`; each step
  // generates one segment per sample in flight, and samples still unfinished when an
  // iteration has its groups carry over into the next iteration (1: off).
  size_t segments = 1;
  policy::UpdateOptions update;  // the rule and its settings
  double lr = 1e-3;
  size_t max_tokens = 64;
  double temperature = 1.0;
  std::string prompt_template = "plain";
  bool dynamic_sampling = false;  // dapo turns it on
  size_t max_rounds = 3;          // dynamic sampling's generation rounds per iteration

  // GSI balancing: tasks solved at >= mastered_pass_rate are rarely picked, unsolved ones
  // get extra_samples more samples (rft), and at most max_accepted_per_task accepted
  // solutions of one task are trained on per iteration.
  bool balance = true;
  double mastered_pass_rate = 0.9;
  size_t extra_samples = 0;
  size_t max_accepted_per_task = 2;

  // Critique in the loop (rft only): wrong samples are critiqued and refined; verified,
  // non-shortcut refinements join the accepted ones. Off when `critic` is empty.
  struct CritiqueLoop {
    std::string critic;  // "arithmetic" | "execution" | "" (off)
    size_t refinements = 2, max_kept = 1;
    double shortcut_ratio = 0.5;
    bool in_prompt = false;  // the small native policy reads no critique text; it restarts
    bool restart = true;     // from the first wrong step
    bool conditioned = false;
  } critique;
  // GSI guided resampling (rft only) for tasks with fewer than min_correct accepted samples
  // in their group. Off when `strategy` is empty; "none" is brute force at the same budget.
  struct GuidanceLoop {
    std::string strategy;  // none | answer | rationale | critique | state_reset
    size_t rounds = 2, samples = 4, min_correct = 1;
  } guidance;

  // Tool-integrated rollouts (parallel mode): the policy may run code in the sandbox while
  // it reasons, in training and held-out evaluation alike; max_tokens bounds the whole
  // transcript. Off when `languages` is empty.
  struct Tools {
    std::vector<std::string> languages;  // e.g. {"python3"}
    size_t max_turns = 4, max_output_bytes = 256;
  } tools;
  bool use_tools() const { return !tools.languages.empty(); }

  // Beyond one machine: the policy served by an OpenAI-compatible server (the loop then
  // runs everything but the weight update and exports each iteration for an external
  // trainer), and/or the sandbox as `crucible serve` endpoints that judging spreads over.
  struct Remote {
    std::string policy_url, policy_model;
    std::vector<std::string> sandbox_endpoints;
  } remote;
  bool remote_policy() const { return !remote.policy_url.empty(); }

  // The matrix kernels of the native policy: "blas" (OpenBLAS, whichever kernel it picks for
  // the CPU) or "naive" (the reference loops; slower, the same on every machine).
  std::string kernels = "blas";

  size_t eval_every = 5;  // iterations between held-out evaluations (and at both ends)
  size_t pass_k = 4;      // pass@k from each iteration's groups

  static TrainConfig from_json(const nlohmann::json& j);  // over the defaults
  // "demo" (the main job: products through a Python tool), "expression" (the earlier demo,
  // whose gain hangs on the BLAS kernels' rounding) or "tiny" (seconds; tests), with
  // `overrides` applied.
  static TrainConfig preset(const std::string& name, const nlohmann::json& overrides = {});
  nlohmann::json to_json() const;
};

}  // namespace crucible::rollout
