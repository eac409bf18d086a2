#include "rollout/engine.hpp"

#include <algorithm>

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
    std::vector<policy::Sample> samples;
    std::vector<ToolSample> with_tools;
    if (tools_) {
      with_tools = run_with_tools(policy_, prompts, params, tools_->options, tools_->run);
      for (const auto& t : with_tools) samples.push_back(t.sample);
    } else {
      samples = policy_.generate(prompts, params);
    }
    std::vector<RewardPool::Pending> pending;
    if (pool_)
      for (size_t i = start; i < end; ++i) {
        const tasks::Task* t = &tasks[i];
        const policy::Sample* s = &samples[i - start];
        pending.push_back(pool_->submit([this, t, s] {
          return score_(*t, {s->text, s->tokens.size()});
        }));
      }
    for (size_t k = 0; k < samples.size(); ++k) {
      rewards::Reward r =
          pool_ ? pool_->collect(pending[k])
                : score_(tasks[start + k], {samples[k].text, samples[k].tokens.size()});
      if (!with_tools.empty() && with_tools[k].invalid)
        r = rewards::Reward::invalid("tool_sandbox_failure", {{"error", *with_tools[k].invalid}});
      out.push_back({std::move(prompts[k]), std::move(samples[k]), std::move(r),
                     with_tools.empty() ? std::vector<ToolCall>{} : with_tools[k].calls});
    }
  }
  return out;
}

}  // namespace crucible::rollout
