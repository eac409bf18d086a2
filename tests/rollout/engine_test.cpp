// One rollout engine, one scorer: `crucible label` and the training loop's roll-out step
// score the same sample the same way (they once differed on serial groups: correctness
// alone in one, the composite reward in the other), and the scorer is what both call.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/files.hpp"
#include "rewards/math_reward.hpp"
#include "rollout/dataset.hpp"
#include "rollout/engine.hpp"
#include "rollout/train/rollout_step.hpp"
#include "tests/support/scripted_policy.hpp"

namespace crucible::rollout {
namespace {

using nlohmann::json;
using testing::seven;

// A composite whose full credit needs more than correctness: a right answer alone scores
// 0.5 and does not pass; the format term (think block, boxed answer) supplies the rest.
rewards::Scorer composite() {
  return rewards::Scorer(rewards::CompositeReward::from_json(json::parse(R"({
    "terms": [{"name": "correctness", "weight": 0.5},
              {"name": "format", "weight": 0.5, "format": {"think": true, "answer": "boxed"}}]})")));
}

std::map<std::string, json> by_role(const std::vector<json>& records) {
  std::map<std::string, json> out;
  for (const auto& r : records) out[r.at("role").get<std::string>()] = r.at("reward");
  return out;
}

TEST(RolloutEngine, LabelAndTrainScoreASerialGroupIdentically) {
  const rewards::Scorer score = composite();
  TempDir dir(temp_root());
  const std::string out = (dir.path() / "label.jsonl").string();

  testing::ScriptedPolicy label_policy({true, false, true}, true);
  LabelOptions o;
  o.mode = "serial";
  o.n = 4;  // 3 exits and the full path
  label_dataset(label_policy, score, {seven()}, o, out);
  std::vector<json> labelled;
  std::istringstream lines(read_file(out));
  for (std::string line; std::getline(lines, line);) labelled.push_back(json::parse(line));

  testing::ScriptedPolicy train_policy({true, false, true}, true);
  RolloutStepConfig c;
  c.mode = "serial";
  c.exits = 3;
  c.tasks_per_iteration = 1;
  RolloutStep step(c, {});
  const RolloutEngine engine(train_policy, score);
  IterationRollout r = step.run(engine, 1, {seven()}, [](const tasks::Task&) { return false; });
  ASSERT_EQ(r.groups.size(), 1u);
  std::vector<json> trained;
  for (const auto& rec : r.groups[0]) trained.push_back(json(rec));

  auto label_rewards = by_role(labelled), train_rewards = by_role(trained);
  ASSERT_EQ(label_rewards.size(), 4u);
  EXPECT_EQ(label_rewards, train_rewards);
  // The composite decided, not correctness alone: pattern [1, 0, 1, 1] under full credit.
  EXPECT_EQ(label_rewards["exit:1"]["value"], 1.0);
  EXPECT_EQ(label_rewards["exit:2"]["value"], 0.0);
  EXPECT_EQ(label_rewards["exit:3"]["value"], 0.5);
  EXPECT_EQ(label_rewards["full"]["value"], 0.25);
}

TEST(RolloutEngine, ScorerCountsTokensAndKeepsCorrectnessApart) {
  int calls = 0;
  size_t seen_tokens = 0;
  const rewards::Scorer counting([&](const tasks::Task& t, const rewards::Completion& c) {
    ++calls;
    seen_tokens = c.tokens;
    return rewards::math_reward(t.answer, c.text, {});
  });
  EXPECT_TRUE(counting(seven(), {"\\boxed{7}", 9}).passed());
  EXPECT_EQ(seen_tokens, 9u);
  EXPECT_FALSE(counting.correctness(seven(), "\\boxed{8}").passed());
  EXPECT_EQ(calls, 2);
  // The bound composite: correctness alone passes where the whole reward does not.
  const rewards::Scorer score = composite();
  EXPECT_TRUE(score.correctness(seven(), "\\boxed{7}").passed());
  EXPECT_FALSE(score(seven(), {"\\boxed{7}", 4}).passed()) << "no think block: half credit";
  EXPECT_TRUE(score(seven(), {"<think>3+4</think>\\boxed{7}", 20}).passed());
}

}  // namespace
}  // namespace crucible::rollout
