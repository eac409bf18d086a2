// The self-training loop: the policy generates, the verifiers and the sandbox reward, the
// policy is updated, held-out accuracy is measured. Each iteration is a list of steps, each
// in a file of its own:
//   pick tasks (curriculum) -> roll out and score (rollout_step, through the RolloutEngine)
//   -> tally (outcomes) -> repair (repair) -> update (update_batch, Learner)
//   -> evaluate (evaluation; every eval_every iterations and at both ends) -> record
// and writes, in the run directory: metrics.jsonl and metrics.csv (a line per iteration),
// samples.jsonl (every rewarded sample, `crucible label`'s format plus "iteration"),
// config.json, checkpoint/ (model, optimizer, loop state) so that a resumed run
// continues exactly where the interrupted one stopped, and warm_start/ (the model after
// the SFT warm start, for other runs to start from).
//
//   SelfTrainer t(config, "runs/demo", false, {judge, reference_outputs});  // code tasks
//   TrainSummary s = t.run([](const json& m) { print(m); });
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "critique/critic.hpp"
#include "rollout/engine.hpp"
#include "rollout/reward_pool.hpp"
#include "rollout/train/curriculum.hpp"
#include "rollout/train/learner.hpp"
#include "rollout/train/rollout_step.hpp"
#include "rollout/train/train_config.hpp"
#include "tasks/generators.hpp"
#include "tasks/task.hpp"
#include "tasks/tool_run.hpp"

namespace crucible::sandbox::judge {
class Judge;
}

namespace crucible::rollout {

// The sandbox as the loop uses it, bound once by the caller (a local jail or `crucible serve`
// endpoints: sandbox/service/access.hpp): the judge of code rewards, and the runner of
// reference programs that fills in generated code tasks' expected outputs, and the runner
// of the policy's tool calls (under tool-call limits). Each may be empty when nothing
// needs it: no code task, no tools.
struct Judging {
  sandbox::judge::Judge* judge = nullptr;
  tasks::ReferenceRunner reference_outputs;
  tasks::ToolRunner tool_calls;
};

struct TrainSummary {
  size_t iterations = 0;  // completed, in total
  double accuracy_before = 0, accuracy_after = 0;
  size_t eval_tasks = 0;
  nlohmann::json by_source_after;  // held-out accuracy per task source, at the end
  double seconds = 0;
};

class SelfTrainer {
 public:
  // `resume`: continue the run in `run_dir` from its checkpoint (its config.json wins, with
  // `overrides` applied); otherwise the directory must not hold a run yet (open_run).
  SelfTrainer(TrainConfig config, std::filesystem::path run_dir, bool resume, Judging judging = {},
              const nlohmann::json& overrides = nlohmann::json::object());
  ~SelfTrainer();

  // Runs the remaining iterations; `on_iteration` sees each metrics line as written.
  TrainSummary run(const std::function<void(const nlohmann::json&)>& on_iteration = {});
  // Before any iteration: SFT warm start (fresh runs) and its held-out accuracy.
  void on_warmup(const std::function<void(size_t step, double loss)>& progress) {
    warmup_progress_ = progress;
  }

  const TrainConfig& config() const { return config_; }
  size_t train_tasks() const { return tasks_.size(); }
  size_t eval_tasks() const { return eval_.size(); }

 private:
  std::vector<tasks::Task> load(const std::vector<TaskSource>& sources, uint64_t seed,
                                bool need_tests);
  // Greedy accuracy on the held-out tasks; every completion and verdict goes to heldout.jsonl.
  double evaluate(size_t iteration);
  nlohmann::json iterate(size_t iteration);
  nlohmann::json loop_state(size_t iteration) const;
  void restore_state(const nlohmann::json& state);

  TrainConfig config_;
  std::filesystem::path dir_;
  Judging judging_;
  std::unique_ptr<Learner> learner_;          // the native policy, or a served one
  std::unique_ptr<RewardPool> pool_;          // scores samples concurrently, with timeouts
  std::unique_ptr<ToolUse> tools_;            // the policy's tool calls, when configured
  std::unique_ptr<RolloutEngine> engine_;     // the learner's actor and the scorer, bound once
  std::unique_ptr<RolloutStep> rollout_;      // keeps UloRL's samples in flight between iterations
  std::unique_ptr<critique::Critic> critic_;  // critique in the loop, when configured
  std::vector<tasks::Task> tasks_, eval_;
  std::vector<tasks::Task> warmup_;         // a fresh run's, until the warm start has used them
  std::map<std::string, size_t> index_of_;  // training task id -> index
  std::unique_ptr<Curriculum> curriculum_;
  size_t done_ = 0;  // iterations completed
  std::optional<double> accuracy_before_;
  double accuracy_last_ = 0;
  nlohmann::json last_eval_by_source_ = nlohmann::json::object();
  double last_eval_tool_rate_ = 0;
  double elapsed_ = 0;  // seconds, over resumed sessions
  std::function<void(size_t, double)> warmup_progress_;
};

}  // namespace crucible::rollout
