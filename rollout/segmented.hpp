// Segmented ultra-long rollouts (UloRL): a maximum output length L split into s segments
// of L/s tokens. Each step generates at most one segment per active sample; samples that
// end go to the experience pool; samples that hit the segment limit wait in the
// unfinished pool and continue next step, ahead of new prompts; samples that reach L are
// truncated and go to the experience pool (reward 0 when `overlong_zero`). Every token
// records the policy version that produced it.
//
//   SegmentedRollout r(policy, tasks, options, scorer);
//   while (...) { auto finished = r.step(); ... policy updates ... }
//
// Prompt p samples from the stream (seed, p) however its segments are scheduled, so with
// an unchanged policy a segmented rollout produces exactly the unsegmented samples.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "policy/policy.hpp"
#include "rewards/scorer.hpp"
#include "rollout/record.hpp"
#include "tasks/task.hpp"

namespace crucible::rollout {

// How a trainer computes importance weights for tokens made by older versions.
enum class ImportanceMode {
  Pois,  // every segment treated as on-policy for the latest version (the default)
  Sais,  // each token against the version that produced it
};

struct SegmentOptions {
  size_t max_tokens = 512;  // L
  size_t segments = 4;      // s
  size_t active = 16;       // samples in flight per step
  bool overlong_zero = true;
  policy::SamplingParams sampling;
  std::string prompt_template = "boxed";
};

class SegmentedRollout {
 public:
  SegmentedRollout(policy::Policy& policy, const std::vector<tasks::Task>& tasks,
                   SegmentOptions options, rewards::Scorer score);

  // More prompts, started after those already given (a training loop feeds each
  // iteration's picks); their records carry `group_id` instead of the task's id.
  void add(const std::vector<tasks::Task>& tasks, const std::string& group_id);

  // One step: continue unfinished samples (first), start new prompts up to `active`,
  // generate at most one segment each; returns the samples that finished in this step.
  std::vector<SampleRecord> step();
  size_t unfinished() const { return unfinished_.size(); }
  size_t started() const { return next_prompt_; }
  bool exhausted() const { return next_prompt_ >= tasks_.size() && unfinished_.empty(); }
  size_t segment_tokens() const { return options_.max_tokens / options_.segments; }

 private:
  struct InFlight {
    size_t task;
    policy::Sample sample;
    std::vector<std::pair<size_t, std::string>> versions;
  };
  SampleRecord finish(InFlight& f, bool truncated);

  policy::Policy& policy_;
  std::vector<tasks::Task> tasks_;
  std::vector<std::string> group_ids_;  // per task: the group its records belong to
  SegmentOptions options_;
  rewards::Scorer score_;
  std::deque<InFlight> unfinished_;
  size_t next_prompt_ = 0;
};

// The log-probs a trainer should treat as "old" for each completion token: under POIS
// the latest version's (`recomputed`, from the current policy) for every token; under SAIS
// the recorded ones, each from the version that produced its token.
std::vector<float> old_logprobs(const SampleRecord& record, const std::vector<float>& recomputed,
                                ImportanceMode mode);

}  // namespace crucible::rollout
