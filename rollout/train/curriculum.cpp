#include "rollout/train/curriculum.hpp"

#include <algorithm>
#include <cmath>

#include "base/error.hpp"
#include "base/rng.hpp"

namespace crucible::rollout {

Curriculum::Curriculum(size_t tasks, CurriculumOptions options) : options_(options), stats_(tasks) {
  if (tasks == 0) throw InvalidRequest("curriculum: no tasks");
}

bool Curriculum::mastered(size_t task) const {
  const TaskRecord& s = stats_[task];
  return s.attempts > 0 && s.pass_rate() >= options_.mastered_pass_rate;
}

size_t Curriculum::mastered_count() const {
  size_t n = 0;
  for (size_t i = 0; i < stats_.size(); ++i) n += mastered(i);
  return n;
}

std::vector<size_t> Curriculum::pick(size_t n, uint64_t seed) const {
  n = std::min(n, stats_.size());
  std::vector<double> weight(stats_.size(), 1.0);
  if (options_.balance)
    for (size_t i = 0; i < stats_.size(); ++i)
      if (mastered(i)) weight[i] = options_.mastered_weight;
  // Weighted sampling without replacement (Efraimidis-Spirakis keys u^(1/w)).
  Rng rng(seed, "curriculum");
  std::vector<std::pair<double, size_t>> keys;
  for (size_t i = 0; i < stats_.size(); ++i)
    keys.push_back({std::pow(std::max(rng.uniform01(), 1e-300), 1.0 / weight[i]), i});
  std::partial_sort(keys.begin(), keys.begin() + static_cast<long>(n), keys.end(),
                    [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<size_t> out;
  for (size_t k = 0; k < n; ++k) out.push_back(keys[k].second);
  return out;
}

void Curriculum::record(size_t task, size_t attempts, size_t correct) {
  stats_.at(task).attempts += attempts;
  stats_.at(task).correct += correct;
}

nlohmann::json Curriculum::to_json() const {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& s : stats_) a.push_back({s.attempts, s.correct});
  return a;
}

void Curriculum::load(const nlohmann::json& j) {
  if (!j.is_array() || j.size() != stats_.size())
    throw InvalidRequest("checkpoint: curriculum state does not match the task list");
  for (size_t i = 0; i < stats_.size(); ++i) {
    stats_[i].attempts = j[i].at(0).get<size_t>();
    stats_[i].correct = j[i].at(1).get<size_t>();
  }
}

}  // namespace crucible::rollout
