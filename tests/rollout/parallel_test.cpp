// Parallel groups with a scripted policy (deterministic, written here): records, group
// advantages, and DAPO dynamic sampling's drop-and-refill with its counts.
#include <gtest/gtest.h>

#include <map>

#include "rollout/parallel.hpp"

namespace crucible::rollout {
namespace {

// Answers task "Qn" (whose answer is n) right or wrong by a per-task pattern over the
// sample's position in its group; tokens are the text's bytes.
class PatternPolicy : public policy::Policy {
 public:
  PatternPolicy(std::map<std::string, std::vector<bool>> patterns, size_t group_size)
      : patterns_(std::move(patterns)), group_size_(group_size) {}

  std::vector<policy::Sample> generate(const std::vector<std::string>& prompts,
                                       const policy::SamplingParams& params) override {
    ++calls;
    std::vector<policy::Sample> out(prompts.size());
    for (size_t i = 0; i < prompts.size(); ++i) {
      std::string task = prompts[i].substr(0, prompts[i].find('\n'));
      int answer = std::stoi(task.substr(1));
      bool right = patterns_.at(task)[i % group_size_];
      policy::Sample& s = out[i];
      s.index = i;
      s.prompt = prompts[i];
      s.params = params;
      s.text = "so \\boxed{" + std::to_string(right ? answer : answer + 100) + "}";
      for (char c : s.text) s.tokens.push_back(static_cast<unsigned char>(c));
      s.logprobs.assign(s.tokens.size(), -0.5f);
      s.raw_logprobs = s.logprobs;
      s.forced.assign(s.tokens.size(), 0);
      s.finish_reason = "stop";
    }
    return out;
  }
  void resume(std::vector<policy::Sample>&, size_t) override {}
  std::string version() const override { return "scripted@3"; }
  int calls = 0;

