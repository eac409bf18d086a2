#include "rollout/reward_pool.hpp"

namespace crucible::rollout {

RewardPool::RewardPool(size_t workers, size_t queue, std::chrono::milliseconds timeout)
    : timeout_(timeout), pool_(std::make_unique<WorkerPool>(workers, queue)) {}

RewardPool::Pending RewardPool::submit(std::function<rewards::Reward()> job) {
  auto guarded = [job] {
    try {
      return job();
    } catch (const std::exception& e) {
      return rewards::Reward::invalid("reward_error", {{"message", e.what()}});
    }
  };
  Pending p;
  p.result = pool_->submit(guarded).share();
  p.deadline = std::chrono::steady_clock::now() + timeout_;
  p.job = std::move(job);
  return p;
}

rewards::Reward RewardPool::collect(Pending& p) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (p.result.wait_until(p.deadline) != std::future_status::ready)
      return rewards::Reward::invalid(
          "reward_timeout",
          {{"timeout_ms",
            std::chrono::duration_cast<std::chrono::milliseconds>(timeout_).count()}});
    rewards::Reward r = p.result.get();
    bool sandbox_failure = !r.valid && r.reason == "sandbox_error";
    if (!sandbox_failure || attempt == 1) return r;
    Pending retry = submit(p.job);  // once more; a second failure stays invalid
    p.result = retry.result;
    p.deadline = retry.deadline;
  }
  return rewards::Reward::invalid("sandbox_error");
}

}  // namespace crucible::rollout
