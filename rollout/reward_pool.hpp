// Rewards computed in flight: a bounded pool of workers scores samples while the caller
// goes on (generating the next batch). Each reward has a hard timeout; a reward that is
// late becomes the verdict "reward_timeout" (excluded, never a hang), and a sample whose
// scoring failed for the sandbox's own reasons is retried once, then left invalid.
//
//   RewardPool pool(2, 64, std::chrono::seconds(30));
//   auto pending = pool.submit([&] { return reward.score(task, completion, &judge); });
//   Reward r = pool.collect(pending);
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <memory>

#include "base/worker_pool.hpp"
#include "rewards/reward.hpp"

namespace crucible::rollout {

class RewardPool {
 public:
  RewardPool(size_t workers, size_t queue, std::chrono::milliseconds timeout);

  struct Pending {
    std::shared_future<rewards::Reward> result;
    std::chrono::steady_clock::time_point deadline;
    std::function<rewards::Reward()> job;  // kept for the one retry
  };
  // Queues a scoring job (blocks while the queue is full: never unbounded).
  Pending submit(std::function<rewards::Reward()> job);
  // Waits until the job's deadline at most.
  rewards::Reward collect(Pending& pending);

 private:
  std::chrono::milliseconds timeout_;
  std::unique_ptr<WorkerPool> pool_;
};

}  // namespace crucible::rollout
