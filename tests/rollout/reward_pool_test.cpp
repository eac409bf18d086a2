// Rewards in flight: a late reward is a verdict (never a hang), a sandbox failure is
// retried once and then stays invalid, an exception becomes an invalid reward.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "rollout/reward_pool.hpp"

namespace crucible::rollout {
namespace {

rewards::Reward scored(double v) {
  rewards::Reward r;
  r.value = v;
  r.verdict = "correct";
  return r;
}

TEST(RewardPool, ScoresConcurrentlyAndInOrder) {
  RewardPool pool(2, 8, std::chrono::seconds(10));
  std::vector<RewardPool::Pending> pending;
  for (int i = 0; i < 6; ++i) pending.push_back(pool.submit([i] { return scored(i); }));
  for (int i = 0; i < 6; ++i) EXPECT_EQ(pool.collect(pending[static_cast<size_t>(i)]).value, i);
}

TEST(RewardPool, ALateRewardIsATimeoutVerdictNotAHang) {
  RewardPool pool(1, 4, std::chrono::milliseconds(50));
  auto p = pool.submit([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    return scored(1);
  });
  rewards::Reward r = pool.collect(p);
  EXPECT_FALSE(r.valid);
  EXPECT_EQ(r.reason, "reward_timeout");
}

TEST(RewardPool, SandboxFailuresAreRetriedOnceThenInvalid) {
  RewardPool pool(1, 4, std::chrono::seconds(10));
  std::atomic<int> calls{0};
  auto flaky = pool.submit(
      [&] { return ++calls == 1 ? rewards::Reward::invalid("sandbox_error") : scored(1); });
  EXPECT_EQ(pool.collect(flaky).value, 1);
  EXPECT_EQ(calls, 2);
  calls = 0;
  auto broken = pool.submit([&] {
    ++calls;
    return rewards::Reward::invalid("sandbox_error");
  });
  rewards::Reward r = pool.collect(broken);
  EXPECT_FALSE(r.valid);
  EXPECT_EQ(calls, 2);
  auto throws = pool.submit([]() -> rewards::Reward { throw std::runtime_error("boom"); });
  rewards::Reward e = pool.collect(throws);
  EXPECT_FALSE(e.valid);
  EXPECT_EQ(e.reason, "reward_error");
}

}  // namespace
}  // namespace crucible::rollout
