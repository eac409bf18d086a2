#include "rollout/train/rollout_step.hpp"

#include <algorithm>
#include <chrono>

#include "base/rng.hpp"
#include "rollout/train/train_config.hpp"

namespace crucible::rollout {

using Clock = std::chrono::steady_clock;

RolloutStepConfig RolloutStepConfig::of(const TrainConfig& c) {
  return {.seed = c.seed,
          .mode = c.mode,
          .tasks_per_iteration = c.tasks_per_iteration,
          .group_size = c.group_size,
          .exits = c.exits,
          .segments = c.segments,
          .answer_forcing = c.answer_forcing,
          .exit_loss = c.exit_loss,
          .exit_at = c.exit_at,
          .max_tokens = c.max_tokens,
          .temperature = c.temperature,
          .prompt_template = c.prompt_template,
          .dynamic_sampling = c.dynamic_sampling,
          .max_rounds = c.max_rounds,
          .extra_samples = c.extra_samples,
          .advantage = c.update.rule == policy::UpdateRule::DrGrpo
                           ? rewards::AdvantageMode::NoStd
                           : rewards::AdvantageMode::Standard};
}

RolloutStep::RolloutStep(RolloutStepConfig config, std::vector<int> stop_tokens)
    : config_(std::move(config)), stop_tokens_(std::move(stop_tokens)) {}

RolloutStep::~RolloutStep() = default;

IterationRollout RolloutStep::run(const RolloutEngine& engine, size_t iteration,
                                  const std::vector<tasks::Task>& ordered,
                                  const std::function<bool(const tasks::Task&)>& never_solved) {
  IterationRollout out;
  auto t0 = Clock::now();
  policy::SamplingParams sampling;
  sampling.temperature = config_.temperature;
  sampling.max_tokens = config_.max_tokens;
  sampling.stop_tokens = stop_tokens_;
  sampling.seed = derive_seed(config_.seed, 5, iteration);
  size_t wanted = std::min(config_.tasks_per_iteration, ordered.size());
  if (config_.mode == "serial") {
    SerialOptions so;
    so.exits = config_.exits;
    so.answer_forcing = config_.answer_forcing;
    so.exit_loss = config_.exit_loss;
    so.exit_at = config_.exit_at;
    so.answer_tokens = std::max<size_t>(8, config_.max_tokens / 4);
    so.sampling = sampling;
    for (size_t k = 0; k < wanted; ++k) {
      so.sampling.seed = derive_seed(config_.seed, 6, iteration * 100003 + k);
      out.groups.push_back(engine.serial(ordered[k], config_.prompt_template, so).members);
    }
  } else if (config_.segments > 1) {
    run_segmented(engine, iteration, ordered, wanted, sampling, out);
  } else {
    run_parallel(engine, iteration, ordered, wanted, sampling, never_solved, out);
  }
  out.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return out;
}

void RolloutStep::run_parallel(const RolloutEngine& engine, size_t iteration,
                               const std::vector<tasks::Task>& ordered, size_t wanted,
                               const policy::SamplingParams& sampling,
                               const std::function<bool(const tasks::Task&)>& never_solved,
                               IterationRollout& out) {
  TaskCursor cursor(ordered);  // dynamic sampling replaces groups from further tasks
  GroupOptions go;
  go.group_size = config_.group_size;
  go.groups_per_batch = wanted;
  go.dynamic_sampling = config_.dynamic_sampling;
  go.max_rounds = config_.dynamic_sampling ? config_.max_rounds : 1;
  go.advantage = config_.advantage;
  go.sampling = sampling;
  go.prompt_template = config_.prompt_template;
  GroupBatch b = engine.parallel(cursor, go);
  out.dropped = b.dropped_equal;
  out.groups = std::move(b.groups);
  if (config_.extra_samples == 0) return;
  // GSI: tasks never solved get extra samples (rejection sampling needs a first success).
  std::vector<tasks::Task> unsolved;
  for (const auto& g : out.groups) {
    const tasks::Task& task =
        *std::find_if(ordered.begin(), ordered.end(),
                      [&](const tasks::Task& t) { return t.id == g.front().task_id; });
    if (std::none_of(g.begin(), g.end(), [](const SampleRecord& r) { return r.reward.passed(); }) &&
        never_solved(task))
      unsolved.push_back(task);
  }
  if (unsolved.empty()) return;
  TaskCursor extra_cursor(unsolved);
  GroupOptions extra = go;
  extra.group_size = config_.extra_samples;
  extra.groups_per_batch = unsolved.size();
  extra.dynamic_sampling = false;
  extra.max_rounds = 1;
  extra.sampling.seed = derive_seed(config_.seed, 7, iteration);
  for (auto& g : engine.parallel(extra_cursor, extra).groups) out.groups.push_back(std::move(g));
}

void RolloutStep::run_segmented(const RolloutEngine& engine, size_t iteration,
                                const std::vector<tasks::Task>& ordered, size_t wanted,
                                const policy::SamplingParams& sampling, IterationRollout& out) {
  if (!segmented_) {
    SegmentOptions so;
    so.max_tokens = config_.max_tokens;
    so.segments = config_.segments;
    so.active = config_.tasks_per_iteration * config_.group_size;
    so.sampling = sampling;
    so.sampling.seed =
        derive_seed(config_.seed, 11, 0);  // prompt k draws from (seed, k) throughout
    so.prompt_template = config_.prompt_template;
    segmented_ = engine.segmented({}, so);
  }
  // Twice the groups an update takes are kept open, so that an update never waits for the
  // slowest sample: the first `wanted` groups to complete are trained on, and the long
  // tail continues next iteration (under new weights, each token's version recorded).
  // (Open groups queue for the slots of the samples in flight, `tasks_per_iteration` x
  // `group_size`, in the curriculum's order.)
  for (size_t k = 0; k < ordered.size() && open_groups_ < 2 * wanted; ++k, ++open_groups_)
    segmented_->add(std::vector<tasks::Task>(config_.group_size, ordered[k]),
                    "it" + std::to_string(iteration) + ":" + ordered[k].id);
  size_t complete = 0;
  for (const auto& [id, g] : waiting_) complete += g.size() == config_.group_size;
  while (complete < wanted && !segmented_->exhausted())
    for (auto& rec : segmented_->step()) {
      auto& g = waiting_[rec.group_id];
      g.push_back(std::move(rec));
      complete += g.size() == config_.group_size;
    }
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    if (it->second.size() < config_.group_size) {
      ++it;
      continue;
    }
    std::vector<rewards::Reward> rs;
    for (const auto& rec : it->second) rs.push_back(rec.reward);
    auto advantages = rewards::group_advantages(rs, config_.advantage);
    for (size_t i = 0; i < it->second.size(); ++i) it->second[i].advantage = advantages[i];
    out.groups.push_back(std::move(it->second));
    it = waiting_.erase(it);
    --open_groups_;
  }
  out.in_flight = segmented_->unfinished();
  out.groups_waiting = waiting_.size();
}

}  // namespace crucible::rollout
