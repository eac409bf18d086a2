// Critique in the loop with a scripted actor (a Policy whose answers are written out here,
// so that what the loop asks and what it keeps can be checked exactly): test-time
// refinement, training-time critique RFT with its shortcut filter, and guided resampling
// with each guidance.
#include <gtest/gtest.h>

#include <functional>

#include "base/error.hpp"
#include "critique/arithmetic_critic.hpp"
#include "critique/critique_rft.hpp"
#include "critique/guided.hpp"
#include "critique/refine.hpp"

namespace crucible::critique {
namespace {

class ScriptedActor : public policy::Policy {
 public:
  explicit ScriptedActor(std::function<std::string(const std::string&, size_t)> answer)
      : answer_(std::move(answer)) {}
  std::vector<policy::Sample> generate(const std::vector<std::string>& prompts,
                                       const policy::SamplingParams& params) override {
    std::vector<policy::Sample> out;
    for (size_t i = 0; i < prompts.size(); ++i) {
      policy::Sample s;
      s.prompt = prompts[i];
      s.text = answer_(prompts[i], params.first_index + i);
      s.finish_reason = "stop";
      out.push_back(std::move(s));
      asked.push_back(prompts[i]);
    }
    return out;
  }
  void resume(std::vector<policy::Sample>&, size_t) override {}
  std::string version() const override { return "scripted"; }
  std::vector<std::string> asked;

