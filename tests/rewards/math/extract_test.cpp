// Answer extraction from free-form output: each row is an output, the answer that must
// be found and how it was found.
#include <gtest/gtest.h>

#include "rewards/math/extract.hpp"

namespace crucible::rewards::math {
namespace {

struct Row {
  const char* output;
  const char* answer;
  const char* method;
};

const Row kRows[] = {
    // Boxes: the last balanced one wins; nested braces stay inside.
    {"We get \\boxed{42}.", "42", "boxed"},
    {"First \\boxed{1}, then \\boxed{2}.", "2", "boxed"},
    {"\\boxed{\\frac{1}{2}}", "\\frac{1}{2}", "boxed"},
    {"\\boxed{\\{1, 2\\}}", "\\{1, 2\\}", "boxed"},
    {"so \\fbox{7} it is", "7", "boxed"},
    {"$\\boxed 5$", "5", "boxed"},
    {"\\boxed{ x^{2} }", "x^{2}", "boxed"},
    {"\\boxed{3} and later \\boxed{unbalanced", "3", "boxed"},
    {"\\boxed{\\text{(B)}}", "\\text{(B)}", "boxed"},
    // Phrases, when there is no box.
    {"Adding up, the final answer is 12.", "12", "final_answer"},
    {"Final answer: $\\frac{3}{4}$", "\\frac{3}{4}", "final_answer"},
    {"So the answer is 3.5. Done.", "3.5", "the_answer"},
    {"The answer is $x = 4$.\nThanks", "x = 4", "the_answer"},
    {"THE ANSWER IS 9", "9", "the_answer"},
    {"The answer is \\(2\\sqrt{3}\\) indeed", "2\\sqrt{3}", "the_answer"},
    {"Natalia sold 48/2 = 24 clips.\n#### 72", "72", "gsm8k"},
    // Dollars in prose are money, and a final-answer line wins over stray spans.
    {"She pays $12 + $8 = $20 in total.\nA: 20", "20", "answer_line"},
    {"He spends $5 and $7, so $12.\nAnswer: 12", "12", "answer_line"},
    {"Total: $30\n**Answer:** 30", "30", "answer_line"},
    {"So it costs $18.\n**Final Answer:** 18", "18", "final_answer"},
    {"She makes 9 * $2 = $18.\nThe answer is $18.", "18", "the_answer"},
    {"The answer is 18 because 9 * 2 = 18.", "18", "the_answer"},
    {"A: Janet sells 16 - 3 - 4 = 9 eggs. She makes 9 * 2 = 18. The answer is 18.", "18",
     "the_answer"},
    // A few-shot model writing the next exercise after its answer.
    {"5 + 7 = 12\nA: 12\n\nQ: Sam has 3 boxes of 8 pens?\nA: 24", "12", "answer_line"},
    {"She has 7 left.\nThe answer is 7.<|im_end|>\n<|im_start|>user\nNext: 2+2? The answer is 4",
     "7", "the_answer"},
    {"So 3 * 4 = 12.\nAnswer: 12\n\nUser: and 5 * 5?\nAnswer: 25", "12", "answer_line"},
    {"Step 3: answer = 42", "42", "answer_line"},
    {"Soucis : it costs 2,74 $ apiece.", "2.74", "last_number"},
    {"the values 1,2,3 and then 45", "45", "last_number"},
    {"The temperature ends at \xE2\x88\x92"
     "5 degrees.",
     "-5", "last_number"},
    // Calculator annotations are working, never the answer.
    {"Natalia sold 48/2 = <<48/2=24>>24 clips.", "24", "last_number"},
    // A final-answer statement after the last box is the later word.
    {"so $\\boxed{255}$ interest; $10,200 + $255 = $10,455. The final answer is $10,455$.",
     "10,455", "final_answer"},
    {"the answer is 5 but the final answer is 6", "6", "final_answer"},
    // Math spans.
    {"Thus we have $a+b$ and finally $17$", "17", "math_span"},
    {"Hence \\[x^2 - 1\\]", "x^2 - 1", "math_span"},
    {"It costs \\$5 and then $$\\pi r^2$$", "\\pi r^2", "math_span"},
    {"So $y = 2$ and \\(z=3\\)", "z=3", "math_span"},
    // A short output that is itself an answer.
    {"x^2+1", "x^2+1", "whole"},
    {"  -3/4 ", "-3/4", "whole"},
    {"(1, 2)", "(1, 2)", "whole"},
    // The last number.
    {"She pays 7,425,000 dollars in total.", "7,425,000", "last_number"},
    {"There were 3 boxes with 12 eggs, so 36 eggs.", "36", "last_number"},
    {"The temperature fell to -5 degrees.", "-5", "last_number"},
    {"Each gets 2.75 pounds.", "2.75", "last_number"},
    {"It is 3/4 of the cake we ate", "3/4", "last_number"},
    {"Version x-2 then 15 people", "15", "last_number"},
    // Nothing answer-like.
    {"", "", ""},
};

class Extraction : public ::testing::TestWithParam<Row> {};

TEST_P(Extraction, FindsTheAnswer) {
  const Row& r = GetParam();
  Extracted x = extract_answer(r.output, {});
  EXPECT_EQ(x.answer, r.answer) << r.output;
  EXPECT_EQ(x.method, r.method) << r.output;
}

INSTANTIATE_TEST_SUITE_P(Table, Extraction, ::testing::ValuesIn(kRows));

TEST(Extraction, JoinsAllBoxesWhenAsked) {
  Extracted x = extract_answer("\\boxed{1} and \\boxed{2} and \\boxed{3}", {.join_boxes = true});
  EXPECT_EQ(x.answer, "1, 2, 3");
}

TEST(Extraction, ReadsGoldFromBoxOrHashMarkOrWhole) {
  EXPECT_EQ(extract_gold("so it is \\boxed{\\frac{\\pi}{2}}.").answer, "\\frac{\\pi}{2}");
  EXPECT_EQ(extract_gold("48 + 24 = 72\n#### 72").answer, "72");
  EXPECT_EQ(extract_gold("  x = 3 ").answer, "x = 3");
}

struct ChoiceRow {
  const char* text;
  char letter;  // 0: not a choice
};

const ChoiceRow kChoices[] = {
    {"C", 'C'},
    {"(C)", 'C'},
    {"C)", 'C'},
    {"\\text{(D)}", 'D'},
    {"\\textbf{B}", 'B'},
    {"option E", 'E'},
    {"(A) 42", 'A'},
    {"B. 17", 'B'},
    {"J", 'J'},
    {"K", 0},
    {"c", 0},
    {"A triangle", 0},
    {"(C", 0},
    {"CD", 0},
    {"42", 0},
    {"", 0},
};

class Choices : public ::testing::TestWithParam<ChoiceRow> {};

TEST_P(Choices, ReadsTheLetter) {
  auto letter = choice_letter(GetParam().text);
  if (GetParam().letter) {
    ASSERT_TRUE(letter.has_value()) << GetParam().text;
    EXPECT_EQ(*letter, GetParam().letter);
  } else {
    EXPECT_FALSE(letter.has_value()) << GetParam().text << " read as " << *letter;
  }
}

INSTANTIATE_TEST_SUITE_P(Table, Choices, ::testing::ValuesIn(kChoices));

}  // namespace
}  // namespace crucible::rewards::math
