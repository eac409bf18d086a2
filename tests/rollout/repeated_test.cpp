// Repeated-sampling metrics on worked examples.
#include <gtest/gtest.h>

#include "base/error.hpp"
#include "rollout/repeated.hpp"

namespace crucible::rollout {
namespace {

TEST(PassAtK, UnbiasedEstimatorOnWorkedExamples) {
  EXPECT_DOUBLE_EQ(pass_at_k(10, 0, 1), 0.0);
  EXPECT_DOUBLE_EQ(pass_at_k(10, 10, 5), 1.0);
  EXPECT_DOUBLE_EQ(pass_at_k(10, 3, 1), 0.3);
  // 1 - C(7,2)/C(10,2) = 1 - 21/45
  EXPECT_NEAR(pass_at_k(10, 3, 2), 1.0 - 21.0 / 45.0, 1e-12);
  EXPECT_DOUBLE_EQ(pass_at_k(4, 2, 3), 1.0);  // any 3 of 4 include a correct one
  EXPECT_THROW(pass_at_k(4, 2, 5), InvalidRequest);
  EXPECT_THROW(pass_at_k(4, 5, 1), InvalidRequest);
}

TEST(RepeatedSampling, CoverageMajorityAndFirstFinishedPerBucket) {
  std::vector<TaskSamples> tasks = {
      // Majority says 1/2 (written three ways), right; the shortest sample is wrong.
      {"a",
       "easy",
       "\\frac12",
       {"\\boxed{0.5}", "\\boxed{1/2}", "\\boxed{3}", "\\boxed{\\frac{1}{2}}"},
       {true, true, false, true},
       {40, 30, 5, 20}},
      // Majority wrong (7 twice), one right; the shortest is the right one.
      {"b",
       "easy",
       "4",
       {"\\boxed{7}", "\\boxed{4}", "\\boxed{7}", "no idea"},
       {false, true, false, false},
       {50, 10, 60, 70}},
      {"c", "hard", "9", {"\\boxed{1}", "\\boxed{2}"}, {false, false}, {5, 6}},
  };
  auto report = repeated_sampling(tasks, {1, 2}, {});
  ASSERT_EQ(report.size(), 2u);
  const auto& easy = report.at("easy");
  EXPECT_EQ(easy.tasks, 2u);
  EXPECT_DOUBLE_EQ(easy.pass_at.at(1), (0.75 + 0.25) / 2);
  EXPECT_DOUBLE_EQ(easy.coverage, 1.0);
  EXPECT_DOUBLE_EQ(easy.majority, 0.5);
  EXPECT_DOUBLE_EQ(easy.first_finished, 0.5);
  const auto& hard = report.at("hard");
  EXPECT_DOUBLE_EQ(hard.coverage, 0.0);
  EXPECT_DOUBLE_EQ(hard.pass_at.at(2), 0.0);
  EXPECT_DOUBLE_EQ(hard.majority, 0.0);
}

}  // namespace
}  // namespace crucible::rollout
