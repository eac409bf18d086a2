// The roll-out step of the self-training loop: the iteration's tasks become groups of
// rewarded samples (parallel, serial or UloRL-segmented), in a file of its own.
#include <algorithm>
#include <chrono>
#include <map>

#include "rollout/parallel.hpp"
#include "rollout/repeated.hpp"
#include "rollout/segmented.hpp"
#include "rollout/serial.hpp"
#include "rollout/train/seeds.hpp"
#include "rollout/train/self_train.hpp"
#include "tasks/prompts.hpp"

namespace crucible::rollout {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

SelfTrainer::Rollout SelfTrainer::roll_out(size_t iteration, const std::vector<size_t>& order) {
  Rollout out;
  auto t0 = Clock::now();
  policy::SamplingParams sampling;
  sampling.temperature = config_.temperature;
  sampling.max_tokens = config_.max_tokens;
  if (policy_) sampling.stop_tokens = {policy_->tokenizer().eos()};
  sampling.seed = mix(config_.seed, 5, iteration);
  size_t wanted = std::min(config_.tasks_per_iteration, order.size());
  std::vector<tasks::Task> ordered;
  for (size_t i : order) ordered.push_back(tasks_[i]);
  if (config_.mode == "serial") {
    SerialOptions so;
    so.exits = config_.exits;
    so.answer_tokens = std::max<size_t>(8, config_.max_tokens / 4);
    so.sampling = sampling;
    Scorer score = [this](const tasks::Task& t, const std::string& text) {
      return reward_.score(t, {text, 0}, judging_.judge);
    };
    const auto& templates = tasks::PromptTemplates::builtin();
    for (size_t k = 0; k < wanted; ++k) {
      so.sampling.seed = mix(config_.seed, 6, iteration * 100003 + k);
      SerialGroup g =
          run_serial_group(*policy_, ordered[k],
                           templates.render(ordered[k], config_.prompt_template).text, so, score);
      out.groups.push_back(std::move(g.members));
    }
  } else if (config_.segments > 1) {
    roll_out_segmented(iteration, ordered, wanted, sampling, out);
  } else {
    TaskCursor cursor(ordered);  // dynamic sampling replaces groups from further tasks
    GroupOptions go;
    go.group_size = config_.group_size;
    go.groups_per_batch = wanted;
    go.dynamic_sampling = config_.dynamic_sampling;
    go.max_rounds = config_.dynamic_sampling ? config_.max_rounds : 1;
    go.advantage = config_.update.rule == policy::UpdateRule::DrGrpo
                       ? rewards::AdvantageMode::NoStd
                       : rewards::AdvantageMode::Standard;
    go.sampling = sampling;
    go.prompt_template = config_.prompt_template;
    go.reward_pool = pool_.get();
    GroupBatch b = run_parallel_groups(actor(), reward_, judging_.judge, cursor, go);
    out.dropped = b.dropped_equal;
    out.groups = std::move(b.groups);
    // GSI: tasks never solved get extra samples (rejection sampling needs a first success).
    if (config_.extra_samples > 0) {
      std::vector<tasks::Task> unsolved;
      for (const auto& g : out.groups) {
        size_t task = index_of_.at(g.front().task_id);
        if (std::none_of(g.begin(), g.end(),
                         [](const SampleRecord& r) { return r.reward.passed(); }) &&
            !curriculum_->solved_ever(task))
          unsolved.push_back(tasks_[task]);
      }
      if (!unsolved.empty()) {
        TaskCursor extra_cursor(unsolved);
        GroupOptions extra = go;
        extra.group_size = config_.extra_samples;
        extra.groups_per_batch = unsolved.size();
        extra.dynamic_sampling = false;
        extra.max_rounds = 1;
        extra.sampling.seed = mix(config_.seed, 7, iteration);
        GroupBatch e = run_parallel_groups(actor(), reward_, judging_.judge, extra_cursor, extra);
        for (auto& g : e.groups) out.groups.push_back(std::move(g));
      }
    }
  }
  out.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return out;
}

void SelfTrainer::roll_out_segmented(size_t iteration, const std::vector<tasks::Task>& ordered,
                                     size_t wanted, const policy::SamplingParams& sampling,
                                     Rollout& out) {
  if (!segmented_) {
    SegmentOptions so;
    so.max_tokens = config_.max_tokens;
    so.segments = config_.segments;
    so.active = config_.tasks_per_iteration * config_.group_size;
    so.sampling = sampling;
    so.sampling.seed = mix(config_.seed, 11, 0);  // prompt k draws from (seed, k) throughout
    so.prompt_template = config_.prompt_template;
    segmented_ =
        std::make_unique<SegmentedRollout>(actor(), std::vector<tasks::Task>{}, so,
                                           [this](const tasks::Task& t, const std::string& text) {
                                             return reward_.score(t, {text, 0}, judging_.judge);
                                           });
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
  auto mode = config_.update.rule == policy::UpdateRule::DrGrpo ? rewards::AdvantageMode::NoStd
                                                                : rewards::AdvantageMode::Standard;
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    if (it->second.size() < config_.group_size) {
      ++it;
      continue;
    }
    std::vector<rewards::Reward> rs;
    for (const auto& rec : it->second) rs.push_back(rec.reward);
    auto advantages = rewards::group_advantages(rs, mode);
    for (size_t i = 0; i < it->second.size(); ++i) it->second[i].advantage = advantages[i];
    out.groups.push_back(std::move(it->second));
    it = waiting_.erase(it);
    --open_groups_;
  }
  out.in_flight = segmented_->unfinished();
  out.groups_waiting = waiting_.size();
}

}  // namespace crucible::rollout
