#include "rollout/segmented.hpp"

#include "base/error.hpp"
#include "tasks/prompts.hpp"

namespace crucible::rollout {

SegmentedRollout::SegmentedRollout(policy::Policy& policy, const std::vector<tasks::Task>& tasks,
                                   SegmentOptions options, rewards::Scorer score)
    : policy_(policy), tasks_(tasks), options_(std::move(options)), score_(std::move(score)) {
  for (const auto& t : tasks_) group_ids_.push_back(t.id);
  if (options_.segments == 0 || options_.max_tokens < options_.segments)
    throw InvalidRequest("segmented rollout: segments must be between 1 and max_tokens");
  if (options_.active == 0) throw InvalidRequest("segmented rollout: active must be positive");
}

void SegmentedRollout::add(const std::vector<tasks::Task>& tasks, const std::string& group_id) {
  for (const auto& t : tasks) {
    tasks_.push_back(t);
    group_ids_.push_back(group_id);
  }
}

SampleRecord SegmentedRollout::finish(InFlight& f, bool truncated) {
  const tasks::Task& task = tasks_[f.task];
  SampleRecord r = SampleRecord::from_sample(f.sample, task.id,
                                             f.versions.empty() ? "" : f.versions.back().second);
  r.versions = f.versions;
  r.role = "sample";
  r.group_id = group_ids_[f.task];
  if (truncated) {
    r.finish_reason = "overlong";
    if (options_.overlong_zero) {
      r.reward.value = 0;
      r.reward.verdict = "overlong";
      r.reward.reason = "truncated at max_tokens";
      return r;
    }
  }
  r.reward = score_(task, {f.sample.text, f.sample.tokens.size()});
  return r;
}

std::vector<SampleRecord> SegmentedRollout::step() {
  const size_t segment = segment_tokens();
  const std::string version = policy_.version();
  std::vector<SampleRecord> done;
  auto note_version = [&](InFlight& f) {
    if (f.versions.empty() || f.versions.back().second != version)
      f.versions.push_back({f.sample.tokens.size(), version});
  };
  // Unfinished samples first, then new prompts in the free slots: one batch, at most one
  // segment each (never past L).
  std::vector<InFlight> batch;
  while (!unfinished_.empty() && batch.size() < options_.active) {
    batch.push_back(std::move(unfinished_.front()));
    unfinished_.pop_front();
    note_version(batch.back());
  }
  size_t start = next_prompt_;
  std::vector<std::string> prompts;
  const auto& templates = tasks::PromptTemplates::builtin();
  while (batch.size() + prompts.size() < options_.active && next_prompt_ < tasks_.size())
    prompts.push_back(templates.render(tasks_[next_prompt_++], options_.prompt_template).text);
  if (!prompts.empty()) {
    policy::SamplingParams p = options_.sampling;
    p.first_index = start;
    p.keep_kv_cache = true;  // the next segment continues from the kept keys and values
    auto samples = policy_.start(prompts, p);
    for (size_t i = 0; i < samples.size(); ++i) {
      InFlight f{start + i, std::move(samples[i]), {}};
      f.versions.push_back({0, version});
      batch.push_back(std::move(f));
    }
  }
  std::vector<policy::Sample> samples;
  for (auto& f : batch) samples.push_back(std::move(f.sample));
  policy_.resume(samples, segment);
  for (size_t i = 0; i < batch.size(); ++i) batch[i].sample = std::move(samples[i]);
  for (auto& f : batch) {
    bool ended = f.sample.finish_reason != "length";
    bool at_limit =
        f.sample.tokens.size() >= segment * options_.segments;  // L, rounded down to segments
    if (ended) {
      done.push_back(finish(f, false));
    } else if (at_limit) {
      f.sample.kv.reset();
      done.push_back(finish(f, true));
    } else {
      unfinished_.push_back(std::move(f));
    }
  }
  return done;
}

std::vector<float> old_logprobs(const SampleRecord& record, const std::vector<float>& recomputed,
                                ImportanceMode mode) {
  if (recomputed.size() != record.completion_tokens.size())
    throw InvalidRequest("old_logprobs: one recomputed log-prob per completion token is needed");
  return mode == ImportanceMode::Pois ? recomputed : record.logprobs;
}

}  // namespace crucible::rollout
