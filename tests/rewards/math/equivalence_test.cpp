// Equivalence through the whole verifier: each row is a reference, a model's answer
// (bare or inside free-form output) and whether they must be judged equal. Every kind of
// answer has rows both ways: a verifier that says "wrong" to a right answer teaches the
// policy nonsense, one that says "right" to a wrong answer gets hacked.
#include <gtest/gtest.h>

#include "rewards/math/verifier.hpp"

namespace crucible::rewards::math {
namespace {

struct EquivalenceRow {
  const char* gold;
  const char* pred;
  bool correct;
};

const EquivalenceRow kEquivalenceRows[] = {
    // Integers and signs.
    {"42", "42", true},
    {"42", "43", false},
    {"-3", "-3", true},
    {"-3", "3", false},
    {"0", "-0", true},
    {"1000", "1,000", true},
    {"1000000", "1 000 000", true},
    {"7425000", "7,425,000", true},
    {"7425000", "7,425,001", false},
    {"12", "+12", true},
    // Rationals: exact, however written.
    {"\\frac{1}{2}", "0.5", true},
    {"\\frac{1}{2}", "1/2", true},
    {"\\frac{1}{2}", "\\dfrac12", true},
    {"\\frac{1}{2}", "2/4", true},
    {"\\frac{1}{2}", "\\frac{1}{3}", false},
    {"\\frac{3}{4}", "0.75", true},
    {"\\frac{3}{4}", "0.7", false},
    {"-\\frac{2}{3}", "\\frac{-2}{3}", true},
    {"-\\frac{2}{3}", "\\frac{2}{-3}", true},
    {"-\\frac{2}{3}", "\\frac{2}{3}", false},
    {"\\frac{5}{2}", "2\\frac{1}{2}", true},
    {"\\frac{5}{2}", "2.5", true},
    {"\\frac{7}{3}", "2\\frac{1}{3}", true},
    {"\\frac{1}{4}", "2^{-2}", true},
    {"\\frac{1}{4}", "2^{-3}", false},
    {"1.5", "\\frac{3}{2}", true},
    {"0.1", "\\frac{1}{10}", true},
    {"3.0", "3", true},
    // Decimals: six significant digits by default.
    {"\\frac{1}{3}", "0.333333", true},
    {"\\frac{1}{3}", "0.3333333", true},
    {"\\frac{1}{3}", "0.33333", false},
    {"\\frac{1}{3}", "0.33", false},
    {"\\frac{2}{3}", "0.666667", true},
    {"\\frac{2}{3}", "0.666666", false},
    {"3.14159", "\\pi", true},
    {"3.14", "\\pi", false},
    {"1.41421", "\\sqrt{2}", true},
    {"1.4142", "\\sqrt{2}", false},
    {"2.718282", "e", true},
    {"0.0000123", "1.23e-5", true},
    {"1.23\\times10^{-5}", "0.0000123", true},
    {"1.2 \\times 10^{3}", "1200", true},
    {"1.2e3", "1200", true},
    {"1.2e3", "120", false},
    // Scientific notation and large exact values.
    {"6.02\\times10^{23}", "602000000000000000000000", true},
    {"2^{100}", "1267650600228229401496703205376", true},
    {"2^{100}", "1267650600228229401496703205377", false},
    {"100!", "100!", true},
    {"10!", "3628800", true},
    {"\\binom{5}{2}", "10", true},
    {"\\binom{5}{2}", "20", false},
    // Radicals, pi, e and i.
    {"\\sqrt{2}", "\\sqrt2", true},
    {"\\sqrt{2}", "2^{1/2}", true},
    {"\\sqrt{2}", "\\frac{2}{\\sqrt{2}}", true},
    {"\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt{2}}", true},
    {"\\sqrt{2}", "\\sqrt{3}", false},
    {"2\\sqrt{3}", "\\sqrt{12}", true},
    {"2\\sqrt{3}", "\\sqrt{6}", false},
    {"\\sqrt[3]{8}", "2", true},
    {"\\sqrt[3]{-8}", "-2", true},
    {"\\sqrt{16}", "4", true},
    {"\\sqrt{16}", "-4", false},
    {"3\\sqrt{2}+1", "1+3\\sqrt{2}", true},
    {"3\\sqrt{2}+1", "1+2\\sqrt{3}", false},
    {"\\pi", "\\pi", true},
    {"2\\pi", "\\pi \\cdot 2", true},
    {"\\frac{\\pi}{2}", "\\frac{1}{2}\\pi", true},
    {"\\frac{\\pi}{2}", "\\frac{\\pi}{3}", false},
    {"\\pi^2", "\\pi\\pi", true},
    {"e^2", "e \\cdot e", true},
    {"e^{i\\pi}", "-1", true},
    {"i^2", "-1", true},
    {"2+3i", "3i+2", true},
    {"2+3i", "2-3i", false},
    {"\\frac{1+\\sqrt{5}}{2}", "\\frac{\\sqrt{5}+1}{2}", true},
    {"\\frac{1+\\sqrt{5}}{2}", "\\frac{1-\\sqrt{5}}{2}", false},
    {"\\sin(\\pi/6)", "\\frac{1}{2}", true},
    {"\\cos 0", "1", true},
    {"\\log_2 8", "3", true},
    {"\\log_2 8", "4", false},
    {"\\ln(e^3)", "3", true},
    {"|-5|", "5", true},
    {"\\lfloor 3.7 \\rfloor", "3", true},
    {"\\lceil 3.2 \\rceil", "4", true},
    // Expressions in variables: same variables, equal at random points.
    {"x^2+2x+1", "(x+1)^2", true},
    {"x^2+2x+1", "(x-1)^2", false},
    {"x^2-1", "(x-1)(x+1)", true},
    {"\\frac{x}{2}", "0.5x", true},
    {"2x", "x+x", true},
    {"2x", "2y", false},
    {"2x", "2", false},
    {"\\frac{1}{x}+\\frac{1}{y}", "\\frac{x+y}{xy}", true},
    {"a^2-b^2", "(a-b)(a+b)", true},
    {"a^2-b^2", "(a-b)^2", false},
    {"\\sqrt{x^2}", "x", true},
    {"\\sin^2 x + \\cos^2 x", "1", false},
    {"\\sin^2 x + \\cos^2 x", "\\cos^2 x + \\sin^2 x", true},
    {"e^{x}e^{y}", "e^{x+y}", true},
    {"\\frac{n(n+1)}{2}", "\\frac{n^2+n}{2}", true},
    {"\\frac{n(n+1)}{2}", "\\frac{n^2-n}{2}", false},
    {"3x^2", "3x^{2}", true},
    {"x_1+x_2", "x_2+x_1", true},
    {"x_1+x_2", "x_1+x_3", false},
    // Equations and assignments.
    {"x = 3", "3", true},
    {"3", "x = 3", true},
    {"3", "x = 4", false},
    {"x = 3", "x = 3", true},
    {"x = 3", "y = 3", false},
    {"x = 3", "3 = x", true},
    {"y = 2x+1", "y = 1+2x", true},
    {"y = 2x+1", "2x - y + 1 = 0", true},
    {"y = 2x+1", "y = 2x-1", false},
    {"x^2+y^2=1", "y^2+x^2=1", true},
    {"x^2+y^2=1", "2x^2+2y^2=2", true},
    {"x^2+y^2=1", "x^2+y^2=2", false},
    {"k = \\frac{1}{2}", "0.5", true},
    {"15", "3 \\cdot 5 = 15", true},
    {"15", "3 \\cdot 5 = 16", false},
    {"15", "x = 3 \\cdot 5 = 15", true},
    {"15", "x = 3 \\cdot 5 = 14", false},
    {"3 \\cdot 5 = 15", "15", true},
    // Inequalities: flipped sides match.
    {"x > 3", "3 < x", true},
    {"x > 3", "x > 3", true},
    {"x > 3", "x \\geq 3", false},
    {"x > 3", "x < 3", false},
    {"x \\le 5", "5 \\ge x", true},
    {"x \\le 5", "x \\leq 5", true},
    {"1 < x < 3", "3 > x > 1", true},
    {"1 < x < 3", "1 \\le x < 3", false},
    {"2x > 6", "x > 3", true},
    {"x \\neq 0", "x \\ne 0", true},
    // Intervals and unions.
    {"(1, 3)", "(1, 3)", true},
    {"[1, 3)", "[1, 3)", true},
    {"[1, 3)", "[1, 3]", false},
    {"[1, 3)", "(1, 3)", false},
    {"[1, 3]", "[1, 3]", true},
    {"(-\\infty, 2]", "(-\\infty, 2]", true},
    {"(-\\infty, 2]", "(-\\infty, 2)", false},
    {"(-\\infty, 2]", "(2, \\infty)", false},
    {"[0.5, 1]", "[\\frac{1}{2}, 1]", true},
    {"(-\\infty, 0) \\cup (1, \\infty)", "(1, \\infty) \\cup (-\\infty, 0)", true},
    {"(-\\infty, 0) \\cup (1, \\infty)", "(-\\infty, 0] \\cup (1, \\infty)", false},
    {"(-\\infty, 0) \\cup (1, \\infty)", "(-\\infty, 0)", false},
    {"\\mathbb{R}", "(-\\infty, \\infty)", true},
    {"\\mathbb{R}", "(0, \\infty)", false},
    {"x \\in [2, 5]", "[2, 5]", true},
    // Gold inequality against a predicted interval (see the asymmetry test below).
    {"x > 3", "(3, \\infty)", true},
    {"x \\ge 3", "[3, \\infty)", true},
    {"x \\ge 3", "(3, \\infty)", false},
    {"1 \\le x < 4", "[1, 4)", true},
    {"1 \\le x < 4", "[1, 4]", false},
    {"x < -1", "(-\\infty, -1)", true},
    {"x \\ne 2", "(-\\infty, 2) \\cup (2, \\infty)", true},
    // Sets (unordered), tuples (ordered), bare lists (unordered).
    {"\\{1, 2, 3\\}", "\\{3, 1, 2\\}", true},
    {"\\{1, 2, 3\\}", "\\{1, 2\\}", false},
    {"\\{1, 2, 3\\}", "\\{1, 2, 4\\}", false},
    {"\\{1, 2\\}", "\\{2, 1, 1\\}", true},
    {"\\emptyset", "\\{\\}", true},
    {"\\emptyset", "\\{0\\}", false},
    {"1, 2, 3", "3, 2, 1", true},
    {"1, 2, 3", "\\{1, 2, 3\\}", true},
    {"2, -2", "\\pm 2", true},
    {"1 \\pm \\sqrt{2}", "1+\\sqrt{2}, 1-\\sqrt{2}", true},
    {"1 \\pm \\sqrt{2}", "1+\\sqrt{2}", false},
    {"(1, 2)", "(1, 2)", true},
    {"(1, 2)", "(2, 1)", false},
    {"(1, 2, 3)", "(1, 2, 3)", true},
    {"(1, 2, 3)", "(3, 2, 1)", false},
    {"(1, 2)", "1, 2", true},
    {"(1, 2)", "(1, 2, 3)", false},
    {"(\\frac{1}{2}, \\sqrt{2})", "(0.5, 2^{1/2})", true},
    {"x = 1, y = 2", "x = 1, y = 2", true},
    {"x = 2, x = -2", "x = -2 \\text{ or } x = 2", true},
    {"5", "\\{5\\}", true},
    {"5", "5, 6", false},
    // Matrices.
    {"\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}", true},
    {"\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{pmatrix}1&3\\\\2&4\\end{pmatrix}", false},
    {"\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{pmatrix}1&2\\end{pmatrix}", false},
    {"\\begin{pmatrix}\\frac12&0\\\\0&1\\end{pmatrix}",
     "\\begin{pmatrix}0.5&0\\\\0&1\\end{pmatrix}", true},
    {"\\begin{pmatrix}1\\\\2\\end{pmatrix}", "(1, 2)", true},
    {"\\begin{array}{cc}1&0\\\\0&1\\end{array}", "\\begin{pmatrix}1&0\\\\0&1\\end{pmatrix}", true},
    // Percent: value/100 or value (option "either" by default).
    {"50\\%", "0.5", true},
    {"50\\%", "50", true},
    {"50\\%", "50\\%", true},
    {"50", "50\\%", true},
    {"0.5", "50\\%", true},
    {"50\\%", "0.05", false},
    {"12.5\\%", "\\frac{1}{8}", true},
    // Units, currency and degrees.
    {"5", "5 apples", true},
    {"12", "12 \\text{ cm}", true},
    {"12", "13 \\text{ cm}", false},
    {"30", "30^\\circ", true},
    {"30", "30\xC2\xB0", true},
    {"18.50", "\\$18.50", true},
    {"18.5", "$18.50", true},
    {"1250", "\\$1,250", true},
    {"90", "90 degrees", true},
    // Typesetting that carries no value.
    {"\\frac{1}{2}", "\\left(\\frac{1}{2}\\right)", true},
    {"\\frac{1}{2}", "\\displaystyle \\frac{1}{2}", true},
    {"3", "\\mathrm{3}", true},
    {"10", "\\text{10}", true},
    {"\\infty", "\\infty", true},
    {"\\infty", "-\\infty", false},
    // Multiple choice.
    {"C", "C", true},
    {"C", "(C)", true},
    {"C", "The answer is (C).", true},
    {"C", "\\boxed{C}", true},
    {"C", "\\boxed{\\text{(C)}}", true},
    {"(B)", "B", true},
    {"C", "D", false},
    {"C", "The answer is (D).", false},
    // Plain text answers, normalised.
    {"Monday", "monday", true},
    {"Monday", "\\text{Monday}", true},
    {"Monday", "Tuesday", false},
    {"blue whale", "Blue  Whale", true},
    {"yes", "no", false},
    // Whole outputs: extraction then comparison.
    {"72", "Natalia sold 48 + 24 = 72 clips.\n#### 72", true},
    {"72", "She sold 48/2 = 24 in May, so 48 + 24 = 72. The answer is 72.", true},
    {"72", "She sold 48/2 = 24 in May, so the answer is 96.", false},
    {"\\frac{1}{4}", "Thus the probability is $\\boxed{\\frac14}$.", true},
    {"\\frac{1}{4}", "Thus the probability is $\\boxed{\\frac13}$.", false},
    {"\\boxed{6}", "the final answer is 6", true},
    {"-2", "The roots multiply to $-2$", true},
    {"(3, 4)", "The point is $\\boxed{(3,4)}$.", true},
};

class Equivalence : public ::testing::TestWithParam<EquivalenceRow> {};

TEST_P(Equivalence, JudgesTheAnswer) {
  const EquivalenceRow& r = GetParam();
  Verification v = verify(r.gold, r.pred, VerifyOptions{});
  EXPECT_EQ(v.correct, r.correct) << "gold: " << r.gold << "\npred: " << r.pred
                                  << "\nstatus: " << status_name(v.status)
                                  << " reason: " << v.reason << "\ngold_parsed: " << v.gold_parsed
                                  << "\npred_parsed: " << v.pred_parsed
                                  << "\nmessage: " << v.message;
}

INSTANTIATE_TEST_SUITE_P(Table, Equivalence, ::testing::ValuesIn(kEquivalenceRows));

// Options change readings on purpose; each row is one option set against the default.
TEST(EquivalenceOptions, PercentReadings) {
  VerifyOptions fraction;
  fraction.percent = PercentReading::Fraction;
  EXPECT_TRUE(verify("50\\%", "0.5", fraction).correct);
  EXPECT_FALSE(verify("50\\%", "50", fraction).correct);
  VerifyOptions value;
  value.percent = PercentReading::Value;
  EXPECT_TRUE(verify("50\\%", "50", value).correct);
  EXPECT_FALSE(verify("50\\%", "0.5", value).correct);
}

TEST(EquivalenceOptions, SignificantDigits) {
  VerifyOptions three;
  three.significant_digits = 3;
  EXPECT_TRUE(verify("\\frac{1}{3}", "0.333", three).correct);
  EXPECT_FALSE(verify("\\frac{1}{3}", "0.333", VerifyOptions{}).correct);
  EXPECT_TRUE(verify("3.14", "\\pi", three).correct);
}

// The documented asymmetry: a gold inequality names its variable, so a predicted
// interval is compared against its solution set; a predicted inequality against a gold
// interval is refused unless asked for, since its variable cannot be checked.
TEST(EquivalenceOptions, InequalityAgainstIntervalIsAsymmetric) {
  EXPECT_TRUE(verify("x > 3", "(3, \\infty)", VerifyOptions{}).correct);
  Verification v = verify("(3, \\infty)", "x > 3", VerifyOptions{});
  EXPECT_FALSE(v.correct);
  EXPECT_EQ(v.reason, "inequality_for_interval");
  VerifyOptions lenient;
  lenient.inequality_for_interval = true;
  EXPECT_TRUE(verify("(3, \\infty)", "x > 3", lenient).correct);
  EXPECT_TRUE(verify("(3, \\infty)", "y > 3", lenient).correct);  // why it is off by default
}

TEST(EquivalenceOptions, JoinBoxes) {
  VerifyOptions join;
  join.join_boxes = true;
  EXPECT_TRUE(verify("2, 3", "\\boxed{2} and \\boxed{3}", join).correct);
  EXPECT_FALSE(verify("3", "\\boxed{2} and \\boxed{3}", join).correct);
  // Without the option, the boxes form one collection only against a reference of several
  // items; against one value the last box is the answer.
  EXPECT_TRUE(verify("2, 3", "\\boxed{2} and \\boxed{3}", VerifyOptions{}).correct);
  EXPECT_TRUE(verify("\\{2, 3\\}", "\\boxed{3}, \\boxed{2}", VerifyOptions{}).correct);
  EXPECT_FALSE(verify("2, 3", "\\boxed{2} and \\boxed{4}", VerifyOptions{}).correct);
  EXPECT_TRUE(verify("3", "\\boxed{2} and \\boxed{3}", VerifyOptions{}).correct);
  EXPECT_FALSE(verify("2", "\\boxed{2} and \\boxed{3}", VerifyOptions{}).correct);
}

TEST(EquivalenceReasons, SayHowTheDecisionWasMade) {
  EXPECT_EQ(verify("1/2", "0.5", {}).reason, "exact");
  EXPECT_EQ(verify("1/3", "0.333333", {}).reason, "rounded");
  EXPECT_EQ(verify("\\sqrt{2}", "2^{1/2}", {}).reason, "numeric");
  EXPECT_EQ(verify("2x", "2y", {}).reason, "variables_differ");
  EXPECT_EQ(verify("42", "43", {}).reason, "not_equal");
  EXPECT_EQ(verify("(1, 2)", "(1, 2, 3)", {}).reason, "shape_mismatch");
  EXPECT_EQ(verify("Monday", "monday", {}).reason, "text");
  EXPECT_EQ(verify("C", "(C)", {}).reason, "choice");
}

}  // namespace
}  // namespace crucible::rewards::math
