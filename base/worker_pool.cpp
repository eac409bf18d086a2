#include "base/worker_pool.hpp"

namespace crucible {

WorkerPool::WorkerPool(size_t threads, size_t queue_capacity, size_t per_key_capacity)
    : capacity_(queue_capacity ? queue_capacity : 1),
      per_key_capacity_(per_key_capacity ? per_key_capacity : capacity_) {
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
  return queued_;
}

size_t WorkerPool::waiting(const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = waiting_.find(key);
  return it == waiting_.end() ? 0 : it->second.size();
}

bool WorkerPool::has_room(const std::string& key) const {
  if (queued_ >= capacity_) return false;
  auto it = waiting_.find(key);
  return it == waiting_.end() || it->second.size() < per_key_capacity_;
}

void WorkerPool::enqueue(const std::string& key, std::function<void()> job) {
  auto& jobs = waiting_[key];
  if (jobs.empty()) turns_.push_back(key);
  jobs.push_back(std::move(job));
  ++queued_;
  not_empty_.notify_one();
}

std::function<void()> WorkerPool::take_next() {
  std::string key = std::move(turns_.front());
  turns_.pop_front();
  auto it = waiting_.find(key);
  std::function<void()> job = std::move(it->second.front());
  it->second.pop_front();
  if (it->second.empty())
    waiting_.erase(it);
  else
    turns_.push_back(std::move(key));  // its next job waits for every other key's turn
  --queued_;
  return job;
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
      not_empty_.wait(lock, [&] { return queued_ > 0 || stopping_; });
      if (queued_ == 0) return;  // stopping and drained
      job = take_next();
      ++active_;
      not_full_.notify_all();  // waiters of different keys wait for different room
    }
    job();  // packaged_task keeps exceptions in the future
    std::lock_guard lock(mu_);
    --active_;
  }
}

}  // namespace crucible
