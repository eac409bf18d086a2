// Continuous batching over any Policy: generate() calls from many threads (one per HTTP
// request in `crucible serve-policy`) decode together, a chunk of tokens per round, so N
// clients asking for one sample each cost about one batched decode instead of N in turn. A
// call joins at the next round and returns when its own samples end. Each sample's tokens
// are the ones policy.generate would give it alone (a sample's random stream is its own, and
// chunks continue from the kept KV state).
//
//   BatchedPolicy batched(native, {.max_rows = 64});
//   // from any thread: batched.generate(prompts, params)
//
// fixed_rows models a GPU server's cost: every round decodes max_rows rows, the idle ones on
// filler samples, so a round costs the same with 1 or max_rows samples in flight (on a GPU a
// decode step costs about the same up to its batch size; on a CPU the filler rows are work
// done only to measure a schedule as a GPU server would see it).
#pragma once

#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "policy/policy.hpp"

namespace crucible::policy {

struct BatchingOptions {
  size_t chunk_tokens = 4;  // tokens per round; new calls join between rounds
  size_t max_rows = 64;     // samples decoding at once; more wait (vLLM's max_num_seqs)
  bool fixed_rows = false;  // every round decodes max_rows rows (see above)
};

class BatchedPolicy : public Policy {
 public:
  // Throws InvalidRequest for chunk_tokens or max_rows of 0.
  BatchedPolicy(Policy& inner, BatchingOptions options);
  ~BatchedPolicy() override;  // finishes every call already made
  BatchedPolicy(const BatchedPolicy&) = delete;
  BatchedPolicy& operator=(const BatchedPolicy&) = delete;

  // Blocks until this call's samples end; rethrows a failure of a round it was in.
  std::vector<Sample> generate(const std::vector<std::string>& prompts,
                               const SamplingParams& params) override;
  std::vector<Sample> generate_tokens(const std::vector<std::vector<int>>& prompts,
                                      const SamplingParams& params) override;
  std::vector<Sample> start_tokens(const std::vector<std::vector<int>>& prompts,
                                   const SamplingParams& params) override;
  // Not batched: the wrapped policy's own.
  void resume(std::vector<Sample>& samples, size_t max_new_tokens) override;
  std::vector<Sample> start(const std::vector<std::string>& prompts,
                            const SamplingParams& params) override;
  std::string version() const override { return inner_.version(); }
  Sample prefix(const Sample& sample, size_t completion_tokens) const override;
  void force(Sample& sample, const std::string& text) const override;

  // Rounds decoded so far, and the real (not filler) rows they held: their ratio is the
  // mean batch a client's samples shared.
  size_t rounds() const;
  size_t rows_decoded() const;

 private:
  struct Call;
  // Joins samples `started` with `chunked` params (asked for as `params`) to the batch and
  // waits for them.
  std::vector<Sample> join(std::vector<Sample> started, const SamplingParams& params);
  static SamplingParams chunked(const SamplingParams& params);
  void loop();
  // One decode round over the calls in flight; finished calls are answered and dropped.
  void round(std::vector<std::shared_ptr<Call>>& active);

  Policy& inner_;
  BatchingOptions options_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Call>> waiting_;
  bool stopping_ = false;
  size_t rounds_ = 0, rows_decoded_ = 0;
  std::thread thread_;
};

}  // namespace crucible::policy
