// A fixed set of worker threads over a bounded queue: submit() blocks while the queue is
// full, try_submit() refuses instead (the service answers 429). Never an unbounded queue.
// Jobs may carry a key (the service uses the client's address): waiting jobs are taken
// round robin across keys, so one client's backlog delays another client's job by at most
// one job per key ahead of it, not by the whole backlog. A key may hold at most
// `per_key_capacity` waiting jobs, so one client cannot fill the queue that others need.
//
//   WorkerPool pool(2, 16, 12);  // 2 threads, 16 waiting jobs, 12 of them per key
//   auto f = pool.submit([] { return 42; });
//   f.get();   // 42
//   pool.try_submit([] { ... }, "10.0.0.7");   // nullopt when the queue or the key's share is full
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace crucible {

class WorkerPool {
 public:
  // per_key_capacity 0: a key may take the whole queue.
  WorkerPool(size_t threads, size_t queue_capacity, size_t per_key_capacity = 0);
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  // Finishes everything already queued, then joins the workers.
  ~WorkerPool();

  template <typename F>
  auto submit(F f, const std::string& key = "") -> std::future<std::invoke_result_t<F>> {
    auto [task, future] = package(std::move(f));
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return has_room(key) || stopping_; });
    if (stopping_) throw std::runtime_error("worker pool is shutting down");
    enqueue(key, std::move(task));
    return std::move(future);
  }

  template <typename F>
  auto try_submit(F f, const std::string& key = "")
      -> std::optional<std::future<std::invoke_result_t<F>>> {
    auto [task, future] = package(std::move(f));
    std::lock_guard lock(mu_);
    if (!has_room(key) || stopping_) return std::nullopt;
    enqueue(key, std::move(task));
    return std::move(future);
  }

  size_t queued() const;
  // Jobs of this key waiting (not running).
  size_t waiting(const std::string& key) const;
  size_t per_key_capacity() const { return per_key_capacity_; }
  size_t active() const;
  size_t threads() const { return workers_.size(); }
  // Stops accepting work; queued jobs still run. Idempotent.
  void shutdown();
  // shutdown(), then waits until every worker has run its last job and dropped it
  // (captured state is released before join() returns). Idempotent.
  void join();

 private:
  template <typename F>
  static auto package(F f) {
    using R = std::invoke_result_t<F>;
    auto task = std::make_shared<std::packaged_task<R()>>(std::move(f));
    std::future<R> future = task->get_future();
    return std::make_pair(std::function<void()>([task] { (*task)(); }), std::move(future));
  }
  void work();
  // All three with mu_ held.
  bool has_room(const std::string& key) const;
  void enqueue(const std::string& key, std::function<void()> job);
  std::function<void()> take_next();

  size_t capacity_;
  size_t per_key_capacity_;
  mutable std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::map<std::string, std::deque<std::function<void()>>> waiting_;  // by key
  std::deque<std::string> turns_;  // keys with waiting jobs, the next to serve first
  size_t queued_ = 0;
  size_t active_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace crucible
