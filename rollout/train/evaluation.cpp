#include "rollout/train/evaluation.hpp"

#include <map>

#include "base/error.hpp"

namespace crucible::rollout {

using nlohmann::json;

HeldOut evaluate_held_out(const RolloutEngine& engine, const std::vector<tasks::Task>& tasks,
                          const policy::SamplingParams& greedy, const std::string& prompt_template,
                          size_t iteration) {
  if (tasks.empty()) throw InvalidRequest("evaluation: no held-out tasks");
  std::vector<ScoredSample> scored = engine.sample_each(tasks, prompt_template, greedy);
  HeldOut out;
  size_t right = 0, with_calls = 0;
  std::map<std::string, std::pair<size_t, size_t>> by_source;  // right, total
  for (size_t k = 0; k < tasks.size(); ++k) {
    bool ok = scored[k].reward.passed();
    right += ok;
    json line = {{"iteration", iteration},
                 {"task_id", tasks[k].id},
                 {"source", tasks[k].source},
                 {"prompt", scored[k].prompt},
                 {"completion", scored[k].sample.text},
                 {"verdict", scored[k].reward.verdict},
                 {"passed", ok}};
    if (!scored[k].calls.empty()) {
      line["tool_calls"] = scored[k].calls;
      ++with_calls;
    }
    out.lines += line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    auto& [source_right, source_total] = by_source[tasks[k].source];
    source_right += ok;
    ++source_total;
  }
  for (const auto& [source, rt] : by_source)
    out.by_source[source.empty() ? "unnamed" : source] =
        static_cast<double>(rt.first) / static_cast<double>(rt.second);
  out.accuracy = static_cast<double>(right) / static_cast<double>(tasks.size());
  out.tool_rate = static_cast<double>(with_calls) / static_cast<double>(tasks.size());
  return out;
}

}  // namespace crucible::rollout
