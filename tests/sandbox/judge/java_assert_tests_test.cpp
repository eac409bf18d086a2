// Reading MultiPL-E's Java tests into the Java value harness: its translator's shape becomes one
// item per assert, each split into the call and the expected value; any other shape stays one
// program (nullopt), whatever the answer holds. The candidate's program never holds an expected
// value.
#include "sandbox/judge/java_assert_tests.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "sandbox/judge/harness_java.hpp"

namespace crucible::sandbox::judge {
namespace {

const std::string kJavaPrompt =
    "import java.util.*;\nimport org.javatuples.*;\nclass Problem {\n"
    "    // Sort the words; \"a)\" first.\n"
    "    public static ArrayList<String> sortWords(ArrayList<String> words) {\n";

const std::string kJavaTest =
    "    }\n    public static void main(String[] args) {\n"
    "    assert(sortWords((new ArrayList<String>(Arrays.asList((String)\"b;)\", "
    "(String)\"a\")))).equals((new ArrayList<String>(Arrays.asList((String)\"a\", "
    "(String)\"b;)\")))));\n"
    "    // a comment; with a semicolon ) and == \n"
    "    assert(countWords((new ArrayList<String>())) == (918273645l));\n"
    "    }\n\n}\n";

TEST(JavaAssertTests, TheTranslatorsShapeBecomesOneItemPerAssert) {
  auto calls = java_asserts_as_calls(kJavaPrompt, kJavaTest);
  ASSERT_TRUE(calls.has_value());
  EXPECT_EQ(calls->answer_end, "    }\n    ");
  EXPECT_EQ(calls->spec.setup, "import java.util.*;\nimport org.javatuples.*;\n");
  ASSERT_EQ(calls->spec.items.size(), 2u);
  auto first = split_java_assert(calls->spec.items[0]);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->first,
            "sortWords((new ArrayList<String>(Arrays.asList((String)\"b;)\", (String)\"a\"))))");
  EXPECT_EQ(first->second,
            "(new ArrayList<String>(Arrays.asList((String)\"a\", (String)\"b;)\")))");
  auto second = split_java_assert(calls->spec.items[1]);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->first, "countWords((new ArrayList<String>()))");
  EXPECT_EQ(second->second, "(918273645l)");
  // A cast is part of the expected value; a string holding == is not an operator.
  auto cast = split_java_assert("assert(median((new ArrayList<Long>())) == (float)3l);");
  ASSERT_TRUE(cast.has_value());
  EXPECT_EQ(cast->second, "(float)3l");
  auto quoted = split_java_assert("assert(f(\"a == b\").equals(\"x\"))");
  ASSERT_TRUE(quoted.has_value());
  EXPECT_EQ(quoted->first, "f(\"a == b\")");
  EXPECT_EQ(quoted->second, "\"x\"");
}

TEST(JavaAssertTests, OtherShapesStayOneProgram) {
  const char* const kStatements[] = {
      "assert(f(1) == 1 && f(2) == 2);",        // two comparisons
      "assert(f(1) != (2));",                   // another operator
      "assert(f(1) == (2) ? true : false);",    // a looser operator at the top
      "assert(f(1) <= (2));",                   // another comparison
      "assert(f(1));",                          // no comparison
      "assert(f(1) == (2)); f(3);",             // text after the assert
      "assert(a + f(1).equals(\"x\"));",        // equals binds to part of the expression
      "check(f(1) == (2));",                    // not an assert
      "assert(f(\"\"\"\ntext\"\"\") == (1));",  // a text block: not followed
  };
  for (const char* s : kStatements) EXPECT_FALSE(split_java_assert(s).has_value()) << s;
  const std::string main = "    }\n    public static void main(String[] args) {\n";
  const std::string tail = "    }\n\n}\n";
  EXPECT_FALSE(java_asserts_as_calls(kJavaPrompt, main + "    int x = 1;\n" + tail).has_value());
  EXPECT_FALSE(java_asserts_as_calls(kJavaPrompt, main + "    assert(f(1) == (1));\n    }\n}\n"
                                                         "class Other {}\n")
                   .has_value());
  EXPECT_FALSE(java_asserts_as_calls(kJavaPrompt, main + tail).has_value()) << "no asserts";
  EXPECT_FALSE(
      java_asserts_as_calls(kJavaPrompt, "    }\n    static void main(String[] args) {\n" + tail)
          .has_value());
}

TEST(JavaAssertTests, TheCandidatesProgramHoldsNoExpectedValue) {
  auto calls = java_asserts_as_calls(kJavaPrompt, kJavaTest);
  ASSERT_TRUE(calls.has_value());
  const ValuePrograms h =
      build_java_harness(kJavaPrompt + "return null;\n" + calls->answer_end, calls->spec);
  EXPECT_EQ(h.candidate_source.find("918273645"), std::string::npos);
  EXPECT_EQ(h.candidate_source.find("(String)\"b;)\")))"), std::string::npos);
  EXPECT_NE(h.candidate_source.find("countWords((new ArrayList<String>()))"), std::string::npos);
  EXPECT_NE(h.expected_source.find("(918273645l)"), std::string::npos);
  EXPECT_EQ(h.expected_source.find("countWords"), std::string::npos);
  EXPECT_EQ(h.expected_source.find("sortWords"), std::string::npos);
  EXPECT_EQ(h.expected_source.rfind("import java.util.*;\nimport org.javatuples.*;\n", 0), 0u);

  HarnessSpec bad{"", "", {"assert(f(1) == (1));", "f(2);"}};
  try {
    build_java_harness(kJavaPrompt, bad);
    FAIL() << "a statement that is not an assert was built";
  } catch (const InvalidRequest& e) {
    EXPECT_NE(std::string(e.what()).find("harness.tests[1]"), std::string::npos) << e.what();
  }
}

TEST(JavaAssertTests, ValueLinesAreReadByItemAndTheLastOneCounts) {
  const auto lines = read_value_lines(
      "0 =[1,2]\nnoise\n7 =true\n1 !java.lang.ArithmeticException: / by zero\n0 =[3]\n"
      "2 x\n 2 =1\n99999999999 =1\n",
      3);
  ASSERT_EQ(lines.size(), 3u);
  ASSERT_TRUE(lines[0].has_value());
  EXPECT_EQ(lines[0]->text, "[3]");
  EXPECT_FALSE(lines[0]->error);
  ASSERT_TRUE(lines[1].has_value());
  EXPECT_TRUE(lines[1]->error);
  EXPECT_EQ(lines[1]->text, "java.lang.ArithmeticException: / by zero");
  EXPECT_FALSE(lines[2].has_value());
}

}  // namespace
}  // namespace crucible::sandbox::judge
