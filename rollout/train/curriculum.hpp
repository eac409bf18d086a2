// Which tasks an iteration trains on. Each task's measured pass rate decides: tasks never
// tried and tasks in progress are preferred, mastered ones (pass rate >= the threshold)
// are rarely picked, so easy tasks do not crowd out hard ones (GSI's balancing); the
// unsolved get extra samples. Seeded: the same history gives the same choice.
//
//   Curriculum c(tasks.size(), {.mastered_pass_rate = 0.9});
//   auto picked = c.pick(16, seed);   c.record(task_index, attempts, correct);
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

namespace crucible::rollout {

struct CurriculumOptions {
  bool balance = true;  // off: uniform picks
  double mastered_pass_rate = 0.9;
  double mastered_weight = 0.05;  // relative chance of a mastered task
};

struct TaskRecord {
  size_t attempts = 0, correct = 0;
  double pass_rate() const {
    return attempts ? static_cast<double>(correct) / static_cast<double>(attempts) : 0;
  }
};

class Curriculum {
 public:
  Curriculum(size_t tasks, CurriculumOptions options);
  // `n` distinct task indices (all of them when n >= tasks), weighted by need.
  std::vector<size_t> pick(size_t n, uint64_t seed) const;
  void record(size_t task, size_t attempts, size_t correct);
  bool mastered(size_t task) const;
  bool solved_ever(size_t task) const { return stats_[task].correct > 0; }
  const TaskRecord& stats(size_t task) const { return stats_[task]; }
  size_t mastered_count() const;

  nlohmann::json to_json() const;  // for checkpoints: resume continues the same history
  void load(const nlohmann::json& j);

 private:
  CurriculumOptions options_;
  std::vector<TaskRecord> stats_;
};

}  // namespace crucible::rollout
