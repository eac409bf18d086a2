// Segmented rollouts (UloRL) with the native policy: with the policy unchanged, segmented
// and unsegmented rollouts give identical samples; unfinished samples continue ahead of
// new prompts; truncation at L; per-token versions across an update.
#include <gtest/gtest.h>

#include <map>

#include "base/error.hpp"
#include "policy/native_policy.hpp"
#include "rewards/math_reward.hpp"
#include "rollout/segmented.hpp"
#include "tasks/prompts.hpp"
#include "tests/support/tiny_model.hpp"

namespace crucible::rollout {
namespace {

std::vector<tasks::Task> some_tasks(size_t n) {
  std::vector<tasks::Task> out;
  for (size_t i = 0; i < n; ++i) {
    tasks::Task t;
    t.id = "t" + std::to_string(i);
    t.kind = tasks::Kind::Math;
    t.prompt = "What is " + std::to_string(i) + " + 1?";
    t.answer = std::to_string(i + 1);
    out.push_back(t);
  }
  return out;
}

rewards::Scorer verifier() {
  return rewards::Scorer([](const tasks::Task& t, const rewards::Completion& c) {
    return rewards::math_reward(t.answer, c.text, {});
  });
}

// The naive kernels compute each row on its own, so results do not depend on how many
// samples share a step: segmented equals unsegmented bit for bit. OpenBLAS picks kernels
// by matrix shape, so with it the tokens are identical and the log-probs agree to float
// rounding (a token could flip only if a draw fell within that rounding of a boundary).
class SegmentedRollouts : public ::testing::TestWithParam<policy::Backend> {};

TEST_P(SegmentedRollouts, MatchAnUnsegmentedRollout) {
  auto model = testing::tiny_model(2, 128, 9);
  model->set_backend(GetParam());
  policy::NativePolicy native(model, policy::Tokenizer(), "tiny");
  auto tasks = some_tasks(7);
  SegmentOptions o;
  o.max_tokens = 24;
  o.segments = 4;
  o.active = 3;
  o.sampling.seed = 17;
  o.sampling.stop_tokens = {policy::Tokenizer().eos()};
  o.sampling.temperature = 1.2;

  policy::SamplingParams whole = o.sampling;
  whole.max_tokens = 24;
  std::vector<std::string> prompts;
  for (const auto& t : tasks)
    prompts.push_back(tasks::PromptTemplates::builtin().render(t, "boxed").text);
  auto reference = native.generate(prompts, whole);

  SegmentedRollout rollout(native, tasks, o, verifier());
  std::map<std::string, SampleRecord> got;
  size_t steps = 0, most_unfinished = 0;
  while (!rollout.exhausted()) {
    for (auto& r : rollout.step()) got[r.task_id] = r;
    most_unfinished = std::max(most_unfinished, rollout.unfinished());
    ASSERT_LT(++steps, 100u);
  }
  EXPECT_GT(most_unfinished, 0u) << "some samples waited in the unfinished pool";
  ASSERT_EQ(got.size(), tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i) {
    const SampleRecord& r = got.at(tasks[i].id);
    EXPECT_EQ(r.completion_tokens, reference[i].tokens) << i;
    if (GetParam() == policy::Backend::Naive) {
      EXPECT_EQ(r.logprobs, reference[i].logprobs) << i;
    } else {
      ASSERT_EQ(r.logprobs.size(), reference[i].logprobs.size());
      for (size_t k = 0; k < r.logprobs.size(); ++k)
        EXPECT_NEAR(r.logprobs[k], reference[i].logprobs[k], 1e-5);
    }
    if (reference[i].tokens.size() == 24) {
      EXPECT_EQ(r.finish_reason, "overlong");
      EXPECT_EQ(r.reward.verdict, "overlong");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Kernels, SegmentedRollouts,
                         ::testing::Values(policy::Backend::Naive, policy::Backend::Blas),
                         [](const auto& info) {
                           return info.param == policy::Backend::Naive ? "naive" : "blas";
                         });

TEST(SegmentedPools, UnfinishedSamplesGoFirstAndVersionsAreRecordedPerToken) {
  auto model = testing::tiny_model(2, 128, 9);
  policy::NativePolicy native(model, policy::Tokenizer(), "tiny");
  auto tasks = some_tasks(4);
  SegmentOptions o;
  o.max_tokens = 30;
  o.segments = 3;
  o.active = 2;
  o.sampling.seed = 5;
  SegmentedRollout rollout(native, tasks, o, verifier());
  EXPECT_TRUE(rollout.step().empty());  // no eos: both first samples need more segments
  EXPECT_EQ(rollout.unfinished(), 2u);
  EXPECT_EQ(rollout.started(), 2u);
  native.updated();  // a weight update between steps
  EXPECT_TRUE(rollout.step().empty());
  EXPECT_EQ(rollout.started(), 2u)
      << "the unfinished pool fills the active slots before new prompts";
  auto finished = rollout.step();
  ASSERT_EQ(finished.size(), 2u);
  for (const auto& r : finished) {
    EXPECT_EQ(r.completion_tokens.size(), 30u);
    EXPECT_EQ(r.finish_reason, "overlong");
    EXPECT_EQ(r.reward.value, 0);
    ASSERT_EQ(r.versions.size(), 2u);
    EXPECT_EQ(r.versions[0], (std::pair<size_t, std::string>{0, "tiny@0"}));
    EXPECT_EQ(r.versions[1], (std::pair<size_t, std::string>{10, "tiny@1"}));
  }
  std::vector<float> recomputed(30, -1.f);
  EXPECT_EQ(old_logprobs(finished[0], recomputed, ImportanceMode::Pois), recomputed);
  EXPECT_EQ(old_logprobs(finished[0], recomputed, ImportanceMode::Sais), finished[0].logprobs);
  SegmentOptions bad;
  bad.max_tokens = 2;
  bad.segments = 3;
  EXPECT_THROW(SegmentedRollout(native, tasks, bad, verifier()), InvalidRequest);
}

}  // namespace
}  // namespace crucible::rollout
