// The model critic's format: what Critique::render() writes is read back exactly, and
// output that breaks the format is reported with what is wrong, never turned into
// verdicts. A real native policy (untrained) answers the critique prompt with text that
// is not a critique: it must come back as malformed, not as a guess.
#include "critique/model_critic.hpp"

#include <gtest/gtest.h>

#include "critique/arithmetic_critic.hpp"
#include "policy/native_policy.hpp"
#include "tests/support/tiny_model.hpp"

namespace crucible::critique {
namespace {

const std::string kSolution =
    "She has 3 * 4 = 12 apples.\nShe eats 2, so 12 - 2 = 11.\nThe answer is 11.";

TEST(ModelCritic, ReadsBackWhatRenderWrites) {
  Critique original = critique_arithmetic(kSolution, {"", std::string("10")});
  ASSERT_EQ(original.first_wrong, std::optional<size_t>(1));
  Critique parsed = parse_critique(original.render(), kSolution);
  ASSERT_TRUE(parsed.usable()) << parsed.malformed;
  ASSERT_EQ(parsed.steps.size(), original.steps.size());
  for (size_t i = 0; i < parsed.steps.size(); ++i) {
    EXPECT_EQ(parsed.steps[i].ok, original.steps[i].ok) << i;
    EXPECT_EQ(parsed.steps[i].text, original.steps[i].text) << i;
    EXPECT_EQ(parsed.steps[i].begin, original.steps[i].begin) << i;
    EXPECT_EQ(parsed.steps[i].feedback, original.steps[i].feedback) << i;
  }
  EXPECT_EQ(parsed.first_wrong, original.first_wrong);
  EXPECT_EQ(parsed.final_correct, original.final_correct);
  EXPECT_EQ(parsed.final_feedback, original.final_feedback);
}

TEST(ModelCritic, PromptNumbersTheStepsAfterThinking) {
  std::string prompt = critique_prompt("Count the apples.", "<think>hmm</think>" + kSolution);
  EXPECT_NE(prompt.find("Step 2: She eats 2, so 12 - 2 = 11."), std::string::npos) << prompt;
  EXPECT_EQ(prompt.find("hmm"), std::string::npos);
  EXPECT_NE(prompt.find("Correctness of the step"), std::string::npos);
}

TEST(ModelCritic, MalformedOutputIsReportedWithTheReason) {
  struct Case {
    std::string text, reason;
  };
  const std::string ok1 = "Step 1: x\nCorrectness of the step: Correct\n";
  const std::string ok2 = "Step 2: y\nCorrectness of the step: Wrong\nExplanation: 12 - 2 is 10\n";
  const std::string ok3 = "Step 3: z\nCorrectness of the step: Wrong\n";
  const std::vector<Case> cases = {
      {"", "no \"Final answer:\" line"},
      {"The solution looks fine to me.", "no \"Final answer:\" line"},
      {ok1 + ok3 + "Final answer: Wrong", "step 3 where step 2 was due"},
      {ok1 + ok2 + "Final answer: Wrong", "covers 2 of 3 steps"},
      {ok1 + ok2 + ok3 + "Step 4: w\nCorrectness of the step: Correct\nFinal answer: Wrong",
       "step 4 but the solution has 3 steps"},
      {"Step 1: x\nFinal answer: Correct", "step 1 has no \"Correctness of the step\" line"},
      {"Step 1: x\nCorrectness of the step: Probably\n", "neither Correct nor Wrong"},
      {"Step 1: x\nCorrectness of the step: Correct\nCorrectness of the step: Wrong\n",
       "two verdicts"},
      {ok1 + ok2 + ok3 + "Final answer: Maybe", "is not Correct, Wrong or not judged"},
      {ok1 + ok2 + ok3 + "Final answer: Wrong\nStep 4: more", "text after the \"Final answer:\""},
      {"Step one: x\n", "without a step number"},
      {"Correctness of the step: Correct\n", "before any \"Step\" line"},
      {"Step 1: x\nExplanation: early\n", "before its step's verdict"},
      {ok1 + "banana\n", "a line outside the format: banana"},
  };
  for (const auto& k : cases) {
    Critique c = parse_critique(k.text, kSolution);
    EXPECT_FALSE(c.usable()) << k.text;
    EXPECT_NE(c.malformed.find(k.reason), std::string::npos)
        << "output:\n"
        << k.text << "\nreason: " << c.malformed;
    EXPECT_TRUE(c.steps.empty() && !c.first_wrong && !c.final_correct) << "no guessed verdicts";
    EXPECT_EQ(c.raw, k.text);
    EXPECT_NE(c.render().find("could not be read"), std::string::npos);
  }
  Critique good =
      parse_critique("Preamble.\n" + ok1 + ok2 + ok3 + "Final answer: Wrong", kSolution);
  ASSERT_TRUE(good.usable()) << good.malformed;
  EXPECT_EQ(good.first_wrong, std::optional<size_t>(1));
  EXPECT_EQ(good.steps[1].feedback, "12 - 2 is 10");
}

TEST(ModelCritic, AnUntrainedNativePolicyIsReportedMalformed) {
  auto model = testing::tiny_model(1, 512, 3);
  policy::NativePolicy actor(model, policy::Tokenizer(), "tiny");
  policy::SamplingParams params;
  params.temperature = 1;
  params.max_tokens = 24;
  params.seed = 5;
  ModelCritic critic(actor, params);
  tasks::Task t;
  t.id = "t";
  t.kind = tasks::Kind::Math;
  t.prompt = "Count the apples.";
  Critique c = critic.critique(t, kSolution);
  EXPECT_FALSE(c.usable());
  EXPECT_NE(c.malformed.find("no \"Final answer:\" line"), std::string::npos) << c.malformed;
  EXPECT_FALSE(c.raw.empty());
}

}  // namespace
}  // namespace crucible::critique
