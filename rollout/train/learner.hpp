// What the self-training loop samples from and trains. The native policy learns here: its
// weights and optimizer are the learner's, checkpointed with the loop's state. A served
// policy (vLLM, SGLang, `crucible serve-policy`) only samples: its own trainer learns from
// the exports, and the checkpoint holds the loop's state alone. The loop never asks which
// one it has.
//
//   std::unique_ptr<Learner> l = make_learner(config, run_dir, resume);
//   policy::UpdateStats u = l->update(batch);
//   l->save(run_dir / "checkpoint", loop_state);
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "policy/model/pg_trainer.hpp"
#include "policy/model/tokenizer.hpp"
#include "policy/policy.hpp"
#include "rollout/train/warm_start.hpp"
#include "tasks/task.hpp"

namespace crucible::rollout {

struct TrainConfig;

class Learner {
 public:
  virtual ~Learner() = default;

  virtual policy::Policy& actor() = 0;
  // Where samples end, the tokenizer and the context length: the native policy's; none,
  // null and 0 for a served one.
  virtual std::vector<int> stop_tokens() const = 0;
  virtual const policy::Tokenizer* tokenizer() const = 0;
  virtual size_t context() const = 0;
  // This machine's description for machine.json (null when the learner runs elsewhere).
  virtual nlohmann::json machine() const = 0;

  // SFT on the tasks' demonstrations, kept in `keep_dir` for other runs to start from
  // (nothing for a served policy, which comes warm).
  virtual void warm_start(const std::vector<tasks::Task>& tasks, const WarmStartOptions& options,
                          const std::function<void(size_t, double)>& progress,
                          const std::filesystem::path& keep_dir) = 0;
  // One policy-gradient update (nothing for a served policy: its trainer reads the exports).
  virtual policy::UpdateStats update(const std::vector<policy::ScoredSequence>& batch) = 0;
  virtual size_t updates() const = 0;

  // The checkpoint: what the learner keeps, and `state` (the loop's).
  virtual void save(const std::filesystem::path& dir, const nlohmann::json& state) = 0;
  // The loop's state of the checkpoint this learner resumed from (null on a fresh run).
  const nlohmann::json& resumed_state() const { return resumed_state_; }

 protected:
  nlohmann::json resumed_state_;
};

// The native policy (fresh from the config's model and seed, from `init`, or from the run's
// checkpoint when resuming) or the served one of `config.remote`.
std::unique_ptr<Learner> make_learner(const TrainConfig& config,
                                      const std::filesystem::path& run_dir, bool resume);

}  // namespace crucible::rollout
