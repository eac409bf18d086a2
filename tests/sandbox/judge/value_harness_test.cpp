// Reading MultiPL-E's TypeScript, Lua, Ruby, PHP, Perl, Bash, Rust and Go tests into their value
// harnesses: the translators' shapes become one item per assert, split into the call and the
// expected value; any other shape stays one program (nullopt), whatever the answer holds. The
// candidate's program never holds an expected value.
#include "sandbox/judge/value_harness.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "sandbox/judge/harness_bash.hpp"
#include "sandbox/judge/harness_go.hpp"
#include "sandbox/judge/harness_lua.hpp"
#include "sandbox/judge/harness_perl.hpp"
#include "sandbox/judge/harness_php.hpp"
#include "sandbox/judge/harness_ruby.hpp"
#include "sandbox/judge/harness_rust.hpp"
#include "sandbox/judge/harness_typescript.hpp"

namespace crucible::sandbox::judge {
namespace {

const std::string kTsTest =
    "declare var require: any;\nconst assert = require('node:assert');\n\n\nfunction test() {\n"
    "  let candidate = sum_product;\n  assert.deepEqual(candidate([]),[0, 1]);\n"
    "  assert.deepEqual(candidate([\"a,b\", \"(\"]),[918273645, \"x\"]);\n}\n\ntest();";

const std::string kLuaTest =
    "lu = require('luaunit')\n\nfunction test_humaneval()\nlocal candidate = sum_product\n"
    "    lu.assertEquals(candidate({}), {0, 1})\n"
    "    lu.assertEquals(candidate({'a,b', \"(\"}), {918273645, 'x'})\nend\n\n"
    "os.exit(lu.LuaUnit.run())";

const std::string kRubyTest =
    "require 'test/unit'\nclass TestHumanEval < Test::Unit::TestCase\n  def test_sum_product\n"
    "    candidate = method(:sum_product)\n    assert_equal([0, 1], candidate.call([]))\n"
    "    assert_equal([918273645, \"#{x}\"], candidate.call([\"a,b\", \"(\"]))\n  end\nend\n";

const std::string kPhpTest =
    "function candidate(...$args) {\n    return sum_product(...$args);\n}\n\n"
    "function test(): void {\n"
    "    if (candidate(array()) !== array(0, 1)) { throw new Exception(\"Test failed!\"); }\n"
    "    if (candidate(array(\"a,b\", \"(\")) !== array(918273645, \"x\")) { throw new "
    "Exception(\"Test failed!\"); }\n}\n\ntest();";

const std::string kPerlTest =
    "use Test::Deep;\n\n\nsub testhumaneval {\n    my $candidate = \\&sum_product;\n"
    "        if(eq_deeply($candidate->([]),[0, 1])) {\n        print \"ok!\" }else{\n"
    "        exit 1;\n        }\n"
    "        if(eq_deeply($candidate->([\"a,b\", \"(\"]),[918273645, \"x\"])) {\n"
    "        print \"ok!\" }else{\n        exit 1;\n        }\n}\n\ntesthumaneval();";

const std::string kBashTest =
    "}\n\ncandidate() {\n    sum_product \"$@\"\n}\n\nset -e\nrun_test() {\n"
    "    [[ $(candidate \"\") = \"0 1\" ]]\n"
    "    [[ $(candidate \"a,b (\" \")\") = \"918273645 \\\"x\\\"\" ]]\n}\n\nrun_test";

TEST(ValueHarness, TheTranslatorsShapesBecomeOneItemPerAssert) {
  struct Shape {
    const char* language;
    const std::string& test;
    SplitAssert split;
    std::string call, expected;  // of the second assert
    std::string answer_end = "";
  };
  const Shape kShapes[] = {
      {"typescript", kTsTest, split_typescript_assert, "candidate([\"a,b\", \"(\"])",
       "[918273645, \"x\"]"},
      {"lua", kLuaTest, split_lua_assert, "candidate({'a,b', \"(\"})", "{918273645, 'x'}"},
      // Ruby's assert_equal names the expected value first.
      {"ruby", kRubyTest, split_ruby_assert, "candidate.call([\"a,b\", \"(\"])",
       "[918273645, \"#{x}\"]"},
      {"php", kPhpTest, split_php_check, "candidate(array(\"a,b\", \"(\"))",
       "array(918273645, \"x\")"},
      {"perl", kPerlTest, split_perl_check, "$candidate->([\"a,b\", \"(\"])", "[918273645, \"x\"]"},
  };
  for (const auto& shape : kShapes) {
    SCOPED_TRACE(shape.language);
    auto calls = asserts_as_calls(shape.language, "", shape.test);
    ASSERT_TRUE(calls.has_value());
    EXPECT_EQ(calls->answer_end, shape.answer_end);
    EXPECT_EQ(calls->spec.entry_point, "sum_product");
    ASSERT_EQ(calls->spec.items.size(), 2u);
    auto sides = shape.split(calls->spec.items[1]);
    ASSERT_TRUE(sides.has_value());
    EXPECT_EQ(sides->first, shape.call);
    EXPECT_EQ(sides->second, shape.expected);
  }
}

TEST(ValueHarness, OtherShapesStayOneProgram) {
  for (const char* s : {"assert.deepEqual(candidate(1), 2, \"message\");",  // a third argument
                        "assert.equal(candidate(1), 2);",                   // another check
                        "assert.deepEqual(candidate(`a${1}`), 2);",         // a template literal
                        "assert.deepEqual(candidate(1), 2); x();"})
    EXPECT_FALSE(split_typescript_assert(s).has_value()) << s;
  for (const char* s :
       {"lu.assertEquals(candidate(1), 2) -- a comment", "lu.assertEquals(candidate([[long]]), 2)",
        "lu.assertTrue(candidate(1))", "lu.assertEquals(candidate(1), 2, 3)"})
    EXPECT_FALSE(split_lua_assert(s).has_value()) << s;
  for (const char* s : {"assert_equal(1, candidate.call(2)) # a comment",
                        "assert_equal(1, candidate.call(2), \"message\")",
                        "assert(candidate.call(2))", "assert_equal(<<~X, candidate.call(2))"})
    EXPECT_FALSE(split_ruby_assert(s).has_value()) << s;
  for (const char* s :
       {"if (candidate(1) !== 2 && candidate(2) !== 3) { throw new Exception(\"Test failed!\"); }",
        "if (candidate(1) != 2) { throw new Exception(\"Test failed!\"); }",
        "if (candidate(1) !== 2 or true) { throw new Exception(\"Test failed!\"); }",
        "if (candidate(1) !== 2) { echo 1; }",
        "if (candidate(1) !== 2) { throw new Exception(\"Test failed!\"); } # note"})
    EXPECT_FALSE(split_php_check(s).has_value()) << s;
  for (const char* s : {"if(eq_deeply($candidate->(1),2)) { # a comment",
                        "if(eq_deeply($candidate->(1),2,3)) {", "if(ok($candidate->(1))) {",
                        "if(eq_deeply($candidate->(1),2)) {\nprint \"ok!\" }else{\nexit 0;\n}"})
    EXPECT_FALSE(split_perl_check(s).has_value()) << s;
  for (const char* s :
       {"[[ $(candidate \"1\") = \"2\" ]] # a comment", "[[ $(candidate \"1\") == \"2\" ]]",
        "[[ $(candidate '1') = \"2\" ]]", "[[ $(candidate \"1\") = \"$HOME\" ]]",
        "[[ $(candidate \"1\") = \"2\" ]] || true"})
    EXPECT_FALSE(split_bash_check(s).has_value()) << s;
  std::string ts = kTsTest;
  ts.insert(ts.find("}\n\ntest();"), "  console.log(1);\n");
  EXPECT_FALSE(asserts_as_calls("typescript", "", ts).has_value());
  EXPECT_FALSE(asserts_as_calls("typescript", "", kTsTest + "\ntest();").has_value());
  std::string lua = kLuaTest;
  lua.insert(lua.find("end\n"), "    print(1)\n");
  EXPECT_FALSE(asserts_as_calls("lua", "", lua).has_value());
  EXPECT_FALSE(asserts_as_calls("scala", "", kTsTest).has_value()) << "no harness for its asserts";
}

TEST(ValueHarness, TheCandidatesProgramHoldsNoExpectedValue) {
  for (const auto& [language, test] :
       {std::pair{"typescript", kTsTest}, std::pair{"lua", kLuaTest}, std::pair{"ruby", kRubyTest},
        std::pair{"php", kPhpTest}, std::pair{"perl", kPerlTest}, std::pair{"bash", kBashTest}}) {
    auto calls = asserts_as_calls(language, "", test);
    ASSERT_TRUE(calls.has_value()) << language;
    const ValuePrograms p = build_value_harness(language, "answer", calls->spec);
    EXPECT_EQ(p.candidate_source.find("918273645"), std::string::npos) << language;
    EXPECT_EQ(p.candidate_source.rfind("answer\n", 0), 0u) << language;
    EXPECT_NE(p.expected_source.find("918273645"), std::string::npos) << language;
    EXPECT_EQ(p.expected_source.find("answer"), std::string::npos) << language;
    EXPECT_EQ(p.expected_source.find("candidate("), std::string::npos) << language;
  }
  HarnessSpec bad{"f", "", {"assert.deepEqual(f(1), 1);", "f(2);"}};
  try {
    build_value_harness("typescript", "", bad);
    FAIL() << "a statement that is not an assert was built";
  } catch (const InvalidRequest& e) {
    EXPECT_NE(std::string(e.what()).find("harness.tests[1]"), std::string::npos) << e.what();
  }
}

const std::string kRustPrompt =
    "use std::collections::HashMap;\n\n/// Sums and multiplies.\n"
    "fn sum_product(numbers: Vec<String>) -> (isize, String) {\n";

const std::string kRustTest =
    "}\n\nfn main() {\n    let candidate = sum_product;\n"
    "    assert_eq!(candidate(vec![]), (0, String::from(\"\")));\n"
    "    assert_eq!(candidate(vec![String::from(\"a,b\"), String::from(\"(\")]), (918273645, "
    "String::from(\"x\")));\n}\n";

TEST(ValueHarness, RustsAssertEqBecomesOneItemEachTypedByThePrompt) {
  auto calls = asserts_as_calls("rust", kRustPrompt, kRustTest);
  ASSERT_TRUE(calls.has_value());
  EXPECT_EQ(calls->answer_end, "}\n");
  EXPECT_EQ(calls->spec.entry_point, "sum_product");
  EXPECT_EQ(calls->spec.setup, kRustPrompt) << "the expected values are typed by the signature";
  ASSERT_EQ(calls->spec.items.size(), 2u);
  auto sides = split_rust_assert(calls->spec.items[1]);
  ASSERT_TRUE(sides.has_value());
  EXPECT_EQ(sides->first, "candidate(vec![String::from(\"a,b\"), String::from(\"(\")])");
  EXPECT_EQ(sides->second, "(918273645, String::from(\"x\"))");

  const ValuePrograms p = build_value_harness("rust", kRustPrompt + "answer\n}\n", calls->spec);
  EXPECT_EQ(p.candidate_source.find("918273645"), std::string::npos);
  EXPECT_EQ(p.candidate_source.rfind(kRustPrompt + "answer\n", 0), 0u);
  EXPECT_NE(p.expected_source.find("918273645"), std::string::npos);
  EXPECT_EQ(p.expected_source.find("answer"), std::string::npos);
  // The expected program holds the prompt and each call, only to type the value it never runs.
  EXPECT_EQ(p.expected_source.rfind(kRustPrompt, 0), 0u);
  EXPECT_NE(
      p.expected_source.find("if false { candidate(vec![]) } else { (0, String::from(\"\")) }"),
      std::string::npos);
}

TEST(ValueHarness, RustsOtherShapesStayOneProgram) {
  for (const char* s : {"assert_eq!(candidate(1), 2, \"message\");",  // a third argument
                        "assert!(candidate(1) == 2);",                // another check
                        "assert_ne!(candidate(1), 2);",
                        "assert_eq!(candidate(r\"a\\\"), 2);",  // a raw string
                        "assert_eq!(candidate(br#\"a\"#), 2);",
                        "assert_eq!(candidate(1), HashMap::<String, isize>::new());",
                        "assert_eq!(candidate(1), 2)",  // no ';'
                        "assert_eq!(candidate(1), 2); exit(0);"})
    EXPECT_FALSE(split_rust_assert(s).has_value()) << s;
  std::string test = kRustTest;
  test.insert(test.find("    assert_eq!"), "    let x = 0;\n");
  EXPECT_FALSE(asserts_as_calls("rust", kRustPrompt, test).has_value());
  EXPECT_FALSE(asserts_as_calls("rust", "fn sum_product() -> isize;\n", kRustTest).has_value())
      << "a prompt that does not open the entry point's body";
  HarnessSpec no_signature{"f", "", {"assert_eq!(f(1), 1);"}};
  try {
    build_value_harness("rust", "fn f(x: isize) -> isize { x }", no_signature);
    FAIL() << "a Rust harness without the task's signature was built";
  } catch (const InvalidRequest& e) {
    EXPECT_NE(std::string(e.what()).find("harness.setup"), std::string::npos) << e.what();
  }
}

const std::string kGoPrompt =
    "package sum_product_test\n\nimport (\n    \"testing\"\n    \"fmt\"\n)\n\n"
    "func sum_product(numbers []string) []interface{} {\n";

std::string go_test(const std::string& entries) {
  return "func TestSum_Product(t *testing.T) {\n  candidate := sum_product\n\ttype test struct {\n"
         "\t\tactual   interface{}\n\t\texpected interface{}\n\t}\n   tests := []test{\n" +
         entries +
         "   }\n\n\tfor i, tc := range tests {\n"
         "\t\tt.Run(fmt.Sprintf(\"test num % d\", i), func(t *testing.T) {\n"
         "\t\t\tif fmt.Sprintf(\"%v\", tc.actual) != fmt.Sprintf(\"%v\", tc.expected) {\n"
         "\t\t\t\tt.Errorf(\"expected '%s', got '%s'\", tc.expected, tc.actual)\n"
         "\t\t\t}\n\t\t})\n\t}\n}\n";
}

const std::string kGoTest = go_test(
    "     { actual: candidate([]string{}), expected: []interface{}{0, 1} },\n"
    "     { actual: candidate([]string{\"a,b\", \"}\"}), expected: []interface{}{918273645, "
    "\"x\"} },\n");

TEST(ValueHarness, GosTableBecomesOneItemPerEntry) {
  auto calls = asserts_as_calls("go_test", kGoPrompt, kGoTest);
  ASSERT_TRUE(calls.has_value());
  EXPECT_EQ(calls->answer_end, "");
  EXPECT_EQ(calls->spec.entry_point, "sum_product");
  ASSERT_EQ(calls->spec.items.size(), 2u);
  auto sides = split_go_entry(calls->spec.items[1]);
  ASSERT_TRUE(sides.has_value());
  EXPECT_EQ(sides->first, "candidate([]string{\"a,b\", \"}\"})");
  EXPECT_EQ(sides->second, "[]interface{}{918273645, \"x\"}");
  EXPECT_TRUE(asserts_as_calls("go", kGoPrompt, kGoTest).has_value());

  const ValuePrograms p = build_value_harness("go", kGoPrompt + "answer\n}\n", calls->spec);
  EXPECT_EQ(p.language, "go_test") << "both programs are test files";
  EXPECT_EQ(p.candidate_source.find("918273645"), std::string::npos);
  EXPECT_EQ(p.candidate_source.rfind(kGoPrompt + "answer\n", 0), 0u);
  EXPECT_NE(p.expected_source.find("918273645"), std::string::npos);
  EXPECT_EQ(p.expected_source.find("answer"), std::string::npos);
  EXPECT_EQ(p.expected_source.find("candidate("), std::string::npos);
}

TEST(ValueHarness, GosOtherShapesStayOneProgram) {
  for (const char* s :
       {"{ actual: candidate(`raw`), expected: 1 },",  // a raw string
        "{ actual: candidate(1), expected: 1, note: 2 },", "{ expected: 1, actual: candidate(1) },",
        "{ actual: candidate(1) }, { actual: candidate(2), expected: 2 },",
        "{ actual: candidate(1), expected: 1 }; os.Exit(0)"})
    EXPECT_FALSE(split_go_entry(s).has_value()) << s;
  std::string test = kGoTest;
  test.insert(test.find("  candidate :="), "  _ = 0\n");
  EXPECT_FALSE(asserts_as_calls("go_test", kGoPrompt, test).has_value());
  test = kGoTest;
  test.replace(test.find(") != fmt"), 5, ") == ");
  EXPECT_FALSE(asserts_as_calls("go_test", kGoPrompt, test).has_value()) << "another comparison";
  std::string prompt = kGoPrompt;
  prompt.erase(prompt.find("    \"fmt\"\n"), 10);
  EXPECT_FALSE(asserts_as_calls("go_test", prompt, kGoTest).has_value())
      << "the programs need the prompt's fmt";
}

// HumanEval-X's Go: testify's assert.Equal(EXPECTED, CALL) on each line, compared by type and Go
// syntax as testify compares.
TEST(ValueHarness, TestifysAssertEqualBecomesOneItemEach) {
  const std::string test =
      "func TestFindClosestElements(t *testing.T) {\n    assert := assert.New(t)\n"
      "    assert.Equal([2]float64{3.9, 4.0}, FindClosestElements([]float64{1.0, 3.9, 4.0}))\n"
      "    assert.Equal(\"a, b\", Join([]string{\"a\", \"b\"}))\n}\n";
  auto calls = go_testify_asserts_as_calls(test);
  ASSERT_TRUE(calls.has_value());
  ASSERT_EQ(calls->spec.items.size(), 2u);
  auto sides = split_testify_equal(calls->spec.items[0]);
  ASSERT_TRUE(sides.has_value());
  EXPECT_EQ(sides->first, "FindClosestElements([]float64{1.0, 3.9, 4.0})");
  EXPECT_EQ(sides->second, "[2]float64{3.9, 4.0}");
  calls->spec.entry_point = "FindClosestElements";
  const ValuePrograms p = build_value_harness("go_test", "answer\n", calls->spec);
  EXPECT_NE(p.candidate_source.find("\"typed\", func() interface{} { return "
                                    "FindClosestElements([]float64{1.0, 3.9, 4.0}) })"),
            std::string::npos)
      << p.candidate_source;
  EXPECT_EQ(p.candidate_source.find("3.9, 4.0}, "), std::string::npos);
  for (const char* s : {"assert.True(t, F(1))", "assert.Equal(`raw`, F(1))",
                        "assert.Equal(1, F(1)); os.Exit(0)", "assert.Equal(1)"})
    EXPECT_FALSE(split_testify_equal(s).has_value()) << s;
  std::string other = test;
  other.insert(other.find("    assert.Equal"), "    x := 1\n");
  EXPECT_FALSE(go_testify_asserts_as_calls(other).has_value());
}

// Arguments after the two compared only word a failure (testify's msgAndArgs), and a composite
// literal may span lines (HumanEval-X's GetRow, OddCount): both are still one item each.
TEST(ValueHarness, TestifysMessagesAndLiteralsOverLinesStayOneItemEach) {
  const auto with_message = split_testify_equal("assert.Equal(1, F(g(2, 3)), \"a, b\", x)");
  ASSERT_TRUE(with_message.has_value());
  EXPECT_EQ(with_message->first, "F(g(2, 3))");
  EXPECT_EQ(with_message->second, "1");
  const std::string test =
      "func TestOddCount(t *testing.T) {\n    assert := assert.New(t)\n"
      "    assert.Equal([]string{\n        \"a\",\n        \"b\",\n    }, OddCount([]string{\n"
      "        \"271\",\n    }), \"Error\")\n"
      "    assert.Equal([]string{}, OddCount([]string{}))\n}\n";
  auto calls = go_testify_asserts_as_calls(test);
  ASSERT_TRUE(calls.has_value());
  ASSERT_EQ(calls->spec.items.size(), 2u);
  auto sides = split_testify_equal(calls->spec.items[0]);
  ASSERT_TRUE(sides.has_value()) << calls->spec.items[0];
  EXPECT_EQ(sides->first, "OddCount([]string{ \"271\", })");
  EXPECT_EQ(sides->second, "[]string{ \"a\", \"b\", }");
  std::string open = test;
  open.insert(open.rfind("}\n"), "    assert.Equal(1, F([]int{\n");
  EXPECT_FALSE(go_testify_asserts_as_calls(open).has_value()) << "brackets that never close";
  std::string commented = test;
  commented.insert(commented.find("        \"b\""), "        // a comment\n");
  auto with_comment = go_testify_asserts_as_calls(commented);
  ASSERT_TRUE(with_comment.has_value()) << "a line comment inside the literal is left out";
  EXPECT_EQ(split_testify_equal(with_comment->spec.items[0])->second, "[]string{ \"a\", \"b\", }");
}

}  // namespace
}  // namespace crucible::sandbox::judge
