// Reading HumanEval-X's Java tests (CodeGeeX's list of checks) into the Java value harness: each
// check one item, its call on the instance apart from its expected value; any other shape stays
// one program, whatever the answer holds.
#include "sandbox/judge/humaneval_x_java.hpp"

#include <gtest/gtest.h>

#include "sandbox/judge/java_assert_tests.hpp"

namespace crucible::sandbox::judge {
namespace {

const std::string kPrompt =
    "import java.util.*;\nimport java.lang.*;\n\nclass Solution {\n"
    "    public List<Integer> f(int x) {\n";

std::string test_of(const std::string& checks) {
  return "public class Main {\n    public static void main(String[] args) {\n"
         "        Solution s = new Solution();\n        List<Boolean> correct = Arrays.asList(\n" +
         checks +
         "\n        );\n        if (correct.contains(false)) {\n"
         "            throw new AssertionError();\n        }\n    }\n}";
}

TEST(HumanEvalXJava, EachCheckBecomesACallAndItsExpectedValue) {
  const std::string test = test_of(
      "                s.f(1).equals(Arrays.asList(1, 2)),\n"
      "                s.g(\"a,b\") == 3,\n"
      "                Objects.equals(s.h(new HashMap<String, Integer>()), \"x\"),\n"
      "                !s.isEmpty(Arrays.asList(1)),\n"
      "                s.isEmpty(new ArrayList<>()),\n"
      "                Objects.equals(s.longest(List.of(\"x\")).get(), \"x\"),\n"
      "                (int) s.compareOne(1, 2).get() == 2,\n"
      "                Objects.equals((String) s.roundedAvg(1, 5), \"11\")");
  auto calls = java_correct_list_as_calls(kPrompt, test);
  ASSERT_TRUE(calls.has_value());
  EXPECT_EQ(calls->spec.setup, "import java.util.*;\nimport java.lang.*;\n");
  const std::pair<std::string, std::string> kSides[] = {
      {"s.f(1)", "Arrays.asList(1, 2)"},
      {"s.g(\"a,b\")", "3"},
      {"s.h(new HashMap<String, Integer>())", "\"x\""},
      {"s.isEmpty(Arrays.asList(1))", "(false)"},
      {"s.isEmpty(new ArrayList<>())", "(true)"},
      {"s.longest(List.of(\"x\")).get()", "\"x\""},
      {"(int) s.compareOne(1, 2).get()", "2"},
      {"(String) s.roundedAvg(1, 5)", "\"11\""}};
  ASSERT_EQ(calls->spec.items.size(), std::size(kSides));
  for (size_t i = 0; i < std::size(kSides); ++i) {
    auto sides = split_java_assert(calls->spec.items[i]);
    ASSERT_TRUE(sides.has_value()) << calls->spec.items[i];
    EXPECT_EQ(*sides, kSides[i]) << calls->spec.items[i];
  }
}

TEST(HumanEvalXJava, OtherShapesStayOneProgram) {
  for (const char* check :
       {"Math.abs(s.f(1.33) - s.g(1)) < 1e-6",      // a tolerance whose expected side calls
        "Math.abs(s.f(1.33) - 0.33) <= 1e-6",       // a tolerance of another shape
        "s.f(1) == 1 && s.f(2) == 2",               // two checks in one
        "s.f(1).equals(Arrays.asList(1)) == true",  // the comparison inside the answer's process
        "s.f(1).containsAll(Arrays.asList(1))",     // a call that takes the expected value
        "s.f(1) == s.f(2)",                         // the expected side calls the answer
        "f(1) == 1",                                // not a call on the instance
        "(int) (s.f(1) + 1) == 2",                  // arithmetic under the cast
        "(f(s.g(1))) s.g(1) == 2"})                 // not a cast
    EXPECT_FALSE(java_correct_list_as_calls(kPrompt, test_of(check)).has_value()) << check;
  std::string extra = test_of("s.f(1) == 1");
  extra.insert(extra.find("        List<Boolean>"), "        int x = 0;\n");
  EXPECT_FALSE(java_correct_list_as_calls(kPrompt, extra).has_value());
}

}  // namespace
}  // namespace crucible::sandbox::judge
