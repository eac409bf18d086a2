// The reward library: format and length shaping, group advantages, the S-GRPO serial
// decay, code rewards from judge results, math rewards, and composition from JSON.
#include <gtest/gtest.h>

#include "base/error.hpp"
#include "rewards/advantages.hpp"
#include "rewards/composite.hpp"
#include "rewards/math_reward.hpp"

namespace crucible::rewards {
namespace {

using nlohmann::json;
using sandbox::Verdict;

struct FormatRow {
  const char* completion;
  bool think;
  AnswerForm form;
  const char* reason;
};

const FormatRow kFormats[] = {
    {"<think>2+2</think> \\boxed{4}", true, AnswerForm::Boxed, "ok"},
    {"  <think>a</think>\n\\boxed{4}", true, AnswerForm::Boxed, "ok"},
    {"\\boxed{4}", true, AnswerForm::Boxed, "missing_think"},
    {"hi <think>a</think>\\boxed{4}", true, AnswerForm::Boxed, "text_before_think"},
    {"<think>a</think><think>b</think>\\boxed{4}", true, AnswerForm::Boxed, "repeated_think"},
    {"<think>a \\boxed{4}", true, AnswerForm::Boxed, "unclosed_think"},
    {"<think>  </think>\\boxed{4}", true, AnswerForm::Boxed, "empty_think"},
    {"<think>a</think>   ", true, AnswerForm::Boxed, "no_answer"},
    {"<think>a</think> 4", true, AnswerForm::Boxed, "no_answer"},
    {"<think>a</think> \\boxed{3} or \\boxed{4}", true, AnswerForm::Boxed, "multiple_answers"},
    {"<think>a</think> \\boxed{ }", true, AnswerForm::Boxed, "empty_answer"},
    {"<think>\\boxed{3}</think> \\boxed{4}", true, AnswerForm::Boxed, "ok"},
    {"\\boxed{4}", false, AnswerForm::Boxed, "ok"},
    {"<think>a</think>\nAnswer: 4", true, AnswerForm::AnswerLine, "ok"},
    {"<think>a</think>\nAnswer: 4\nAnswer: 5", true, AnswerForm::AnswerLine, "multiple_answers"},
    {"<think>a</think>\nThe answer is 4", true, AnswerForm::AnswerLine, "no_answer"},
    {"<think>a</think>\n```python\nprint(1)\n```", true, AnswerForm::CodeFence, "ok"},
    {"<think>a</think>\n```python\n```", true, AnswerForm::CodeFence, "empty_answer"},
    {"<think>a</think>\n```\na\n```\n```\nb\n```", true, AnswerForm::CodeFence, "multiple_answers"},
    {"<think>a</think> anything", true, AnswerForm::Any, "ok"},
};

class Format : public ::testing::TestWithParam<FormatRow> {};

TEST_P(Format, NamesTheDefect) {
  const FormatRow& r = GetParam();
  Reward f = format_reward(r.completion, {r.think, r.form});
  EXPECT_EQ(f.reason, r.reason) << r.completion;
  EXPECT_EQ(f.value, std::string(r.reason) == "ok" ? 1.0 : 0.0);
}

INSTANTIATE_TEST_SUITE_P(Table, Format, ::testing::ValuesIn(kFormats));

TEST(Overlong, IsZeroThenLinearThenMinusOne) {
  OverlongSpec s{100, 20};
  EXPECT_EQ(overlong_penalty(0, s), 0);
  EXPECT_EQ(overlong_penalty(80, s), 0);
  EXPECT_DOUBLE_EQ(overlong_penalty(90, s), -0.5);
  EXPECT_DOUBLE_EQ(overlong_penalty(100, s), -1);
  EXPECT_EQ(overlong_penalty(101, s), -1);
  EXPECT_THROW(OverlongSpec::from_json(json{{"max_tokens", 10}, {"cache_tokens", 11}}),
               InvalidRequest);
}

TEST(LengthReward, PrefersShortCorrectAndNeverRewardsShortWrong) {
  LengthHistory h;
  h.observe("t", 100);
  h.observe("t", 300);
  EXPECT_DOUBLE_EQ(h.reward("t", 100, true).value, 0.5);    // shortest correct: best
  EXPECT_DOUBLE_EQ(h.reward("t", 300, true).value, -0.5);   // longest correct
  EXPECT_DOUBLE_EQ(h.reward("t", 100, false).value, 0.0);   // short wrong: not rewarded
  EXPECT_DOUBLE_EQ(h.reward("t", 300, false).value, -0.5);  // long wrong: penalised
  EXPECT_DOUBLE_EQ(h.reward("t", 200, false).value, 0.0);
  EXPECT_DOUBLE_EQ(h.reward("other", 50, true).value, 0.0);  // nothing to compare yet
}

TEST(Advantages, StandardOnAWorkedExample) {
  // mean 0.75, population std sqrt(0.1875) = 0.4330127
  auto a = group_advantages(std::vector<double>{1, 0, 1, 1}, AdvantageMode::Standard, 0);
  EXPECT_NEAR(a[0], 0.25 / 0.4330127, 1e-6);
  EXPECT_NEAR(a[1], -0.75 / 0.4330127, 1e-6);
  EXPECT_NEAR(a[0] + a[1] + a[2] + a[3], 0, 1e-12);
}

TEST(Advantages, NoStdAndLeaveOneOut) {
  auto n = group_advantages(std::vector<double>{1, 0, 0, 0}, AdvantageMode::NoStd);
  EXPECT_DOUBLE_EQ(n[0], 0.75);
  EXPECT_DOUBLE_EQ(n[1], -0.25);
  auto l = group_advantages(std::vector<double>{1, 0, 0, 0}, AdvantageMode::LeaveOneOut);
  EXPECT_DOUBLE_EQ(l[0], 1.0);         // 1 - mean(0, 0, 0)
  EXPECT_DOUBLE_EQ(l[1], -1.0 / 3.0);  // 0 - mean(1, 0, 0)
}

TEST(Advantages, AllEqualGroupsAreExactlyZero) {
  for (auto mode : {AdvantageMode::Standard, AdvantageMode::NoStd, AdvantageMode::LeaveOneOut}) {
    for (double v : {0.0, 1.0, 0.37}) {
      auto a = group_advantages(std::vector<double>(5, v), mode);
      for (double x : a) EXPECT_EQ(x, 0.0);
    }
  }
}

TEST(Advantages, InvalidSamplesAreExcludedNotZeroed) {
  Reward ok1, ok0;
  ok1.value = 1;
  ok0.value = 0;
  auto a = group_advantages(std::vector<Reward>{ok1, Reward::invalid("sandbox_error"), ok0},
                            AdvantageMode::NoStd);
  ASSERT_EQ(a.size(), 3u);
  EXPECT_DOUBLE_EQ(*a[0], 0.5);
  EXPECT_FALSE(a[1].has_value());
  EXPECT_DOUBLE_EQ(*a[2], -0.5);
}

TEST(SerialDecay, ExponentialByDefault) {
  auto r = serial_rewards({true, true, true, true}, DecaySchedule{});
  EXPECT_EQ(r, (std::vector<double>{1, 0.5, 0.25, 0.125}));
}

TEST(SerialDecay, WrongExitsGetZeroAndDecayCountsCorrectAnswers) {
  // k counts the correct exits so far: the first correct answer gets 1 wherever it is.
  EXPECT_EQ(serial_rewards({true, false, true, true}, DecaySchedule{}),
            (std::vector<double>{1, 0, 0.5, 0.25}));
  EXPECT_EQ(serial_rewards({false, true, false, true}, DecaySchedule{}),
            (std::vector<double>{0, 1, 0, 0.5}));
  EXPECT_EQ(serial_rewards({false, false, false, true}, DecaySchedule{}),
            (std::vector<double>{0, 0, 0, 1}));
}

TEST(SerialDecay, IsMonotonicForEverySchedule) {
  for (const json& j : {json{{"kind", "exponential"}}, json{{"kind", "exponential"}, {"base", 0.8}},
                        json{{"kind", "linear"}},
                        json{{"kind", "custom"}, {"values", {1, 0.6, 0.3, 0.1, 0.05, 0}}}}) {
    auto s = DecaySchedule::from_json(j);
    auto r = serial_rewards(std::vector<bool>(6, true), s);
    for (size_t i = 1; i < r.size(); ++i) EXPECT_LE(r[i], r[i - 1]) << j.dump();
    EXPECT_EQ(r[0], 1.0) << j.dump();
  }
  EXPECT_EQ(
      serial_rewards({true, true, true, true}, DecaySchedule::from_json(json{{"kind", "linear"}})),
      (std::vector<double>{1, 0.75, 0.5, 0.25}));
}

TEST(SerialDecay, AdvantagesOnAWorkedExample) {
  // Exits 1..4, correct at 2 and 3: rewards {0, 1, 0.5, 0}, mean 0.375.
  auto r = serial_rewards({false, true, true, false}, DecaySchedule{});
  auto a = group_advantages(r, AdvantageMode::NoStd);
  EXPECT_DOUBLE_EQ(a[0], -0.375);
  EXPECT_DOUBLE_EQ(a[1], 0.625);
  EXPECT_DOUBLE_EQ(a[2], 0.125);
  EXPECT_DOUBLE_EQ(a[3], -0.375);
  // Earlier correct exit, larger advantage.
  EXPECT_GT(a[1], a[2]);
  auto none = group_advantages(serial_rewards({false, false, false}, DecaySchedule{}),
                               AdvantageMode::Standard);
  EXPECT_EQ(none, (std::vector<double>{0, 0, 0}));
}

TEST(SerialDecay, BadSchedulesNameTheField) {
  EXPECT_THROW(DecaySchedule::from_json(json{{"kind", "cubic"}}), InvalidRequest);
  EXPECT_THROW(DecaySchedule::from_json(json{{"kind", "custom"}}), InvalidRequest);
  EXPECT_THROW(DecaySchedule::from_json(json{{"base", 2}}), InvalidRequest);
  auto short_list = DecaySchedule::from_json(json{{"kind", "custom"}, {"values", {1}}});
  EXPECT_THROW(serial_rewards({true, true}, short_list), InvalidRequest);
}

sandbox::judge::JudgeResult judged(Verdict v, size_t passed, size_t total) {
  sandbox::judge::JudgeResult r;
  r.verdict = v;
  r.passed = passed;
  r.total = total;
  return r;
}

TEST(CodeReward, BinaryFractionGraded) {
  CodeRewardOptions binary, fraction, graded;
  fraction.mode = CodeRewardMode::Fraction;
  graded.mode = CodeRewardMode::Graded;
  EXPECT_EQ(code_reward(judged(Verdict::Accepted, 4, 4), binary).value, 1);
  EXPECT_EQ(code_reward(judged(Verdict::WrongAnswer, 3, 4), binary).value, 0);
  EXPECT_EQ(code_reward(judged(Verdict::WrongAnswer, 3, 4), fraction).value, 0.75);
  EXPECT_EQ(code_reward(judged(Verdict::CompileError, 0, 4), fraction).value, 0);
  EXPECT_EQ(code_reward(judged(Verdict::WrongAnswer, 3, 4), graded).value, 0.2);
  EXPECT_EQ(code_reward(judged(Verdict::CompileError, 0, 4), graded).value, 0);
  EXPECT_EQ(code_reward(judged(Verdict::Accepted, 4, 4), graded).verdict, "accepted");
  EXPECT_EQ(code_reward(judged(Verdict::RuntimeError, 0, 4), graded).verdict, "runtime_error");
  auto custom = CodeRewardOptions::from_json(
      json{{"mode", "graded"}, {"graded_values", {{"WrongAnswer", 0.5}}}});
  EXPECT_EQ(code_reward(judged(Verdict::WrongAnswer, 3, 4), custom).value, 0.5);
}

TEST(CodeReward, SandboxErrorIsInvalidNeverZero) {
  for (auto mode : {CodeRewardMode::Binary, CodeRewardMode::Fraction, CodeRewardMode::Graded}) {
    CodeRewardOptions o;
    o.mode = mode;
    Reward r = code_reward(judged(Verdict::SandboxError, 0, 4), o);
    EXPECT_FALSE(r.valid);
    EXPECT_EQ(r.verdict, "invalid");
  }
  EXPECT_THROW(CodeRewardOptions::from_json(json{{"graded_values", {{"SandboxError", 0}}}}),
               InvalidRequest);
  EXPECT_THROW(CodeRewardOptions::from_json(json{{"mode", "partial"}}), InvalidRequest);
}

TEST(CodeExtraction, TakesTheLastFenceAfterThinking) {
  auto c =
      extract_code("<think>```python\nprint(0)\n```</think>\nHere:\n```py\nprint(1)\n```\nDone.");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->source, "print(1)\n");
  EXPECT_EQ(c->language, "python3");
  auto two = extract_code("```c\nint a;\n```\nbetter:\n```cpp\nint main(){}\n```");
  ASSERT_TRUE(two);
  EXPECT_EQ(two->language, "cpp");
  EXPECT_EQ(two->source, "int main(){}\n");
  auto unclosed = extract_code("```bash\necho hi\n");
  ASSERT_TRUE(unclosed);
  EXPECT_EQ(unclosed->source, "echo hi\n");
  EXPECT_FALSE(extract_code("print(1)"));
  EXPECT_FALSE(extract_code("```\n\n```"));
  // A tool-integrated transcript: the program is the last block that is not an output.
  auto tool = extract_code(
      "```python\nprint(2 + 2)\n```\n```output\n4\n```\nSo:\n```python\nprint(int(input()) * "
      "2)\n```\n```output\n6\n```\n");
  ASSERT_TRUE(tool);
  EXPECT_EQ(tool->source, "print(int(input()) * 2)\n");
  EXPECT_FALSE(extract_code("```output\n4\n```\n")) << "an observation alone is no program";
}

tasks::Task math_task(const std::string& answer) {
  tasks::Task t;
  t.id = "m1";
  t.kind = tasks::Kind::Math;
  t.prompt.assign(1, '?');  // (= "?" trips a GCC 12 -Wrestrict false positive)
  t.answer = answer;
  return t;
}

TEST(MathReward, CorrectWrongAndInvalid) {
  EXPECT_EQ(math_reward("\\frac12", "so \\boxed{0.5}", {}).value, 1);
  Reward wrong = math_reward("2", "so \\boxed{3}", {});
  EXPECT_EQ(wrong.value, 0);
  EXPECT_TRUE(wrong.valid);
  EXPECT_EQ(wrong.verdict, "wrong");
  Reward none = math_reward("2", "", {});
  EXPECT_EQ(none.verdict, "no_answer");
  EXPECT_TRUE(none.valid);
  Reward bad_gold = math_reward("\\frac{1}{", "1", {});
  EXPECT_FALSE(bad_gold.valid);  // the data's fault, not the policy's
  EXPECT_EQ(bad_gold.reason, "unparseable_gold");
}

TEST(Composite, DefaultsToCorrectness) {
  CompositeReward c;
  EXPECT_EQ(c.score(math_task("4"), {"\\boxed{4}", 5}, nullptr).value, 1);
  EXPECT_EQ(c.score(math_task("4"), {"\\boxed{5}", 5}, nullptr).value, 0);
}

TEST(Composite, WeightedSumWithAFormatGate) {
  auto c = CompositeReward::from_json(json::parse(R"({
    "terms": [{"name": "correctness", "weight": 1},
              {"name": "format", "weight": 0.2, "format": {"think": true, "answer": "boxed"}},
              {"name": "overlong", "weight": 1, "overlong": {"max_tokens": 100, "cache_tokens": 20}}],
    "gate": ["format"]})"));
  auto task = math_task("4");
  EXPECT_DOUBLE_EQ(c.score(task, {"<think>2+2</think>\\boxed{4}", 10}, nullptr).value, 1.2);
  EXPECT_DOUBLE_EQ(c.score(task, {"<think>2+2</think>\\boxed{4}", 90}, nullptr).value, 0.7);
  EXPECT_DOUBLE_EQ(c.score(task, {"<think>2+2</think>\\boxed{5}", 10}, nullptr).value, 0.2);
  // A right answer without the format counts for nothing: the gate holds it back.
  Reward gated = c.score(task, {"\\boxed{4}", 10}, nullptr);
  EXPECT_DOUBLE_EQ(gated.value, 0);
  EXPECT_EQ(gated.reason, "gated:format");
}

TEST(Composite, InvalidCorrectnessMakesTheRewardInvalid) {
  CompositeReward c;
  EXPECT_FALSE(c.score(math_task("\\frac{1}{"), {"1", 1}, nullptr).valid);
}

TEST(Composite, BadConfigsNameTheField) {
  struct Bad {
    const char* config;
    const char* message;
  };
  for (Bad b :
       {Bad{R"({"terms": []})", "terms: must be a non-empty array"},
        Bad{R"({"terms": [{"name": "speed"}]})", "terms[0].name: unknown term 'speed'"},
        Bad{R"({"terms": [{"name": "format", "weight": "x"}]})",
            "terms[0].weight must be a number"},
        Bad{R"({"terms": [{"name": "correctness"}], "gate": ["format"]})",
            "gate: 'format' is not one"},
        Bad{R"({"terms": [{"name": "correctness"}, {"name": "correctness"}]})", "appears twice"},
        Bad{R"({"term": []})", "term is not a known field"},
        Bad{R"({"terms": [{"name": "format", "format": {"answer": "box"}}]})", "format.answer"},
        Bad{R"({"math": {"percent": 3}})", "options.percent"}}) {
    try {
      CompositeReward::from_json(json::parse(b.config));
      ADD_FAILURE() << b.config;
    } catch (const InvalidRequest& e) {
      EXPECT_NE(std::string(e.what()).find(b.message), std::string::npos) << e.what();
    }
  }
}

TEST(Composite, CodeTaskWithoutAJudgeIsAClearError) {
  tasks::Task t;
  t.id = "c1";
  t.kind = tasks::Kind::Code;
  CompositeReward c;
  EXPECT_THROW(c.score(t, {"```python\nprint(1)\n```", 3}, nullptr), InvalidRequest);
}

}  // namespace
}  // namespace crucible::rewards
