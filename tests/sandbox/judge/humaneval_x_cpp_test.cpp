// Reading HumanEval-X's C++ tests (CodeGeeX's main of asserts) into the C++ function-call
// harness: the test's helpers and the task's own stay with the tests, each assert is an item, and
// a main with loops or locals is one item; other shapes stay one program, whatever the answer.
#include "sandbox/judge/humaneval_x_cpp.hpp"

#include <gtest/gtest.h>

namespace crucible::sandbox::judge {
namespace {

const std::string kDeclaration =
    "#include<stdio.h>\n#include<string>\nusing namespace std;\n"
    "string encode(string s){\n    return s + \"}\";\n}\n"
    "// the function the prompt opens\nint strlen(string str){\n";

const std::string kHelper =
    "#undef NDEBUG\n#include<assert.h>\n"
    "bool issame(vector<int> a,vector<int>b){\n    if (a.size()!=b.size()) return false;\n"
    "    for (int i=0;i<a.size();i++)\n    {\n        if (a[i]!=b[i]) return false;\n    }\n"
    "    return true;\n}\n";

TEST(HumanEvalXCpp, EachAssertBecomesAnItemBesideTheTestsHelpers) {
  const std::string test = kHelper +
                           "int main(){\n    assert (strlen(\"\") == 0);\n"
                           "    assert (issame(f({1, 2}) , {3}));\n}\n";
  auto spec = humaneval_x_cpp_calls(kDeclaration, test);
  ASSERT_TRUE(spec.has_value());
  EXPECT_EQ(spec->entry_point, "strlen");
  EXPECT_EQ(spec->signature, "int strlen(string str)");
  EXPECT_EQ(spec->setup, kDeclaration.substr(0, kDeclaration.find("int strlen")) + kHelper)
      << "the task's helpers (encode) and the test's (issame) are the tests' code";
  ASSERT_EQ(spec->items.size(), 2u);
  EXPECT_EQ(spec->items[0], "assert (strlen(\"\") == 0);");
  EXPECT_EQ(spec->items[1], "assert (issame(f({1, 2}) , {3}));");
}

TEST(HumanEvalXCpp, AMainWithLoopsOrLocalsIsOneItem) {
  const std::string body =
      "\n    vector<float> a={1.0, 2.0};\n    assert (strlen(\"ab\") == 2);\n"
      "    for (int i=0;i<3;i++)\n        assert (strlen(string(i, 'x')) == i);\n";
  auto spec = humaneval_x_cpp_calls(kDeclaration, kHelper + "int main(){" + body + "}\n");
  ASSERT_TRUE(spec.has_value());
  ASSERT_EQ(spec->items.size(), 1u);
  EXPECT_EQ(spec->items[0], "{\n" + body + "\n}");
}

// A main that ends as programs do, returning 0, reports as one that falls off its end.
TEST(HumanEvalXCpp, AFinalReturnZeroIsDropped) {
  const std::string asserts = "    assert (strlen(\"\") == 0);\n    assert (strlen(\"a\") == 1);\n";
  auto spec =
      humaneval_x_cpp_calls(kDeclaration, "int main(){\n" + asserts + "    return 0 ;\n}\n");
  ASSERT_TRUE(spec.has_value());
  EXPECT_EQ(spec->items.size(), 2u);
  auto loop =
      humaneval_x_cpp_calls(kDeclaration,
                            "int main(){\n    for (int i=0;i<2;i++) assert (strlen(\"\") == 0);\n"
                            "    return 0;\n}\n");
  ASSERT_TRUE(loop.has_value());
  ASSERT_EQ(loop->items.size(), 1u);
  EXPECT_EQ(loop->items[0].find("return"), std::string::npos) << loop->items[0];
}

TEST(HumanEvalXCpp, OtherShapesStayOneProgram) {
  const std::string asserts = "    assert (strlen(\"\") == 0);\n";
  EXPECT_FALSE(
      humaneval_x_cpp_calls(kDeclaration, "int main(){\n" + asserts + "    return 10;\n}\n"))
      << "a return of another status";
  EXPECT_FALSE(humaneval_x_cpp_calls(
      kDeclaration,
      "int main(){\n    if (strlen(\"\")) return 0;\n" + asserts + "    return 0;\n}\n"))
      << "a return before the end would leave main before the harness reports";
  EXPECT_FALSE(humaneval_x_cpp_calls(kDeclaration, "int main(){\n" + asserts + "}\nint x;\n"))
      << "code after main";
  EXPECT_FALSE(humaneval_x_cpp_calls(kDeclaration, "void test(){\n" + asserts + "}\n"))
      << "no main";
  EXPECT_FALSE(humaneval_x_cpp_calls(kDeclaration, "int main(){\n" + asserts))
      << "main does not close";
  EXPECT_FALSE(humaneval_x_cpp_calls("#include<stdio.h>\n", "int main(){\n" + asserts + "}\n"))
      << "no function opened by the declaration";
  EXPECT_FALSE(humaneval_x_cpp_calls(
      "#include<boost/any.hpp>\nboost::any compare_one(boost::any a,boost::any b){\n",
      "int main(){\n    assert (boost::any_cast<int>(compare_one(1, 2)) == 2);\n}\n"))
      << "boost::any cannot cross as a plain value";
  EXPECT_FALSE(humaneval_x_cpp_calls(kDeclaration, "int main(){\n    auto s = R\"(x)\";\n}\n"))
      << "a raw string";
}

}  // namespace
}  // namespace crucible::sandbox::judge
