#include "rollout/parallel.hpp"

#include <chrono>
#include <map>
#include <optional>

#include "base/error.hpp"
#include "tasks/prompts.hpp"

namespace crucible::rollout {

using Clock = std::chrono::steady_clock;

TaskCursor::TaskCursor(const std::vector<tasks::Task>& tasks) : tasks_(tasks) {
  if (tasks_.empty()) throw InvalidRequest("rollout: no tasks");
}

const tasks::Task& TaskCursor::next() {
  return tasks_[taken_++ % tasks_.size()];
}

GroupBatch run_parallel_groups(policy::Policy& policy, const rewards::Scorer& score,
                               TaskCursor& cursor, const GroupOptions& o) {
  if (o.group_size == 0 || o.groups_per_batch == 0)
    throw InvalidRequest("rollout: group_size and groups_per_batch must be positive");
  const auto& templates = tasks::PromptTemplates::builtin();
  GroupBatch batch;
  while (batch.groups.size() < o.groups_per_batch &&
         batch.rounds < std::max<size_t>(1, o.max_rounds)) {
    size_t needed = o.groups_per_batch - batch.groups.size();
    std::vector<const tasks::Task*> round_tasks;
    std::vector<std::string> prompts;
    for (size_t g = 0; g < needed; ++g) {
      const tasks::Task& t = cursor.next();
      round_tasks.push_back(&t);
      std::string prompt = templates.render(t, o.prompt_template).text;
      for (size_t i = 0; i < o.group_size; ++i) prompts.push_back(prompt);
    }
    policy::SamplingParams params = o.sampling;
    params.seed = o.sampling.seed +
                  1000003ULL * (batch.rounds + 1000 * cursor.taken());  // a fresh stream per round
    auto t0 = Clock::now();
    std::vector<ToolSample> drawn = sample_prompts(policy, prompts, params, o.tools);
    double generate_seconds = std::chrono::duration<double>(Clock::now() - t0).count() /
                              std::max<size_t>(1, drawn.size());
    std::string version = policy.version();
    ++batch.rounds;
    // Every sample of the round is scored by the pool at once (when given one). A group's
    // identical completions are scored once: the verifier and the judge are deterministic,
    // and a low-entropy policy repeats itself (each repeat would be another sandbox run).
    RewardPool* pool = o.reward_pool;
    std::vector<std::optional<RewardPool::Pending>> pending(drawn.size());
    std::vector<size_t> same_as(drawn.size());
    std::map<std::pair<size_t, std::string>, size_t> first_of;
    for (size_t k = 0; k < drawn.size(); ++k) {
      same_as[k] =
          first_of.emplace(std::make_pair(k / o.group_size, drawn[k].sample.text), k).first->second;
      if (!pool || same_as[k] != k || drawn[k].invalid) continue;
      const tasks::Task* task = round_tasks[k / o.group_size];
      const policy::Sample* s = &drawn[k].sample;
      pending[k] = pool->submit([&score, task, s] {
        return score(*task, {s->text, s->tokens.size()});
      });
    }
    std::vector<std::optional<rewards::Reward>> scored(drawn.size());
    for (size_t g = 0; g < needed; ++g) {
      const tasks::Task& t = *round_tasks[g];
      std::vector<SampleRecord> group;
      std::vector<rewards::Reward> group_rewards;
      std::string group_id = t.id + "#" + std::to_string(batch.groups_generated++);
      for (size_t i = 0; i < o.group_size; ++i) {
        const size_t k = g * o.group_size + i;
        const policy::Sample& s = drawn[k].sample;
        SampleRecord r = SampleRecord::from_sample(s, t.id, version);
        auto r0 = Clock::now();
        const size_t first = same_as[k];
        if (drawn[k].invalid) {
          r.reward = tool_failure_reward(drawn[k]);
        } else {
          if (!scored[first])
            scored[first] = pending[first] ? pool->collect(*pending[first])
                                           : score(t, {s.text, s.tokens.size()});
          r.reward = *scored[first];
        }
        if (o.tools) add_tool_turns(r, drawn[k]);
        r.reward_seconds = std::chrono::duration<double>(Clock::now() - r0).count();
        r.generate_seconds = generate_seconds;
        r.group_id = group_id;
        r.role = "sample";
        group_rewards.push_back(r.reward);
        group.push_back(std::move(r));
      }
      auto advantages = rewards::group_advantages(group_rewards, o.advantage);
      bool all_equal = true, any_valid = false;
      double first = 0;
      for (const auto& rw : group_rewards) {
        if (!rw.valid) continue;
        if (!any_valid) first = rw.value;
        all_equal &= rw.value == first;
        any_valid = true;
      }
      if (o.dynamic_sampling && (all_equal || !any_valid)) {
        ++batch.dropped_equal;
        continue;
      }
      for (size_t i = 0; i < group.size(); ++i) group[i].advantage = advantages[i];
      batch.groups.push_back(std::move(group));
    }
  }
  batch.full = batch.groups.size() == o.groups_per_batch;
  return batch;
}

}  // namespace crucible::rollout
