// The self-training loop: the policy generates, the verifiers and the sandbox reward, the
// policy is updated, held-out accuracy is measured. Each iteration:
//   pick tasks (Curriculum) -> roll out (parallel groups, or serial groups for s_grpo)
//   -> reward (math verifier; code judged in the sandbox) -> update (PgTrainer)
//   -> evaluate (greedy, held out) every eval_every iterations and at both ends
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
#include "policy/model/checkpoint.hpp"
#include "policy/native_policy.hpp"
#include "rewards/composite.hpp"
#include "rollout/record.hpp"
#include "rollout/reward_pool.hpp"
#include "rollout/segmented.hpp"
#include "rollout/train/curriculum.hpp"
#include "rollout/train/train_config.hpp"
#include "tasks/generators.hpp"
#include "tasks/task.hpp"

namespace crucible::sandbox::judge {
class Judge;
}

namespace crucible::rollout {

// The sandbox as the loop uses it, bound once by the caller (a local jail or `crucible serve`
// endpoints: sandbox/service/access.hpp): the judge of code rewards, and the runner of
// reference programs that fills in generated code tasks' expected outputs. Both may be
// empty when no task is a code task.
struct Judging {
  sandbox::judge::Judge* judge = nullptr;
  tasks::ReferenceRunner reference_outputs;
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
  // `resume`: continue the run in `run_dir` from its checkpoint (its config.json wins);
  // otherwise the directory must not hold a run yet.
  SelfTrainer(TrainConfig config, std::filesystem::path run_dir, bool resume, Judging judging = {});
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
  struct Rollout {  // one iteration's rewarded groups (self_train_rollout.cpp)
    std::vector<std::vector<SampleRecord>> groups;
    size_t dropped = 0;
    size_t in_flight = 0, groups_waiting = 0;  // segmented: carried to the next iteration
    double seconds = 0;
  };
  std::vector<tasks::Task> load(const std::vector<TaskSource>& sources, uint64_t seed,
                                bool need_tests);
  void warm_start();
  // Greedy accuracy on the held-out tasks; every completion and verdict goes to heldout.jsonl.
  double evaluate(size_t iteration);
  Rollout roll_out(size_t iteration, const std::vector<size_t>& picked);
  void roll_out_segmented(size_t iteration, const std::vector<tasks::Task>& ordered, size_t wanted,
                          const policy::SamplingParams& sampling, Rollout& out);
  nlohmann::json iterate(size_t iteration);
  void save(size_t iteration);
  void restore(const policy::Checkpoint& checkpoint);
  void restore_state(const nlohmann::json& state);

  TrainConfig config_;
  std::filesystem::path dir_;
  Judging judging_;
  std::unique_ptr<critique::Critic> critic_;  // critique in the loop, when configured
  // Segmented rollouts: samples in flight across iterations, and finished samples of
  // groups not yet complete (by group id).
  std::unique_ptr<SegmentedRollout> segmented_;
  std::map<std::string, std::vector<SampleRecord>> waiting_;
  size_t open_groups_ = 0;                        // started and not yet trained on
  std::unique_ptr<policy::NativePolicy> policy_;  // null with a served policy
  std::unique_ptr<policy::Policy> remote_;        // the served policy (remote.policy)
  policy::Policy& actor() { return policy_ ? static_cast<policy::Policy&>(*policy_) : *remote_; }
  std::unique_ptr<policy::AdamW> optimizer_;
  rewards::CompositeReward reward_;
  std::unique_ptr<RewardPool> pool_;
  std::vector<tasks::Task> tasks_, eval_;
  std::map<std::string, size_t> index_of_;  // training task id -> index
  std::unique_ptr<Curriculum> curriculum_;
  size_t done_ = 0;  // iterations completed
  std::optional<double> accuracy_before_;
  double accuracy_last_ = 0;
  nlohmann::json last_eval_by_source_ = nlohmann::json::object();
  double elapsed_ = 0;  // seconds, over resumed sessions
  std::function<void(size_t, double)> warmup_progress_;
};

}  // namespace crucible::rollout
