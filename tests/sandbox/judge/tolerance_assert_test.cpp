// Float checks within a tolerance (HumanEval's `abs(f(x) - y) < 1e-6` in Go and Java) read into a
// call, an expected value and the tolerance, so the expected value stays out of the answer's
// program; what is not exactly that shape is refused and keeps the equality or one-program run.
#include "sandbox/judge/tolerance_assert.hpp"

#include <gtest/gtest.h>

#include "sandbox/judge/harness_go.hpp"
#include "sandbox/judge/harness_java.hpp"
#include "sandbox/judge/humaneval_x_java.hpp"

namespace crucible::sandbox::judge {
namespace {

TEST(ToleranceAssert, ReadsTheCallTheExpectedValueAndTheTolerance) {
  auto go =
      abs_difference_below("math.Abs(TruncateNumber(1.33)-0.33) < 1e-6", {"math", ".", "Abs"});
  ASSERT_TRUE(go.has_value());
  EXPECT_EQ(go->first, "TruncateNumber(1.33)");
  EXPECT_EQ(go->second, "0.33");
  EXPECT_DOUBLE_EQ(go->tolerance, 1e-6);
  // Exponents and signs inside the operands are not the difference's minus.
  auto java =
      abs_difference_below("Math.abs(s.f(1e-3, -2) - -2.0E-5/3.0) < 0.0001d", {"Math", ".", "abs"});
  ASSERT_TRUE(java.has_value());
  EXPECT_EQ(java->first, "s.f(1e-3, -2)");
  EXPECT_EQ(java->second, "-2.0E-5/3.0");
  EXPECT_DOUBLE_EQ(java->tolerance, 1e-4);
  auto nested = abs_difference_below("Math.abs(s.f(Arrays.asList(1.0, 2.0)) - (1.0 - 0.5)) < 1e-6",
                                     {"Math", ".", "abs"});
  ASSERT_TRUE(nested.has_value());
  EXPECT_EQ(nested->second, "(1.0 - 0.5)");
}

TEST(ToleranceAssert, OtherShapesAreRefused) {
  for (const char* s : {
           "math.Abs(F(1)-0.5) <= 1e-6",             // not strictly below
           "math.Abs(F(1)-0.5-0.1) < 1e-6",          // a third term: the split would change the sum
           "math.Abs(F(1)+0.5) < 1e-6",              // a sum
           "math.Abs(F(1)) < 1e-6",                  // no difference
           "math.Abs(F(1)-0.5) < eps",               // not a number
           "math.Abs(F(1)-0.5) < 0",                 // not above 0
           "math.Abs(F(1)-0.5) < -1e-6",             // not above 0
           "math.Abs(F(1)-0.5) < 1e-6 && F(2) > 0",  // more after the tolerance
           "math.Abs(F(1)-0.5) < 1e999",             // not finite
           "F(1)-0.5 < 1e-6",                        // no absolute value
           "math.Sqrt(F(1)-0.5) < 1e-6",             // another function
           "math.Abs(F(1)-0.5) < 1 << 3",            // a shift
           "math.Abs(-0.5) < 1e-6",                  // a sign, no difference
       })
    EXPECT_FALSE(abs_difference_below(s, {"math", ".", "Abs"}).has_value()) << s;
}

TEST(ToleranceAssert, NumbersCompareWithinTheTolerance) {
  EXPECT_TRUE(within_tolerance("0.33000000000000007", "0.33", 1e-6));
  EXPECT_TRUE(within_tolerance("\"0.3300001\"", "\"0.33\"", 1e-6)) << "Go's quoted text";
  EXPECT_FALSE(within_tolerance("0.33001", "0.33", 1e-6));
  EXPECT_FALSE(within_tolerance("0.3300011", "0.33", 1e-6));
  EXPECT_FALSE(within_tolerance("1.5", "1", 0.5)) << "strictly below, as the test";
  EXPECT_FALSE(within_tolerance("NaN", "0.33", 1e-6));
  EXPECT_FALSE(within_tolerance("Infinity", "Infinity", 1e-6));
  EXPECT_FALSE(within_tolerance("\"0.33\" ", "0.33", 1e-6));
  EXPECT_FALSE(within_tolerance("[0.33]", "0.33", 1e-6));
  EXPECT_FALSE(within_tolerance("", "0.33", 1e-6));
  EXPECT_TRUE(is_constant_arithmetic("2.0/3.0"));
  EXPECT_TRUE(is_constant_arithmetic("-(1 + 2) * 1e-3"));
  EXPECT_FALSE(is_constant_arithmetic("float64(2)/3"));
  EXPECT_FALSE(is_constant_arithmetic("x"));
  EXPECT_FALSE(is_constant_arithmetic("()"));
}

// In the Go and Java harnesses the call's value is printed by the answer's program as a float,
// the expected one by the task's; the answer's program never holds the expected value. An
// expected side that is not arithmetic on literals keeps testify's whole comparison.
TEST(ToleranceAssert, TheHarnessesPrintEachSideInItsOwnProgram) {
  HarnessSpec go;
  go.entry_point = "Mad";
  go.items = {"assert.Equal(true, math.Abs(Mad([]float64{1.0, 2.0, 3.0})-2.0/3.0) < 1e-6)",
              "assert.Equal(0.5, Mad([]float64{1.0, 2.0}))",
              "assert.Equal(true, math.Abs(Mad([]float64{1.0})-Half()) < 1e-6)"};
  const ValuePrograms g = build_value_harness("go_test", "answer\n", go);
  EXPECT_EQ(g.tolerances, (std::vector<double>{1e-6, 0, 0}));
  EXPECT_NE(g.candidate_source.find("return float64(Mad([]float64{1.0, 2.0, 3.0})) })"),
            std::string::npos)
      << g.candidate_source;
  EXPECT_EQ(g.candidate_source.find("2.0/3.0"), std::string::npos);
  EXPECT_NE(g.expected_source.find("return float64(2.0/3.0) })"), std::string::npos);

  HarnessSpec java;
  java.items = {"assert(Math.abs(s.truncateNumber(1.33) - (0.33)) < 1e-06);",
                "assert(s.truncateNumber(3.5) == (0.5));"};
  const ValuePrograms j = build_value_harness("java", "class Solution {}\n", java);
  EXPECT_EQ(j.tolerances, (std::vector<double>{1e-6, 0}));
  EXPECT_NE(j.candidate_source.find("crucibleValue((double) (s.truncateNumber(1.33)), 0)"),
            std::string::npos)
      << j.candidate_source;
  EXPECT_EQ(j.candidate_source.find("0.33"), std::string::npos);
  EXPECT_NE(j.expected_source.find("crucibleValue((double) ((0.33)), 0)"), std::string::npos);
}

// HumanEval-X's Java float checks (TruncateNumber's, MeanAbsoluteDeviation's) take the harness.
TEST(ToleranceAssert, HumanEvalXJavasFloatChecksTakeTheHarness) {
  const std::string test =
      "public class Main {\n    public static void main(String[] args) {\n"
      "        Solution s = new Solution();\n        List<Boolean> correct = Arrays.asList(\n"
      "            s.truncateNumber(3.5) == 0.5,\n"
      "            Math.abs(s.truncateNumber(1.33) - 0.33) < 1e-6\n        );\n"
      "        if (correct.contains(false)) {\n            throw new AssertionError();\n"
      "        }\n    }\n}";
  auto calls = java_correct_list_as_calls("import java.util.*;\n", test);
  ASSERT_TRUE(calls.has_value());
  ASSERT_EQ(calls->spec.items.size(), 2u);
  EXPECT_EQ(calls->spec.items[1], "assert(Math.abs(s.truncateNumber(1.33) - (0.33)) < 1e-06);");
  auto within = split_java_tolerance(calls->spec.items[1]);
  ASSERT_TRUE(within.has_value());
  EXPECT_EQ(within->first, "s.truncateNumber(1.33)");
  // The expected side must not call the instance; the call side must.
  std::string swapped = test;
  swapped.replace(swapped.find("Math.abs(s.truncateNumber(1.33) - 0.33)"),
                  std::string("Math.abs(s.truncateNumber(1.33) - 0.33)").size(),
                  "Math.abs(0.33 - s.truncateNumber(1.33))");
  EXPECT_FALSE(java_correct_list_as_calls("", swapped).has_value());
}

}  // namespace
}  // namespace crucible::sandbox::judge
