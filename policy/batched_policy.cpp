#include "policy/batched_policy.hpp"

#include <algorithm>

#include "base/error.hpp"

namespace crucible::policy {

struct BatchedPolicy::Call {
  std::vector<Sample> samples;
  std::vector<size_t> budget;  // tokens each sample may still draw
  std::vector<bool> finished;
  SamplingParams asked;  // restored on the samples when the call is answered
  std::promise<std::vector<Sample>> answer;

  size_t open() const {
    return static_cast<size_t>(std::count(finished.begin(), finished.end(), false));
  }
};

BatchedPolicy::BatchedPolicy(Policy& inner, BatchingOptions options)
    : inner_(inner), options_(options) {
  if (options_.chunk_tokens == 0) throw InvalidRequest("batching: chunk_tokens must be at least 1");
  if (options_.max_rows == 0) throw InvalidRequest("batching: max_rows must be at least 1");
  thread_ = std::thread([this] { loop(); });
}

BatchedPolicy::~BatchedPolicy() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

SamplingParams BatchedPolicy::chunked(const SamplingParams& params) {
  SamplingParams p = params;
  p.keep_kv_cache = true;  // each round continues from the last without prefilling
  return p;
}

std::vector<Sample> BatchedPolicy::generate(const std::vector<std::string>& prompts,
                                            const SamplingParams& params) {
  return join(inner_.start(prompts, chunked(params)), params);
}

std::vector<Sample> BatchedPolicy::generate_tokens(const std::vector<std::vector<int>>& prompts,
                                                   const SamplingParams& params) {
  return join(inner_.start_tokens(prompts, chunked(params)), params);
}

std::vector<Sample> BatchedPolicy::join(std::vector<Sample> started, const SamplingParams& params) {
  auto call = std::make_shared<Call>();
  call->asked = params;
  call->samples = std::move(started);
  call->budget.assign(call->samples.size(), params.max_tokens);
  call->finished.assign(call->samples.size(), params.max_tokens == 0);
  auto answer = call->answer.get_future();
  {
    std::lock_guard lock(mu_);
    if (stopping_) throw Error("batched policy: shutting down");
    waiting_.push_back(call);
  }
  wake_.notify_all();
  return answer.get();
}

void BatchedPolicy::loop() {
  std::vector<std::shared_ptr<Call>> active;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || !waiting_.empty() || !active.empty(); });
      if (stopping_ && waiting_.empty() && active.empty()) return;
      size_t rows = 0;
      for (const auto& c : active) rows += c->open();
      // Calls join in arrival order while their samples fit; one larger than max_rows runs
      // once the batch is empty.
      while (!waiting_.empty() &&
             (rows == 0 || rows + waiting_.front()->open() <= options_.max_rows)) {
        rows += waiting_.front()->open();
        active.push_back(std::move(waiting_.front()));
        waiting_.pop_front();
      }
    }
    round(active);
  }
}

void BatchedPolicy::round(std::vector<std::shared_ptr<Call>>& active) {
  std::vector<Sample> batch;
  std::vector<std::pair<Call*, size_t>> owner;
  std::vector<size_t> drawn_before;
  size_t chunk = options_.chunk_tokens;
  for (const auto& c : active)
    for (size_t i = 0; i < c->samples.size(); ++i) {
      if (c->finished[i]) continue;
      owner.emplace_back(c.get(), i);
      drawn_before.push_back(c->samples[i].tokens.size());
      chunk = std::min(chunk, c->budget[i]);
      batch.push_back(std::move(c->samples[i]));
    }
  const size_t real = batch.size();
  if (options_.fixed_rows && real < options_.max_rows) {
    SamplingParams filler;
    filler.max_tokens = chunk;
    for (auto& s : inner_.start(std::vector<std::string>(options_.max_rows - real, " "), filler))
      batch.push_back(std::move(s));
  }
  std::exception_ptr failure;
  if (real > 0) {
    try {
      inner_.resume(batch, chunk);
    } catch (...) {
      failure = std::current_exception();
    }
  }
  if (real > 0) {
    std::lock_guard lock(mu_);
    ++rounds_;
    rows_decoded_ += real;
  }
  for (size_t r = 0; r < real; ++r) {
    auto [call, i] = owner[r];
    Sample& s = call->samples[i] = std::move(batch[r]);
    size_t drawn = s.tokens.size() - drawn_before[r];
    call->budget[i] -= std::min(drawn, call->budget[i]);
    call->finished[i] = failure || s.finish_reason != "length" || call->budget[i] == 0;
  }
  auto answered = [&](const std::shared_ptr<Call>& c) {
    if (failure) {
      c->answer.set_exception(failure);
      return true;
    }
    if (c->open() > 0) return false;
    for (auto& s : c->samples) {
      s.params = c->asked;
      if (!c->asked.keep_kv_cache) s.kv.reset();
    }
    c->answer.set_value(std::move(c->samples));
    return true;
  };
  active.erase(std::remove_if(active.begin(), active.end(), answered), active.end());
}

void BatchedPolicy::resume(std::vector<Sample>& samples, size_t max_new_tokens) {
  inner_.resume(samples, max_new_tokens);
}

std::vector<Sample> BatchedPolicy::start(const std::vector<std::string>& prompts,
                                         const SamplingParams& params) {
  return inner_.start(prompts, params);
}

std::vector<Sample> BatchedPolicy::start_tokens(const std::vector<std::vector<int>>& prompts,
                                                const SamplingParams& params) {
  return inner_.start_tokens(prompts, params);
}

Sample BatchedPolicy::prefix(const Sample& sample, size_t completion_tokens) const {
  return inner_.prefix(sample, completion_tokens);
}

void BatchedPolicy::force(Sample& sample, const std::string& text) const {
  inner_.force(sample, text);
}

size_t BatchedPolicy::rounds() const {
  std::lock_guard lock(mu_);
  return rounds_;
}

size_t BatchedPolicy::rows_decoded() const {
  std::lock_guard lock(mu_);
  return rows_decoded_;
}

}  // namespace crucible::policy
