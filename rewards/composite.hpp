// Rewards for a task and a completion, dispatched by task kind and composed from a JSON
// config: a weighted sum of terms, with gates (terms that must pass before the others
// count).
//
//   auto reward = CompositeReward::from_json(json::parse(R"({
//     "terms": [{"name": "correctness", "weight": 1},
//               {"name": "format", "weight": 0.2, "format": {"think": true, "answer": "boxed"}},
//               {"name": "overlong", "weight": 1, "overlong": {"max_tokens": 2048, "cache_tokens":
//               256}}],
//     "gate": ["format"]})"));
//   Reward r = reward.score(task, {completion_text, completion_tokens}, &judge);
//
// Terms: correctness (math: the verifier; code: the judge), format, overlong (DAPO's
// soft penalty), length (per-problem, history-aware). With no config: correctness alone.
// An invalid correctness (sandbox failure, unreadable reference) makes the whole
// reward invalid: the sample is excluded, never scored 0.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rewards/code_reward.hpp"
#include "rewards/math/options.hpp"
#include "rewards/reward.hpp"
#include "rewards/shaping.hpp"
#include "tasks/task.hpp"

namespace crucible::rewards {

struct Completion {
  std::string text;
  size_t tokens = 0;  // completion length in policy tokens (for length terms)
};

struct RewardOptions {
  math::VerifyOptions math;
  CodeRewardOptions code;
};

// Correctness by task kind. `judge` may be null when only math tasks are scored; a code
// task without a judge is an InvalidRequest.
Reward correctness_reward(const tasks::Task& task, std::string_view completion,
                          const RewardOptions& options, sandbox::judge::Judge* judge);

class CompositeReward {
 public:
  CompositeReward();  // correctness alone, default options
  static CompositeReward from_json(const nlohmann::json& config);

  Reward score(const tasks::Task& task, const Completion& completion, sandbox::judge::Judge* judge);
  const RewardOptions& options() const { return options_; }

 private:
  struct Term {
    std::string name;  // correctness | format | overlong | length
    double weight = 1;
    FormatSpec format;
    OverlongSpec overlong;
  };
  static Term read_term(const nlohmann::json& t, size_t index, const std::vector<Term>& earlier);
  std::vector<Term> terms_;
  std::vector<std::string> gates_;
  RewardOptions options_;
  std::unique_ptr<LengthHistory> history_ = std::make_unique<LengthHistory>();  // movable
};

}  // namespace crucible::rewards