 private:
  std::function<std::string(const std::string&, size_t)> answer_;
};

tasks::Task math_task(const std::string& id, const std::string& prompt, const std::string& answer,
                      const std::string& solution = "") {
  tasks::Task t;
  t.id = id;
  t.kind = tasks::Kind::Math;
  t.prompt = prompt;
  t.answer = answer;
  t.solution = solution;
  return t;
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

TEST(Refine, TheActorSeesTheCritiqueAndContinuesFromTheLastRightStep) {
  auto task = math_task("t", "Pia has 3 bags of 4 plums and finds 5 more. How many?", "17");
  ScriptedActor actor([](const std::string& prompt, size_t) -> std::string {
    if (!contains(prompt, "Critique:")) return "3 * 4 = 12\n12 + 5 = 18\nThe answer is 18.";
    return "12 + 5 = 17\nThe answer is 17.";
  });
  ArithmeticCritic critic;
  RefineOptions o;
  o.chains = 1;
  o.rounds = 3;
  auto results = refine(actor, critic, {task}, o, rewards::Scorer());
  ASSERT_EQ(results.size(), 1u);
  const auto& r = results[0];
  ASSERT_EQ(r.chains[0].size(), 2u) << "stops once the critic finds nothing wrong";
  EXPECT_EQ(r.policy_calls, 2u);
  ASSERT_EQ(actor.asked.size(), 2u);
  const std::string& second = actor.asked[1];
  EXPECT_TRUE(contains(second, "Correctness of the step: Wrong")) << second;
  EXPECT_TRUE(contains(second, "`12 + 5` is 17, not 18")) << second;
  EXPECT_TRUE(second.ends_with("Corrected solution:\n3 * 4 = 12\n")) << second;
  EXPECT_EQ(r.chains[0][1].completion, "3 * 4 = 12\n12 + 5 = 17\nThe answer is 17.");
  EXPECT_FALSE(r.chains[0][0].correct);
  EXPECT_TRUE(r.chains[0][1].correct);
  EXPECT_TRUE(r.voted_correct);
  EXPECT_TRUE(r.any_correct);
}

TEST(Refine, BaselineSpendsChainsTimesRoundsAndVotesTheMajority) {
  auto task = math_task("t", "What is 6 * 7?", "42");
  ScriptedActor actor([](const std::string&, size_t index) -> std::string {
    return index % 3 == 0 ? "The answer is 42." : "The answer is 41.";
  });
  RefineOptions o;
  o.chains = 2;
  o.rounds = 3;
  auto r = sample_repeatedly(actor, {task}, o, rewards::Scorer())[0];
  EXPECT_EQ(r.policy_calls, 6u);
  EXPECT_EQ(actor.asked.size(), 6u);
  EXPECT_TRUE(r.any_correct);
  EXPECT_FALSE(r.voted_correct) << "41 is the majority";
  EXPECT_EQ(r.answer, std::optional<std::string>("41"));
  auto s = summarize({r});
  EXPECT_DOUBLE_EQ(s.coverage, 1.0);
  EXPECT_DOUBLE_EQ(s.accuracy, 0.0);
  EXPECT_DOUBLE_EQ(s.calls_per_task, 6.0);
}

TEST(CritiqueRft, KeepsCorrectOriginalsAndVerifiedRefinementsButNoShortcuts) {
  auto a = math_task("a", "Pia has 3 bags of 4 plums and finds 5 more. How many?", "17",
                     "3 * 4 = 12\n12 + 5 = 17\nThe answer is 17.");
  auto b = math_task("b", "Ole has 2 boxes of 9 pens and loses 4. How many?", "14",
                     "2 * 9 = 18\n18 - 4 = 14\nThe answer is 14.");
  ScriptedActor actor([](const std::string& prompt, size_t index) -> std::string {
    if (contains(prompt, "Pia")) return index % 2 ? "12 + 5 = 17\nThe answer is 17." : "x";
    return "The answer is 14.";  // jumps to the answer: a shortcut
  });
  ArithmeticCritic critic;
  std::vector<RolledSample> rolled = {
      {&a, "3 * 4 = 12\n12 + 5 = 17\nThe answer is 17.", true},
      {&a, "3 * 4 = 12\n12 + 5 = 18\nThe answer is 18.", false},
      {&b, "2 * 9 = 19\n19 - 4 = 15\nThe answer is 15.", false},
  };
  CritiqueRftOptions o;
  o.refinements = 4;
  o.max_kept = 1;
  auto r = critique_rft(actor, critic, rolled, o, rewards::Scorer());
  EXPECT_EQ(r.originals_correct, 1u);
  EXPECT_EQ(r.wrong, 2u);
  EXPECT_EQ(r.policy_calls, 8u);
  EXPECT_EQ(r.refined_correct, 2u + 4u);
  EXPECT_EQ(r.shortcuts, 4u);
  ASSERT_EQ(r.kept.size(), 2u) << "the original and one refinement (max_kept 1)";
  EXPECT_EQ(r.kept[0].origin, "original");
  EXPECT_EQ(r.kept[1].origin, "refined");
  EXPECT_EQ(r.kept[1].completion, "3 * 4 = 12\n12 + 5 = 17\nThe answer is 17.");
  EXPECT_EQ(r.kept[1].prompt, a.prompt) << "SFT pairs are trained under the task's prompt";
  EXPECT_TRUE(is_shortcut("The answer is 14.", rolled[2].completion, b, 0.5));
  EXPECT_FALSE(is_shortcut(rolled[0].completion, rolled[1].completion, a, 0.5));

  o.critique_conditioned = true;
  auto conditioned = critique_rft(actor, critic, rolled, o, rewards::Scorer());
  ASSERT_EQ(conditioned.kept.size(), 2u);
  EXPECT_TRUE(contains(conditioned.kept[1].prompt, "Critique:")) << conditioned.kept[1].prompt;
  EXPECT_TRUE(conditioned.kept[1].prompt.ends_with("Corrected solution:\n"));
}

TEST(Guided, StateResetPrefillsAGrowingReferencePrefixAndMasksIt) {
  auto t = math_task("t", "Ola buys 4 packs of 6 eggs and breaks 5. How many are left?", "19",
                     "4 * 6 = 24\n24 - 5 = 19\nThe answer is 19.");
  EXPECT_EQ(reference_prefix(t, 1, 2), "4 * 6 = 24\n");
  EXPECT_EQ(reference_prefix(t, 2, 2), "4 * 6 = 24\n24 - 5 = 19\n");
  ScriptedActor actor([](const std::string& prompt, size_t) -> std::string {
    return prompt.ends_with("24 - 5 = 19\n") ? "The answer is 19." : "The answer is 20.";
  });
  GuidedOptions o;
  o.guidance = Guidance::StateReset;
  o.rounds = 2;
  o.samples = 3;
  auto r = guided_resample(actor, nullptr, {&t}, o, rewards::Scorer())[0];
  EXPECT_EQ(r.rounds_used, 2u);
  EXPECT_EQ(r.policy_calls, 6u);
  ASSERT_EQ(r.found.size(), 1u) << "wanted 1";
  EXPECT_EQ(r.found[0].completion, "4 * 6 = 24\n24 - 5 = 19\nThe answer is 19.");
  EXPECT_EQ(r.found[0].masked_prefix_bytes, std::string("4 * 6 = 24\n24 - 5 = 19\n").size());
  EXPECT_EQ(r.found[0].prompt, t.prompt) << "trained without the guide";
  EXPECT_EQ(r.found[0].origin, "state_reset");
}

TEST(Guided, AnswerRationaleAndCritiqueGuidanceAndTheirErrors) {
  auto t = math_task("t", "What is 13 + 29?", "42", "13 + 29 = 42\nThe answer is 42.");
  ScriptedActor actor([](const std::string& prompt, size_t) -> std::string {
    if (contains(prompt, "(The answer is 42.)")) return "13 + 29 = 42\nThe answer is 42.";
    if (contains(prompt, "A reference solution:")) return "13 + 29 = 42\nSo 42.";
    if (contains(prompt, "Critique:")) return "13 + 29 = 42\nThe answer is 42.";
    return "13 + 29 = 32\nThe answer is 32.";
  });
  GuidedOptions o;
  o.rounds = 2;
  o.samples = 2;
  for (Guidance g : {Guidance::Answer, Guidance::Rationale}) {
    o.guidance = g;
    auto r = guided_resample(actor, nullptr, {&t}, o, rewards::Scorer())[0];
    ASSERT_EQ(r.found.size(), 1u) << guidance_name(g);
    EXPECT_EQ(r.rounds_used, 1u);
    EXPECT_EQ(r.found[0].prompt, t.prompt);
  }
  o.guidance = Guidance::None;
  auto plain = guided_resample(actor, nullptr, {&t}, o, rewards::Scorer())[0];
  EXPECT_TRUE(plain.found.empty());
  EXPECT_EQ(plain.policy_calls, 4u);
  o.guidance = Guidance::Critique;
  EXPECT_THROW(guided_resample(actor, nullptr, {&t}, o, rewards::Scorer()), InvalidRequest);
  ArithmeticCritic critic;
  auto critiqued = guided_resample(actor, &critic, {&t}, o, rewards::Scorer())[0];
  ASSERT_EQ(critiqued.found.size(), 1u);
  EXPECT_EQ(critiqued.rounds_used, 2u);
  auto bare = math_task("u", "What is 1 + 1?", "2");
  o.guidance = Guidance::StateReset;
  try {
    guided_resample(actor, nullptr, {&bare}, o, rewards::Scorer());
    ADD_FAILURE() << "a task without a reference solution was accepted";
  } catch (const InvalidRequest& e) {
    EXPECT_TRUE(contains(e.what(), "task u has no reference solution")) << e.what();
  }
  EXPECT_THROW(guidance_from_name("hint"), InvalidRequest);
}

}  // namespace
}  // namespace crucible::critique
