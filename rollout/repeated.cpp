#include "rollout/repeated.hpp"

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "rewards/math/extract.hpp"
#include "rewards/math/verifier.hpp"
#include "rewards/math_reward.hpp"

namespace crucible::rollout {

double pass_at_k(size_t n, size_t c, size_t k) {
  if (k == 0 || k > n)
    throw InvalidRequest("pass@k: k must be between 1 and n (" + std::to_string(n) + ")");
  if (c > n) throw InvalidRequest("pass@k: more correct samples than samples");
  if (n - c < k) return 1.0;
  // C(n-c, k) / C(n, k) = prod_{i=n-c+1}^{n} (1 - k / i), stable for large n.
  double miss = 1.0;
  for (size_t i = n - c + 1; i <= n; ++i)
    miss *= 1.0 - static_cast<double>(k) / static_cast<double>(i);
  return 1.0 - miss;
}

namespace {

// The majority answer's correctness (rewards::majority_answer groups the answers).
bool majority_correct(const TaskSamples& t, const rewards::math::VerifyOptions& o) {
  auto answer = rewards::majority_answer(t.completions, o);
  return answer && rewards::math::verify(t.gold, *answer, o).correct;
}

}  // namespace

std::map<std::string, BucketReport> repeated_sampling(const std::vector<TaskSamples>& tasks,
                                                      const std::vector<size_t>& ks,
                                                      const rewards::math::VerifyOptions& o) {
  std::map<std::string, BucketReport> out;
  std::map<std::string, size_t> voted;
  for (const auto& t : tasks) {
    if (t.correct.size() != t.completions.size() || t.tokens.size() != t.completions.size())
      throw InvalidRequest("repeated sampling: task " + t.task_id + " has mismatched sample lists");
    if (t.correct.empty()) continue;
    BucketReport& b = out[t.bucket];
    ++b.tasks;
    size_t n = t.correct.size(),
           c = static_cast<size_t>(std::count(t.correct.begin(), t.correct.end(), true));
    for (size_t k : ks)
      if (k <= n) b.pass_at[k] += pass_at_k(n, c, k);
    b.coverage += c > 0;
    size_t shortest =
        static_cast<size_t>(std::min_element(t.tokens.begin(), t.tokens.end()) - t.tokens.begin());
    b.first_finished += t.correct[shortest];
    if (!t.gold.empty()) {
      b.majority += majority_correct(t, o);
      ++voted[t.bucket];
    }
  }
  for (auto& [bucket, b] : out) {
    double n = static_cast<double>(b.tasks);
    for (auto& [k, v] : b.pass_at) v /= n;
    b.coverage /= n;
    b.first_finished /= n;
    b.majority = voted[bucket] ? b.majority / static_cast<double>(voted[bucket]) : 0;
  }
  return out;
}

void to_json(nlohmann::json& j, const BucketReport& r) {
  nlohmann::json pass = nlohmann::json::object();
  for (const auto& [k, v] : r.pass_at) pass["pass@" + std::to_string(k)] = v;
  j = {{"tasks", r.tasks},
       {"pass_at", pass},
       {"coverage", r.coverage},
       {"majority", r.majority},
       {"first_finished", r.first_finished}};
}

}  // namespace crucible::rollout
