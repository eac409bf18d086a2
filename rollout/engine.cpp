#include "rollout/engine.hpp"

#include <algorithm>
#include <optional>

#include "tasks/prompts.hpp"

namespace crucible::rollout {

RolloutEngine::RolloutEngine(policy::Policy& policy, rewards::Scorer score, RewardPool* pool,
                             const ToolUse* tools)
    : policy_(policy), score_(std::move(score)), pool_(pool), tools_(tools) {}

GroupBatch RolloutEngine::parallel(TaskCursor& tasks, GroupOptions options) const {
  options.reward_pool = pool_;
  if (!options.tools) options.tools = tools_;
  return run_parallel_groups(policy_, score_, tasks, options);
}

SerialGroup RolloutEngine::serial(const tasks::Task& task, const std::string& prompt_template,
                                  const SerialOptions& options) const {
  const std::string prompt = tasks::PromptTemplates::builtin().render(task, prompt_template).text;
  return run_serial_group(policy_, task, prompt, options, score_);
}

std::unique_ptr<SegmentedRollout> RolloutEngine::segmented(const std::vector<tasks::Task>& tasks,
                                                           const SegmentOptions& options) const {
  return std::make_unique<SegmentedRollout>(policy_, tasks, options, score_);
}

std::vector<ScoredSample> RolloutEngine::sample_each(const std::vector<tasks::Task>& tasks,
                                                     const std::string& prompt_template,
                                                     const policy::SamplingParams& params) const {
  const auto& templates = tasks::PromptTemplates::builtin();
  std::vector<ScoredSample> out;
  // 64 prompts per generate call: the policy's batch, while the pool scores the last one.
  for (size_t start = 0; start < tasks.size(); start += 64) {
    size_t end = std::min(tasks.size(), start + 64);
    std::vector<std::string> prompts;
    for (size_t i = start; i < end; ++i)
      prompts.push_back(templates.render(tasks[i], prompt_template).text);
    std::vector<ToolSample> drawn = sample_prompts(policy_, prompts, params, tools_);
    // A sample whose tool call met a sandbox failure is invalid and never scored.
    std::vector<std::optional<RewardPool::Pending>> pending(drawn.size());
    if (pool_)
      for (size_t k = 0; k < drawn.size(); ++k) {
        if (drawn[k].invalid) continue;
        const tasks::Task* t = &tasks[start + k];
        const policy::Sample* s = &drawn[k].sample;
        pending[k] = pool_->submit([this, t, s] {
          return score_(*t, {s->text, s->tokens.size()});
        });
      }
    for (size_t k = 0; k < drawn.size(); ++k) {
      const policy::Sample& s = drawn[k].sample;
      rewards::Reward r = drawn[k].invalid ? tool_failure_reward(drawn[k])
                          : pending[k]     ? pool_->collect(*pending[k])
                                           : score_(tasks[start + k], {s.text, s.tokens.size()});
      out.push_back({std::move(prompts[k]), std::move(drawn[k].sample), std::move(r),
                     std::move(drawn[k].calls)});
    }
  }
  return out;
}

}  // namespace crucible::rollout
