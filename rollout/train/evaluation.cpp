#include "rollout/train/evaluation.hpp"

#include <algorithm>
#include <map>

#include "base/error.hpp"
#include "tasks/prompts.hpp"

namespace crucible::rollout {

using nlohmann::json;

HeldOut evaluate_held_out(policy::Policy& actor, const std::vector<tasks::Task>& tasks,
                          const policy::SamplingParams& greedy, const std::string& prompt_template,
                          const SampleScorer& score, RewardPool& pool, size_t iteration) {
  if (tasks.empty()) throw InvalidRequest("evaluation: no held-out tasks");
  const auto& templates = tasks::PromptTemplates::builtin();
  HeldOut out;
  size_t right = 0;
  std::map<std::string, std::pair<size_t, size_t>> by_source;  // right, total
  for (size_t start = 0; start < tasks.size(); start += 64) {
    size_t end = std::min(tasks.size(), start + 64);
    std::vector<std::string> prompts;
    for (size_t i = start; i < end; ++i)
      prompts.push_back(templates.render(tasks[i], prompt_template).text);
    auto samples = actor.generate(prompts, greedy);
    std::vector<RewardPool::Pending> pending;
    for (size_t i = start; i < end; ++i) {
      const tasks::Task* t = &tasks[i];
      const policy::Sample* s = &samples[i - start];
      pending.push_back(pool.submit([&score, t, s] { return score(*t, *s); }));
    }
    for (size_t k = 0; k < pending.size(); ++k) {
      rewards::Reward r = pool.collect(pending[k]);
      bool ok = r.passed();
      right += ok;
      out.lines += json{{"iteration", iteration},
                        {"task_id", tasks[start + k].id},
                        {"source", tasks[start + k].source},
                        {"prompt", prompts[k]},
                        {"completion", samples[k].text},
                        {"verdict", r.verdict},
                        {"passed", ok}}
                       .dump(-1, ' ', false, json::error_handler_t::replace) +
                   "\n";
      auto& [source_right, source_total] = by_source[tasks[start + k].source];
      source_right += ok;
      ++source_total;
    }
  }
  for (const auto& [source, rt] : by_source)
    out.by_source[source.empty() ? "unnamed" : source] =
        static_cast<double>(rt.first) / static_cast<double>(rt.second);
  out.accuracy = static_cast<double>(right) / static_cast<double>(tasks.size());
  return out;
}

}  // namespace crucible::rollout
