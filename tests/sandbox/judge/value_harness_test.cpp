// Reading MultiPL-E's TypeScript and Lua tests into their value harnesses: the translators'
// shapes become one item per assert, split into the call and the expected value; any other
// shape stays one program (nullopt), whatever the answer holds. The candidate's program never
// holds an expected value.
#include "sandbox/judge/value_harness.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "sandbox/judge/harness_lua.hpp"
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

TEST(ValueHarness, TheTranslatorsShapesBecomeOneItemPerAssert) {
  auto ts = asserts_as_calls("typescript", "", kTsTest);
  ASSERT_TRUE(ts.has_value());
  EXPECT_EQ(ts->answer_end, "");
  EXPECT_EQ(ts->spec.entry_point, "sum_product");
  ASSERT_EQ(ts->spec.items.size(), 2u);
  auto sides = split_typescript_assert(ts->spec.items[1]);
  ASSERT_TRUE(sides.has_value());
  EXPECT_EQ(sides->first, "candidate([\"a,b\", \"(\"])");
  EXPECT_EQ(sides->second, "[918273645, \"x\"]");

  auto lua = asserts_as_calls("lua", "", kLuaTest);
  ASSERT_TRUE(lua.has_value());
  EXPECT_EQ(lua->spec.entry_point, "sum_product");
  ASSERT_EQ(lua->spec.items.size(), 2u);
  auto lua_sides = split_lua_assert(lua->spec.items[1]);
  ASSERT_TRUE(lua_sides.has_value());
  EXPECT_EQ(lua_sides->first, "candidate({'a,b', \"(\"})");
  EXPECT_EQ(lua_sides->second, "{918273645, 'x'}");
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
  std::string ts = kTsTest;
  ts.insert(ts.find("}\n\ntest();"), "  console.log(1);\n");
  EXPECT_FALSE(asserts_as_calls("typescript", "", ts).has_value());
  EXPECT_FALSE(asserts_as_calls("typescript", "", kTsTest + "\ntest();").has_value());
  std::string lua = kLuaTest;
  lua.insert(lua.find("end\n"), "    print(1)\n");
  EXPECT_FALSE(asserts_as_calls("lua", "", lua).has_value());
  EXPECT_FALSE(asserts_as_calls("rust", "", kTsTest).has_value()) << "no harness for its asserts";
}

TEST(ValueHarness, TheCandidatesProgramHoldsNoExpectedValue) {
  for (const auto& [language, test] :
       {std::pair{"typescript", kTsTest}, std::pair{"lua", kLuaTest}}) {
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

}  // namespace
}  // namespace crucible::sandbox::judge
