#include "rewards/scorer.hpp"

namespace crucible::rewards {

Scorer::Scorer(CompositeReward reward, sandbox::judge::Judge* judge)
    : reward_(std::make_shared<CompositeReward>(std::move(reward))), judge_(judge) {}

Scorer::Scorer(Function score) : function_(std::move(score)) {}

Reward Scorer::operator()(const tasks::Task& task, const Completion& completion) const {
  return reward_ ? reward_->score(task, completion, judge_) : function_(task, completion);
}

Reward Scorer::correctness(const tasks::Task& task, std::string_view completion) const {
  if (!reward_) return function_(task, {std::string(completion), 0});
  return correctness_reward(task, completion, reward_->options(), judge_);
}

}  // namespace crucible::rewards
