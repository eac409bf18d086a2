// The one scoring interface of every rollout (label, train, held-out evaluation, refine,
// tool-integrated turns): a reward bound once to the judge its code tasks need, so a
// sample is scored the same way wherever it was produced. Copies share the reward (and
// its length history); scoring is safe from several threads.
//
//   rewards::Scorer score(CompositeReward::from_json(config), &judge);
//   Reward r = score(task, {completion_text, completion_tokens});
//   bool right = score.correctness(task, completion_text).passed();
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "rewards/composite.hpp"

namespace crucible::rewards {

class Scorer {
 public:
  using Function = std::function<Reward(const tasks::Task&, const Completion&)>;

  // The composite reward with the judge of code tasks (null: math tasks only).
  explicit Scorer(CompositeReward reward = {}, sandbox::judge::Judge* judge = nullptr);
  // Any other reward (a remote reward model, a benchmark's constant): correctness is the
  // same function.
  explicit Scorer(Function score);

  Reward operator()(const tasks::Task& task, const Completion& completion) const;
  // Correctness alone, with the reward's options: what a critic's "is it right?" asks,
  // without feeding length terms a completion nobody trains on.
  Reward correctness(const tasks::Task& task, std::string_view completion) const;

 private:
  std::shared_ptr<CompositeReward> reward_;  // null with a plain function
  Function function_;
  sandbox::judge::Judge* judge_ = nullptr;
};

}  // namespace crucible::rewards
