#include "base/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace crucible {
namespace {

// Holds a pool's only worker in a job until release(), so that later jobs wait in the queue.
class BusyWorker {
 public:
  explicit BusyWorker(WorkerPool& pool) {
    std::promise<void> started;
    auto gate = release_.get_future().share();
    running_ = pool.submit([gate, &started] {
      started.set_value();
      gate.wait();
    });
    started.get_future().wait();
  }
  void release() {
    release_.set_value();
    running_.get();
  }

 private:
  std::promise<void> release_;
  std::future<void> running_;
};

TEST(WorkerPool, RunsEveryJobAndReturnsItsValue) {
  WorkerPool pool(2, 4);
  std::vector<std::future<int>> results;
  for (int i = 0; i < 20; ++i) results.push_back(pool.submit([i] { return i * i; }));
  for (int i = 0; i < 20; ++i) EXPECT_EQ(results[i].get(), i * i);
}

TEST(WorkerPool, AJobsExceptionArrivesThroughItsFuture) {
  WorkerPool pool(1, 1);
  auto f = pool.submit([]() -> int { throw std::invalid_argument("bad job"); });
  EXPECT_THROW(f.get(), std::invalid_argument);
  EXPECT_EQ(pool.submit([] { return 7; }).get(), 7);  // the worker survived
}

TEST(WorkerPool, TrySubmitRefusesWhenTheQueueIsFull) {
  WorkerPool pool(1, 1);
  BusyWorker busy(pool);  // the only worker is busy
  auto queued = pool.try_submit([] {});
  ASSERT_TRUE(queued.has_value());
  EXPECT_FALSE(pool.try_submit([] {}).has_value());  // queue of one is full
  busy.release();
  queued->get();
}

TEST(WorkerPool, WaitingJobsAreTakenRoundRobinAcrossKeys) {
  WorkerPool pool(1, 16);
  BusyWorker busy(pool);  // the only worker is busy while the queue fills
  std::mutex mu;
  std::string order;
  std::vector<std::future<void>> jobs;
  auto job = [&](char name) {
    return [&, name] {
      std::lock_guard lock(mu);
      order += name;
    };
  };
  // A backlog of six from one client, then one job each from two others.
  for (int i = 0; i < 6; ++i) jobs.push_back(pool.submit(job('a'), "10.0.0.1"));
  jobs.push_back(pool.submit(job('b'), "10.0.0.2"));
  jobs.push_back(pool.submit(job('c'), "10.0.0.3"));
  EXPECT_EQ(pool.queued(), 8u);
  busy.release();
  for (auto& j : jobs) j.get();
  EXPECT_EQ(order, "abcaaaaa") << "the later clients wait for one of the backlog, not all of it";
  EXPECT_EQ(pool.queued(), 0u);
}

TEST(WorkerPool, AKeyCannotTakeMoreThanItsShareOfTheQueue) {
  WorkerPool pool(1, 8, 3);
  BusyWorker busy(pool);
  std::vector<std::future<void>> jobs;
  for (int i = 0; i < 3; ++i) {
    auto f = pool.try_submit([] {}, "10.0.0.1");
    ASSERT_TRUE(f.has_value()) << i;
    jobs.push_back(std::move(*f));
  }
  EXPECT_FALSE(pool.try_submit([] {}, "10.0.0.1").has_value()) << "its share is 3";
  EXPECT_EQ(pool.waiting("10.0.0.1"), 3u);
  auto other = pool.try_submit([] {}, "10.0.0.2");
  ASSERT_TRUE(other.has_value()) << "the queue still has room for another client";
  jobs.push_back(std::move(*other));
  // A blocking submit of the full key waits for one of its jobs to be taken, not for the queue.
  std::atomic<bool> submitted{false};
  std::thread late([&] {
    pool.submit([] {}, "10.0.0.1").get();
    submitted = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(submitted.load());
  busy.release();
  late.join();
  EXPECT_TRUE(submitted.load());
  for (auto& j : jobs) j.get();
}

TEST(WorkerPool, ShutdownRefusesNewWorkButFinishesQueuedJobs) {
  std::atomic<int> done{0};
  WorkerPool pool(1, 8);
  for (int i = 0; i < 5; ++i) pool.submit([&done] { ++done; });
  pool.shutdown();
  EXPECT_FALSE(pool.try_submit([] {}).has_value());
  EXPECT_THROW(pool.submit([] {}), std::runtime_error);
  pool.join();
  EXPECT_EQ(done.load(), 5);
}

TEST(WorkerPool, JoinReleasesWhatJobsCapturedBeforeReturning) {
  // A server hands jobs callbacks that own connections; after join() none may remain.
  auto owned = std::make_shared<int>(1);
  WorkerPool pool(2, 8);
  for (int i = 0; i < 6; ++i) pool.submit([owned] { return *owned; });
  pool.join();
  EXPECT_EQ(owned.use_count(), 1);
  pool.join();  // idempotent
}

}  // namespace
}  // namespace crucible
