#include "base/worker_pool.hpp"

namespace crucible {

WorkerPool::WorkerPool(size_t threads, size_t queue_capacity)
    : capacity_(queue_capacity ? queue_capacity : 1) {
  if (threads == 0) threads = 1;
  for (size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() {
  join();
}

void WorkerPool::join() {
  shutdown();
  for (auto& t : workers_)
    if (t.joinable()) t.join();
}

void WorkerPool::shutdown() {
  std::lock_guard lock(mu_);
  stopping_ = true;
  not_empty_.notify_all();
  not_full_.notify_all();
}

size_t WorkerPool::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

size_t WorkerPool::active() const {
  std::lock_guard lock(mu_);
  return active_;
}

void WorkerPool::work() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mu_);
      not_empty_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping and drained
      job = std::move(queue_.front());
      queue_.pop_front();
      ++active_;
      not_full_.notify_one();
    }
    job();  // packaged_task keeps exceptions in the future
    std::lock_guard lock(mu_);
    --active_;
  }
}

}  // namespace crucible