 private:
  std::map<std::string, std::vector<bool>> patterns_;
  size_t group_size_;
};

std::vector<tasks::Task> tasks_q(int n) {
  std::vector<tasks::Task> out;
  for (int i = 1; i <= n; ++i) {
    tasks::Task t;
    t.id = "q" + std::to_string(i);
    t.kind = tasks::Kind::Math;
    t.prompt = "Q" + std::to_string(i);
    t.answer = std::to_string(i);
    out.push_back(t);
  }
  return out;
}

TEST(ParallelGroups, RecordsAndGroupAdvantages) {
  PatternPolicy policy({{"Q1", {true, false, true, true}}, {"Q2", {false, false, true, false}}}, 4);
  const rewards::Scorer reward;
  auto tasks = tasks_q(2);
  TaskCursor cursor(tasks);
  GroupOptions o;
  o.group_size = 4;
  o.groups_per_batch = 2;
  o.advantage = rewards::AdvantageMode::NoStd;
  GroupBatch b = run_parallel_groups(policy, reward, cursor, o);
  ASSERT_EQ(b.groups.size(), 2u);
  EXPECT_TRUE(b.full);
  EXPECT_EQ(b.rounds, 1u);
  const auto& g1 = b.groups[0];
  EXPECT_EQ(g1[0].reward.value, 1);
  EXPECT_EQ(g1[1].reward.value, 0);
  EXPECT_DOUBLE_EQ(*g1[0].advantage, 0.25);  // 1 - mean 0.75
  EXPECT_DOUBLE_EQ(*g1[1].advantage, -0.75);
  EXPECT_DOUBLE_EQ(*b.groups[1][2].advantage, 0.75);
  EXPECT_EQ(g1[0].task_id, "q1");
  EXPECT_EQ(g1[0].group_id, g1[3].group_id);
  EXPECT_NE(g1[0].group_id, b.groups[1][0].group_id);
  EXPECT_EQ(g1[0].role, "sample");
  EXPECT_EQ(g1[0].versions, (std::vector<std::pair<size_t, std::string>>{{0, "scripted@3"}}));
  EXPECT_EQ(g1[0].completion_tokens.size(), g1[0].text.size());  // the policy's own tokens
  EXPECT_EQ(g1[0].loss_mask, std::vector<uint8_t>(g1[0].text.size(), 1));
  nlohmann::json j = g1[0];
  EXPECT_EQ(j["reward"]["verdict"], "correct");
  EXPECT_EQ(j["advantage"], 0.25);
}

TEST(ParallelGroups, DynamicSamplingDropsEqualGroupsAndRefills) {
  PatternPolicy policy({{"Q1", {true, true, true}},
                        {"Q2", {true, false, false}},
                        {"Q3", {false, false, false}},
                        {"Q4", {false, true, true}}},
                       3);
  const rewards::Scorer reward;
  auto tasks = tasks_q(4);
  GroupOptions o;
  o.group_size = 3;
  o.groups_per_batch = 2;
  o.dynamic_sampling = true;
  TaskCursor cursor(tasks);
  GroupBatch b = run_parallel_groups(policy, reward, cursor, o);
  // Round 1: Q1 (all right, dropped), Q2 kept. Round 2: Q3 (all wrong, dropped).
  // Round 3: Q4 kept.
  EXPECT_TRUE(b.full);
  EXPECT_EQ(b.rounds, 3u);
  EXPECT_EQ(b.dropped_equal, 2u);
  EXPECT_EQ(b.groups_generated, 4u);
  ASSERT_EQ(b.groups.size(), 2u);
  EXPECT_EQ(b.groups[0][0].task_id, "q2");
  EXPECT_EQ(b.groups[1][0].task_id, "q4");

  o.max_rounds = 2;  // the cap: the batch stays short and says so
  TaskCursor again(tasks);
  GroupBatch capped = run_parallel_groups(policy, reward, again, o);
  EXPECT_FALSE(capped.full);
  EXPECT_EQ(capped.rounds, 2u);
  EXPECT_EQ(capped.groups.size(), 1u);
  EXPECT_EQ(capped.dropped_equal, 2u);
}

TEST(ParallelGroups, APoolScoresTheSameRewardsAsInline) {
  PatternPolicy policy({{"Q1", {true, false, true}}, {"Q2", {false, true, true}}}, 3);
  const rewards::Scorer reward;
  auto tasks = tasks_q(2);
  GroupOptions o;
  o.group_size = 3;
  o.groups_per_batch = 2;
  TaskCursor inline_cursor(tasks);
  GroupBatch inline_batch = run_parallel_groups(policy, reward, inline_cursor, o);
  RewardPool pool(2, 16, std::chrono::seconds(30));
  o.reward_pool = &pool;
  TaskCursor pooled_cursor(tasks);
  GroupBatch pooled = run_parallel_groups(policy, reward, pooled_cursor, o);
  ASSERT_EQ(pooled.groups.size(), 2u);
  for (size_t g = 0; g < 2; ++g)
    for (size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(pooled.groups[g][i].reward.value, inline_batch.groups[g][i].reward.value);
      EXPECT_EQ(*pooled.groups[g][i].advantage, *inline_batch.groups[g][i].advantage);
    }
}

TEST(ParallelGroups, InvalidRewardsAreExcludedNotScoredZero) {
  PatternPolicy policy({{"Q1", {true, false}}}, 2);
  const rewards::Scorer reward;
  auto tasks = tasks_q(1);
  tasks[0].answer = "\\frac{1}{";  // an unreadable reference: the data's fault
  TaskCursor cursor(tasks);
  GroupOptions o;
  o.group_size = 2;
  o.groups_per_batch = 1;
  GroupBatch b = run_parallel_groups(policy, reward, cursor, o);
  ASSERT_EQ(b.groups.size(), 1u);
  for (const auto& r : b.groups[0]) {
    EXPECT_FALSE(r.reward.valid);
    EXPECT_FALSE(r.advantage.has_value());
  }
}

}  // namespace
}  // namespace crucible::rollout
