// Repeated sampling: how often k samples solve a task. pass@k with the unbiased
// estimator 1 - C(n-c, k) / C(n, k); coverage (tasks solved by any of their samples);
// majority vote over extracted answers (answers grouped by the verifier's equivalence);
// first-finished selection (the sample with the fewest tokens); all per difficulty bucket.
//
//   auto report = repeated_sampling(per_task, {1, 4, 8}, verify_options);
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "rewards/math/options.hpp"

namespace crucible::rollout {

// Unbiased pass@k from n samples of which c are correct (k <= n).
double pass_at_k(size_t n, size_t c, size_t k);

struct TaskSamples {
  std::string task_id;
  std::string bucket;  // difficulty bucket ("" = all in one)
  std::string gold;    // reference answer (math), for majority vote; "" skips the vote
  std::vector<std::string> completions;
  std::vector<bool> correct;
  std::vector<size_t> tokens;
};

struct BucketReport {
  size_t tasks = 0;
  std::map<size_t, double> pass_at;  // k -> mean pass@k
  double coverage = 0;
  double majority = 0;        // fraction whose majority answer is correct (tasks with a gold)
  double first_finished = 0;  // fraction whose shortest sample is correct
};

std::map<std::string, BucketReport> repeated_sampling(const std::vector<TaskSamples>& tasks,
                                                      const std::vector<size_t>& ks,
                                                      const rewards::math::VerifyOptions& options);

void to_json(nlohmann::json& j, const BucketReport& r);

}  // namespace crucible::rollout
