// Reading MultiPL-E's C++ tests into the two-program harness: its translator's shape becomes
// one item per assert; any other shape, or values that cannot cross as plain data, stays one
// program (nullopt), whatever the answer holds.
#include "sandbox/judge/cpp_assert_tests.hpp"

#include <gtest/gtest.h>

namespace crucible::sandbox::judge {
namespace {

const std::string kPrompt =
    "#include<assert.h>\n#include<bits/stdc++.h>\n// Sort the words; \"a)\" first.\n"
    "std::vector<std::string> sort_words(std::vector<std::string> words) {\n";

TEST(CppAssertTests, TheTranslatorsShapeBecomesOneItemPerAssert) {
  const std::string test =
      "}\nint main() {\n    auto candidate = sort_words;\n"
      "    assert(candidate((std::vector<std::string>({(std::string)\"b;)\", "
      "(std::string)\"a\"}))) == (std::vector<std::string>({(std::string)\"a\", "
      "(std::string)\"b;)\"})));\n"
      "    // a comment; with a semicolon )\n"
      "    assert(candidate((std::vector<std::string>())) == (std::vector<std::string>()));\n"
      "}\n";
  auto calls = cpp_asserts_as_calls(kPrompt, test);
  ASSERT_TRUE(calls.has_value());
  EXPECT_EQ(calls->answer_end, "}\n");
  EXPECT_EQ(calls->spec.entry_point, "sort_words");
  EXPECT_EQ(calls->spec.setup, "");
  ASSERT_EQ(calls->spec.items.size(), 2u);
  EXPECT_EQ(calls->spec.items[0],
            "assert(candidate((std::vector<std::string>({(std::string)\"b;)\", "
            "(std::string)\"a\"}))) == (std::vector<std::string>({(std::string)\"a\", "
            "(std::string)\"b;)\"})));");
  EXPECT_EQ(calls->spec.items[1],
            "assert(candidate((std::vector<std::string>())) == (std::vector<std::string>()));");
}

TEST(CppAssertTests, OtherShapesStayOneProgram) {
  const char* const kOthers[] = {
      // a statement that is not an assert
      "}\nint main() {\n    auto candidate = f;\n    long x = 1;\n    assert(candidate(x) == "
      "1);\n}\n",
      // a helper the asserts call, defined beside the answer
      "}\nbool issame(long a, long b) { return a == b; }\nint main() {\n    auto candidate = f;\n"
      "    assert(issame(candidate(1), 1));\n}\n",
      // no candidate named
      "}\nint main() {\n    assert(f(1) == 1);\n}\n",
      // text after main
      "}\nint main() {\n    auto candidate = f;\n    assert(candidate(1) == 1);\n}\nint g;\n",
      // something after the assert's parenthesis
      "}\nint main() {\n    auto candidate = f;\n    assert(candidate(1) == 1) || true;\n}\n",
      // a statement without its semicolon, an unclosed main, a raw string
      "}\nint main() {\n    auto candidate = f;\n    assert(candidate(1) == 1)\n}\n",
      "}\nint main() {\n    auto candidate = f;\n    assert(candidate(1) == 1);\n",
      "}\nint main() {\n    auto candidate = f;\n    assert(candidate(R\"(x)\") == 1);\n}\n",
      // values that cannot cross: std::any
      "}\nint main() {\n    auto candidate = f;\n"
      "    assert(candidate(std::vector<std::any>({(std::any)1})) == 1);\n}\n",
  };
  for (const char* test : kOthers)
    EXPECT_FALSE(cpp_asserts_as_calls(kPrompt, test).has_value()) << test;
}

TEST(CppAssertTests, APromptWithAUnionOrAnyStaysOneProgram) {
  const std::string test =
      "}\nint main() {\n    auto candidate = compare_one;\n"
      "    assert(candidate(1, 2) == 2);\n}\n";
  const std::string with_union =
      "#include<bits/stdc++.h>\nunion Union_long_float {\n    long f0;\n    float f1;\n};\n"
      "Union_long_float compare_one(Union_long_float a, Union_long_float b) {\n";
  const std::string with_any = "#include<bits/stdc++.h>\nbool compare_one(std::any a, long b) {\n";
  EXPECT_FALSE(cpp_asserts_as_calls(with_union, test).has_value());
  EXPECT_FALSE(cpp_asserts_as_calls(with_any, test).has_value());
  // The word in prose is no declaration.
  const std::string prose =
      "#include<bits/stdc++.h>\n// the union of the two lists { not a std::any }\n"
      "long compare_one(long a, long b) {\n";
  EXPECT_TRUE(cpp_asserts_as_calls(prose, test).has_value());
}

}  // namespace
}  // namespace crucible::sandbox::judge
