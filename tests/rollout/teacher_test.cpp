// The imperfect teacher of the warm start: only binary minus signs slip, and only prints of an
// expression are quoted, each at the given rate.
#include "rollout/train/teacher.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace crucible::rollout {
namespace {

TEST(SlipSigns, RateZeroAndOneAreExact) {
  Rng rng(1);
  EXPECT_EQ(slip_signs("print(58 + 98 - 40 - 3)", 0, rng), "print(58 + 98 - 40 - 3)");
  EXPECT_EQ(slip_signs("print(58 + 98 - 40 - 3)", 1, rng), "print(58 + 98 + 40 + 3)");
}

TEST(SlipSigns, LeavesUnaryMinusAndOtherTextAlone) {
  Rng rng(1);
  EXPECT_EQ(slip_signs("x = -3\nprint(a-b)\n# - note", 1, rng), "x = -3\nprint(a-b)\n# + note");
  EXPECT_EQ(slip_signs("", 1, rng), "");
  EXPECT_EQ(slip_signs(" - ", 1, rng), " + ");
}

TEST(SlipSigns, SlipsAboutTheRate) {
  Rng rng(7);
  size_t slipped = 0, total = 4000;
  for (size_t i = 0; i < total; ++i) slipped += slip_signs("1 - 2", 0.6, rng) == "1 + 2";
  EXPECT_NEAR(static_cast<double>(slipped) / total, 0.6, 0.03);
}

TEST(QuotePrints, QuotesEveryExpressionPrintOfASlippedDemonstration) {
  Rng rng(1);
  EXPECT_EQ(quote_prints("print(58 + 98 - 40)", 1, rng), "print(\"58 + 98 - 40\")");
  EXPECT_EQ(quote_prints("x = 3\n  print(x * 2)\nprint(x)", 1, rng),
            "x = 3\n  print(\"x * 2\")\nprint(\"x\")");
  EXPECT_EQ(quote_prints("print(58 + 98 - 40)", 0, rng), "print(58 + 98 - 40)");
}

TEST(QuotePrints, LeavesStringsCallsWithoutArgumentsAndOtherLinesAlone) {
  Rng rng(1);
  for (const char* text : {"print('hi')", "print(\"a\", 1)", "print()", "y = print(1) + 2",
                           "# print(3) later", "", "\n\n"})
    EXPECT_EQ(quote_prints(text, 1, rng), text);
}

TEST(WithRecheck, RepeatsTheWholeComputationAfterTheAnswer) {
  std::string rationale = "units: 3 + 5 = 8, write 8\ntens: 2 + 4 = 6, write 6\nSo 23 + 45 = 68.";
  EXPECT_EQ(with_recheck(rationale), rationale + "\nCheck:\n" + rationale);
  EXPECT_EQ(with_recheck(""), "") << "no rationale, nothing to check";
}

TEST(QuotePrints, SlipsWholeDemonstrationsAboutTheRate) {
  Rng rng(3);
  size_t slipped = 0, total = 4000;
  for (size_t i = 0; i < total; ++i)
    slipped +=
        quote_prints("print(1 + 2)\nprint(3)", 0.75, rng) == "print(\"1 + 2\")\nprint(\"3\")";
  EXPECT_NEAR(static_cast<double>(slipped) / total, 0.75, 0.03);
}

}  // namespace
}  // namespace crucible::rollout
