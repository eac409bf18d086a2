// MultiPL-E's records. Its C++ ones (prompt, answer, and a test that is a main() of asserts)
// judge in the two-program harness: one result per assert, the answer's values compared where the
// answer's code is not. The records are MultiPL-E's own (HumanEval_0, 8, 12, 95 as its translator
// writes them), with answers a model gives.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "sandbox/judge/formats.hpp"
#include "sandbox/judge/judge.hpp"
#include "tests/support/humaneval_record.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::sandbox::judge {
namespace {

using nlohmann::json;

struct CppTask {
  std::string prompt, test, right, wrong;
  size_t asserts;
};

const std::string kIncludes = "#include<assert.h>\n#include<bits/stdc++.h>\n";

const CppTask kCppTasks[] = {
    {kIncludes +
         "// Check if in given vector of numbers, are any two numbers closer than threshold.\n"
         "bool has_close_elements(std::vector<float> numbers, float threshold) {\n",
     "}\nint main() {\n    auto candidate = has_close_elements;\n"
     "    assert(candidate((std::vector<float>({(float)1.0f, (float)2.0f, (float)3.9f, "
     "(float)4.0f, "
     "(float)5.0f, (float)2.2f})), (0.3f)) == (true));\n"
     "    assert(candidate((std::vector<float>({(float)1.0f, (float)2.0f, (float)3.9f, "
     "(float)4.0f, "
     "(float)5.0f, (float)2.2f})), (0.05f)) == (false));\n}\n",
     "    for (size_t i = 0; i < numbers.size(); ++i)\n"
     "        for (size_t j = i + 1; j < numbers.size(); ++j)\n"
     "            if (std::abs(numbers[i] - numbers[j]) < threshold) return true;\n"
     "    return false;\n",
     "    return true;\n", 2},
    {kIncludes + "std::tuple<long, long> sum_product(std::vector<long> numbers) {\n",
     "}\nint main() {\n    auto candidate = sum_product;\n"
     "    assert(candidate((std::vector<long>())) == (std::make_tuple(0, 1)));\n"
     "    assert(candidate((std::vector<long>({(long)3, (long)5, (long)7}))) == "
     "(std::make_tuple(15, 105)));\n}\n",
     "    long s = 0, p = 1;\n    for (long x : numbers) { s += x; p *= x; }\n"
     "    return {s, p};\n",
     "    long s = 0, p = 1;\n    for (long x : numbers) { s += x; p += x; }\n"
     "    return {s, p};\n",
     2},
    {kIncludes + "std::optional<std::string> longest(std::vector<std::string> strings) {\n",
     "}\nint main() {\n    auto candidate = longest;\n"
     "    assert(candidate((std::vector<std::string>())) == std::nullopt);\n"
     "    assert(candidate((std::vector<std::string>({(std::string)\"x\", (std::string)\"yyy\", "
     "(std::string)\"zzzz\", (std::string)\"www\", (std::string)\"kkkk\"}))) == \"zzzz\");\n}\n",
     "    if (strings.empty()) return std::nullopt;\n    std::string best = strings[0];\n"
     "    for (auto& s : strings) if (s.size() > best.size()) best = s;\n    return best;\n",
     "    if (strings.empty()) return std::nullopt;\n    return strings.back();\n", 2},
    {kIncludes + "bool check_dict_case(std::map<std::string,std::string> dict) {\n",
     "}\nint main() {\n    auto candidate = check_dict_case;\n"
     "    assert(candidate((std::map<std::string,std::string>({{\"p\", \"pineapple\"}, {\"b\", "
     "\"banana\"}}))) == (true));\n"
     "    assert(candidate((std::map<std::string,std::string>({{\"p\", \"pineapple\"}, {\"A\", "
     "\"banana\"}}))) == (false));\n"
     "    assert(candidate((std::map<std::string,std::string>())) == (false));\n}\n",
     "    if (dict.empty()) return false;\n    bool lower = true, upper = true;\n"
     "    for (auto& [k, v] : dict) {\n        for (char c : k) {\n"
     "            if (!std::islower(c)) lower = false;\n"
     "            if (!std::isupper(c)) upper = false;\n        }\n    }\n"
     "    return lower || upper;\n",
     "    return dict.size() == 2;\n", 3},
};

Submission cpp_record(const std::string& prompt, const std::string& completion,
                      const std::string& test) {
  // The record's entry point is not the test's: the harness calls the one the test names.
  return testing::humaneval_record("cpp", prompt, completion, test, "unused");
}

TEST(MultiPLECpp, AssertsRunInTheTwoProgramHarnessOneResultEach) {
  Judge judge(testing::shared_sandbox());
  for (const auto& t : kCppTasks) {
    SCOPED_TRACE(t.prompt);
    const Submission right_record = cpp_record(t.prompt, t.right, t.test);
    ASSERT_TRUE(right_record.harness.has_value());
    auto right = judge.run(right_record);
    EXPECT_EQ(right.verdict, Verdict::Accepted) << right.message;
    EXPECT_EQ(right.total, t.asserts);
    EXPECT_EQ(right.passed, t.asserts);
    auto wrong = judge.run(cpp_record(t.prompt, t.wrong, t.test));
    EXPECT_EQ(wrong.verdict, Verdict::WrongAnswer) << wrong.message;
    EXPECT_EQ(wrong.total, t.asserts);
    EXPECT_GT(wrong.passed, 0u) << "each wrong answer here passes one assert";
    EXPECT_LT(wrong.passed, t.asserts);
  }
}

// A prompt whose types cannot cross as plain data (a union it declares, std::any) keeps the
// one-program run, decided by the prompt: the same test with another prompt takes the harness.
TEST(MultiPLECpp, OpaqueTypesKeepTheOneProgramRun) {
  const std::string test =
      "}\nint main() {\n    auto candidate = pick;\n    assert(candidate(1, 2) == 2);\n}\n";
  const std::string with_union = kIncludes +
                                 "union Union_long_float {\n    long f0;\n    float f1;\n"
                                 "    Union_long_float(long _f0) : f0(_f0) {}\n};\n"
                                 "long pick(Union_long_float a, long b) {\n";
  const Submission s = cpp_record(with_union, "    return b;\n", test);
  EXPECT_FALSE(s.harness.has_value());
  auto r = Judge(testing::shared_sandbox()).run(s);
  EXPECT_EQ(r.verdict, Verdict::Accepted) << r.message;
  EXPECT_TRUE(cpp_record(kIncludes + "long pick(long a, long b) {\n", "    return b;\n", test)
                  .harness.has_value());
}

}  // namespace
}  // namespace crucible::sandbox::judge

namespace crucible::sandbox::judge {
namespace {

// MultiPL-E's dataset rows as it ships them (name, language, prompt, tests, stop_tokens; no
// entry point) with a model's completion: they were refused ("completion is not a known
// field"). The completion is cut at the row's first stop token, as MultiPL-E's generation is.
json row(const std::string& language, const std::string& prompt, const std::string& tests,
         const json& stop_tokens, const std::string& completion) {
  return {{"name", "HumanEval_53_add"},
          {"language", language},
          {"prompt", prompt},
          {"doctests", "transform"},
          {"prompt_terminology", "reworded"},
          {"tests", tests},
          {"stop_tokens", stop_tokens},
          {"completion", completion}};
}

TEST(MultiPLERows, DatasetRowsJudgeAsMultiPLERunsThem) {
  Judge judge(testing::shared_sandbox());
  // C++: a generation that runs on past the function; the stop token cuts it.
  const json cpp = row("cpp", kIncludes + "long add(long x, long y) {\n",
                       "}\nint main() {\n    auto candidate = add;\n"
                       "    assert(candidate((0), (1)) == (1));\n"
                       "    assert(candidate((5), (7)) == (12));\n}\n",
                       {"\n}"}, "    return x + y; // the sum\n}\n\nint main() { return 1; }\n");
  Record r = record_from_json(cpp);
  EXPECT_EQ(r.format, "multipl-e");
  EXPECT_EQ(r.id, "HumanEval_53_add");
  ASSERT_TRUE(r.submission.harness.has_value());
  EXPECT_EQ(r.submission.harness->entry_point, "add");
  auto accepted = judge.run(r.submission);
  EXPECT_EQ(accepted.verdict, Verdict::Accepted) << accepted.message;
  EXPECT_EQ(accepted.total, 2u);

  // Python: the entry point is the one the test's check() is called with.
  const std::string py_tests =
      "def check(candidate):\n    assert candidate(0, 1) == 1\n    assert candidate(5, 7) == 12\n"
      "\ndef test_check():\n    check(add)\n\ntest_check()\n";
  const json stops = {"\ndef", "\n#", "\nif", "\nclass"};
  const std::string py_prompt = "def add(x: int, y: int) -> int:\n";
  r = record_from_json(row("py", py_prompt, py_tests, stops, "    return x + y\n\ndef f():\n"));
  ASSERT_TRUE(r.submission.harness.has_value());
  EXPECT_EQ(r.submission.harness->entry_point, "add");
  auto py = judge.run(r.submission);
  EXPECT_EQ(py.verdict, Verdict::Accepted) << py.message;
  auto py_wrong = judge.run(
      record_from_json(row("py", py_prompt, py_tests, stops, "    return x * y\n")).submission);
  EXPECT_NE(py_wrong.verdict, Verdict::Accepted) << py_wrong.message;

  // PHP: an answer that closes the PHP tag would make the test text that is printed, never run.
  const std::string php_prompt = "<?php\n// Add two numbers x and y\nfunction add($x, $y) {\n";
  const std::string php_tests =
      "function candidate(...$args) {\n    return add(...$args);\n}\n\n"
      "function test(): void {\n    if (candidate(0, 1) !== 1) { throw new Exception(\"Test "
      "failed!\"); }\n    if (candidate(5, 7) !== 12) { throw new Exception(\"Test failed!\"); "
      "}\n}\n\ntest();";
  for (const auto& [answer, right] : {std::pair{"    return $x + $y;\n}\n?>\n", true},
                                      std::pair{"    return $x * $y;\n}\n?>\n", false}}) {
    auto php = judge.run(
        record_from_json(row("php", php_prompt, php_tests, json::array(), answer)).submission);
    EXPECT_EQ(php.verdict == Verdict::Accepted, right) << answer << ": " << php.message;
  }

  // Go's rows say "go_test.go": MultiPL-E's runner, then the file's extension.
  r = record_from_json(row("go_test.go",
                           "package add_test\n\nimport (\n    \"testing\"\n)\n\n"
                           "func add(x int, y int) int {\n",
                           "func TestAdd(t *testing.T) {\n  candidate := add\n"
                           "  if candidate(0, 1) != 1 { t.Fail() }\n}\n",
                           {"\n}"}, "    return x + y\n}\n"));
  EXPECT_EQ(r.submission.language, "go_test");
}

TEST(MultiPLERows, ARowThatNamesNoEntryPointIsRefusedByName) {
  json r = row("py", "def add(x, y):\n", "def check(candidate):\n    assert candidate(0, 1) == 1\n",
               json::array(), "    return x + y\n");
  r.erase("name");
  try {
    record_from_json(r);
    FAIL() << "a Python row whose test never calls check(NAME) was read";
  } catch (const InvalidRequest& e) {
    EXPECT_NE(std::string(e.what()).find("entry_point"), std::string::npos) << e.what();
  }
  EXPECT_THROW(record_from_json(row("cpp", "long f() {\n", "}\nint main() {}\n", "\n}", "")),
               InvalidRequest)
      << "stop_tokens must be a list";
}

}  // namespace
}  // namespace crucible::sandbox::judge

namespace crucible::sandbox::judge {
namespace {

// MultiPL-E's Java records (its translator's shapes: `== (EXPECTED)` and `.equals(EXPECTED)`
// over floats, lists, javatuples, Optional and maps) judge apart from the answer: one result
// per assert, the expected values computed in a program without the answer.
struct JavaTask {
  std::string signature, test, right, wrong;
  size_t asserts;
};

const std::string kJavaImports =
    "import java.util.*;\nimport java.lang.reflect.*;\nimport org.javatuples.*;\n"
    "import java.security.*;\nimport java.math.*;\nimport java.io.*;\nimport "
    "java.util.stream.*;\nclass Problem {\n";

const std::string kJavaMain = "    }\n    public static void main(String[] args) {\n";

const JavaTask kJavaTasks[] = {
    {"    public static boolean hasCloseElements(ArrayList<Float> numbers, float threshold) {\n",
     kJavaMain + "    assert(hasCloseElements((new ArrayList<Float>(Arrays.asList((float)1.0f, "
                 "(float)2.0f, (float)3.9f, (float)4.0f, (float)5.0f, (float)2.2f))), (0.3f)) == "
                 "(true));\n"
                 "    assert(hasCloseElements((new ArrayList<Float>(Arrays.asList((float)1.0f, "
                 "(float)2.0f, (float)3.9f, (float)4.0f, (float)5.0f, (float)2.2f))), (0.05f)) == "
                 "(false));\n    }\n\n}\n",
     "        for (int i = 0; i < numbers.size(); i++)\n"
     "            for (int j = i + 1; j < numbers.size(); j++)\n"
     "                if (Math.abs(numbers.get(i) - numbers.get(j)) < threshold) return true;\n"
     "        return false;",
     "        return true;", 2},
    {"    public static float truncateNumber(float number) {\n",
     kJavaMain + "    assert(truncateNumber((3.5f)) == (0.5f));\n"
                 "    assert(truncateNumber((1.25f)) == (0.25f));\n    }\n\n}\n",
     "        return number - (float) Math.floor(number);", "        return 0.5f;", 2},
    {"    public static Pair<Long, Long> sumProduct(ArrayList<Long> numbers) {\n",
     kJavaMain +
         "    assert(sumProduct((new ArrayList<Long>(Arrays.asList()))).equals((Pair.with(0l, "
         "1l))));\n"
         "    assert(sumProduct((new ArrayList<Long>(Arrays.asList((long)3l, (long)5l, "
         "(long)7l)))).equals((Pair.with(15l, 105l))));\n    }\n\n}\n",
     "        long s = 0, p = 1;\n        for (long x : numbers) { s += x; p *= x; }\n"
     "        return Pair.with(s, p);",
     "        long s = 0, p = 1;\n        for (long x : numbers) { s += x; p += x; }\n"
     "        return Pair.with(s, p);",
     2},
    {"    public static Optional<String> longest(ArrayList<String> strings) {\n",
     kJavaMain +
         "    assert(longest((new ArrayList<String>(Arrays.asList()))).equals(Optional.empty()));\n"
         "    assert(longest((new ArrayList<String>(Arrays.asList((String)\"x\", (String)\"yyy\", "
         "(String)\"zzzz\", (String)\"www\", (String)\"kkkk\")))).equals(Optional.of(\"zzzz\")));\n"
         "    }\n\n}\n",
     "        String best = null;\n        for (String s : strings)\n"
     "            if (best == null || s.length() > best.length()) best = s;\n"
     "        return Optional.ofNullable(best);",
     "        return strings.isEmpty() ? Optional.empty() : Optional.of(strings.get(strings.size() "
     "- 1));",
     2},
    {"    public static HashMap<String,Long> histogram(String test) {\n",
     kJavaMain +
         "    assert(histogram((\"a b b a\")).equals((new HashMap<String,Long>(Map.of(\"a\", 2l, "
         "\"b\", 2l)))));\n"
         "    assert(histogram((\"\")).equals((new HashMap<String,Long>())));\n    }\n\n}\n",
     // counts every word, in an order of its own (a TreeMap's, reversed)
     "        TreeMap<String, Long> counts = new TreeMap<>(Comparator.reverseOrder());\n"
     "        for (String w : test.split(\" \")) if (!w.isEmpty()) counts.merge(w, 1l, "
     "Long::sum);\n"
     "        long most = counts.values().stream().max(Long::compare).orElse(0l);\n"
     "        HashMap<String, Long> out = new HashMap<>();\n"
     "        counts.forEach((k, v) -> { if (v == most) out.put(k, v); });\n        return out;",
     "        return new HashMap<String, Long>(Map.of(\"a\", 2l, \"b\", 2l));", 2},
};

TEST(MultiPLEJava, AssertsRunApartFromTheAnswerOneResultEach) {
  Judge judge(testing::shared_sandbox());
  for (const auto& t : kJavaTasks) {
    SCOPED_TRACE(t.signature);
    const Submission right_record =
        testing::humaneval_record("java", kJavaImports + t.signature, t.right, t.test, "unused");
    ASSERT_TRUE(right_record.harness.has_value());
    EXPECT_EQ(right_record.harness->items.size(), t.asserts);
    auto right = judge.run(right_record);
    EXPECT_EQ(right.verdict, Verdict::Accepted) << right.message;
    EXPECT_EQ(right.passed, t.asserts);
    auto wrong = judge.run(
        testing::humaneval_record("java", kJavaImports + t.signature, t.wrong, t.test, "unused"));
    EXPECT_EQ(wrong.verdict, Verdict::WrongAnswer) << wrong.message;
    EXPECT_EQ(wrong.total, t.asserts);
    EXPECT_GT(wrong.passed, 0u) << "each wrong answer here passes one assert";
    EXPECT_LT(wrong.passed, t.asserts);
  }
}

// A failing call is that assert's runtime error; the answer's prints leave the values alone; a
// test whose expected value does not compile is the task's fault (a SandboxError), not the
// answer's compile error.
TEST(MultiPLEJava, ExceptionsPrintsAndBrokenTestsAreToldApart) {
  Judge judge(testing::shared_sandbox());
  const std::string prompt = kJavaImports + "    public static long half(long x) {\n";
  const std::string test = kJavaMain +
                           "    assert(half((4l)) == (2l));\n    assert(half((0l)) == (0l));\n"
                           "    }\n\n}\n";
  auto r = judge.run(testing::humaneval_record(
      "java", prompt,
      "        System.out.println(\"0 =99\"); System.out.print(x);\n"
      "        if (x == 0) throw new IllegalArgumentException(\"zero\");\n        return x / 2;",
      test, "unused"));
  ASSERT_EQ(r.tests.size(), 2u);
  EXPECT_EQ(r.tests[0].verdict, Verdict::Accepted) << r.tests[0].message;
  EXPECT_EQ(r.tests[1].verdict, Verdict::RuntimeError);
  EXPECT_NE(r.tests[1].message.find("zero"), std::string::npos) << r.tests[1].message;

  const std::string broken = kJavaMain +
                             "    assert(half((4l)) == (99999999999999999999l));\n"
                             "    }\n\n}\n";
  auto b = judge.run(
      testing::humaneval_record("java", prompt, "        return x / 2;", broken, "unused"));
  EXPECT_EQ(b.verdict, Verdict::SandboxError) << b.message;
  EXPECT_NE(b.message.find("expected values do not compile"), std::string::npos) << b.message;
}

}  // namespace
}  // namespace crucible::sandbox::judge

namespace crucible::sandbox::judge {
namespace {

// MultiPL-E's TypeScript, Lua, Ruby, PHP, Perl and Bash records (their translators' shapes, over
// arrays, booleans, strings, a missing value, floats and maps) judge apart from the answer too, one
// result per assert.
struct ScriptTask {
  const char* language;
  std::string prompt, test, right, wrong;
  size_t asserts;
};

std::string ts_test(const std::string& name, const std::string& asserts) {
  return "declare var require: any;\nconst assert = require('node:assert');\n\n\n"
         "function test() {\n  let candidate = " +
         name + ";\n" + asserts + "}\n\ntest();";
}

std::string lua_test(const std::string& name, const std::string& asserts) {
  return "lu = require('luaunit')\n\nfunction test_humaneval()\nlocal candidate = " + name + "\n" +
         asserts + "end\n\nos.exit(lu.LuaUnit.run())";
}

std::string ruby_test(const std::string& name, const std::string& asserts) {
  return "require 'test/unit'\nclass TestHumanEval < Test::Unit::TestCase\n  def test_" + name +
         "\n    candidate = method(:" + name + ")\n" + asserts + "  end\nend\n";
}

std::string php_test(const std::string& name, const std::vector<std::string>& checks) {
  std::string t = "function candidate(...$args) {\n    return " + name +
                  "(...$args);\n}\n\nfunction test(): void {\n";
  for (const auto& c : checks)
    t += "    if (" + c + ") { throw new Exception(\"Test failed!\"); }\n";
  return t + "}\n\ntest();";
}

std::string perl_test(const std::string& name, const std::vector<std::string>& checks) {
  std::string t =
      "use Test::Deep;\n\n\nsub testhumaneval {\n    my $candidate = \\&" + name + ";\n";
  for (const auto& c : checks)
    t += "        if(eq_deeply(" + c +
         ")) {\n        print \"ok!\" }else{\n        exit 1;\n        }\n";
  return t + "}\n\ntesthumaneval();";
}

std::string bash_test(const std::string& name, const std::vector<std::string>& checks) {
  std::string t = "}\n\ncandidate() {\n    " + name + " \"$@\"\n}\n\nset -e\nrun_test() {\n";
  for (const auto& c : checks) t += "    [[ $(candidate " + c + " ]]\n";
  return t + "}\n\nrun_test";
}

const ScriptTask kScriptTasks[] = {
    {"typescript", "function sum_product(numbers: number[]): [number, number] {\n",
     ts_test("sum_product",
             "  assert.deepEqual(candidate([]),[0, 1]);\n"
             "  assert.deepEqual(candidate([3, 5, 7]),[15, 105]);\n"),
     "  let s = 0, p = 1;\n  for (const x of numbers) { s += x; p *= x; }\n  return [s, p];\n}\n",
     "  let s = 0, p = 1;\n  for (const x of numbers) { s += x; p += x; }\n  return [s, p];\n}\n",
     2},
    {"typescript", "function longest(strings: string[]): string | undefined {\n",
     ts_test("longest",
             "  assert.deepEqual(candidate([]),undefined);\n"
             "  assert.deepEqual(candidate([\"x\", \"yyy\", \"zzzz\", \"www\"]),\"zzzz\");\n"),
     "  let best: string | undefined;\n"
     "  for (const s of strings) if (best === undefined || s.length > best.length) best = s;\n"
     "  return best;\n}\n",
     "  return strings.length ? strings[strings.length - 1] : undefined;\n}\n", 2},
    {"typescript", "function histogram(test: string): {[key: string]: number} {\n",
     ts_test("histogram",
             "  assert.deepEqual(candidate(\"a b b a\"),{\"a\": 2, \"b\": 2});\n"
             "  assert.deepEqual(candidate(\"\"),{});\n"),
     // the same counts, keys in another order
     "  const counts: {[key: string]: number} = {};\n"
     "  for (const w of test.split(\" \").reverse()) if (w) counts[w] = (counts[w] || 0) + 1;\n"
     "  return counts;\n}\n",
     "  return {\"a\": 2, \"b\": 2};\n}\n", 2},
    {"lua", "local function sum_product(numbers)\n",
     lua_test("sum_product",
              "    lu.assertEquals(candidate({}), {0, 1})\n"
              "    lu.assertEquals(candidate({3, 5, 7}), {15, 105})\n"),
     "    local s, p = 0, 1\n    for _, x in ipairs(numbers) do s = s + x; p = p * x end\n"
     "    return {s, p}\nend\n",
     "    local s, p = 0, 1\n    for _, x in ipairs(numbers) do s = s + x; p = p + x end\n"
     "    return {s, p}\nend\n",
     2},
    {"lua", "local function longest(strings)\n",
     lua_test("longest",
              "    lu.assertEquals(candidate({}), nil)\n"
              "    lu.assertEquals(candidate({'x', 'yyy', 'zzzz', 'www'}), 'zzzz')\n"),
     "    local best = nil\n"
     "    for _, s in ipairs(strings) do if best == nil or #s > #best then best = s end end\n"
     "    return best\nend\n",
     "    return strings[#strings]\nend\n", 2},
    {"lua", "local function truncate_number(number)\n",
     lua_test("truncate_number",
              "    lu.assertEquals(candidate(3.5), 0.5)\n"
              "    lu.assertEquals(candidate(2.0), 0)\n"),
     "    return number - math.floor(number)\nend\n", "    return 0.5\nend\n", 2},
    {"ruby", "def sum_product(numbers)\n",
     ruby_test("sum_product",
               "    assert_equal([0, 1], candidate.call([]))\n"
               "    assert_equal([15, 105], candidate.call([3, 5, 7]))\n"),
     "  s = 0\n  p = 1\n  numbers.each { |x| s += x; p *= x }\n  [s, p]\nend\n",
     "  s = 0\n  p = 1\n  numbers.each { |x| s += x; p += x }\n  [s, p]\nend\n", 2},
    {"ruby", "def histogram(test)\n",
     ruby_test("histogram",
               "    assert_equal({\"a\" => 2, \"b\" => 2}, candidate.call(\"a b b a\"))\n"
               "    assert_equal({}, candidate.call(\"\"))\n"),
     // the same counts, keys in another order, and a print while it works
     "  puts \"counting\"\n  counts = Hash.new(0)\n"
     "  test.split(\" \").reverse.each { |w| counts[w] += 1 }\n  counts\nend\n",
     "  {\"a\" => 2, \"b\" => 2}\nend\n", 2},
    // An answer that ends with ?>, as many do; a float where the test wants one (!== tells
    // 0 from 0.0).
    {"php", "<?php\nfunction sum_product($numbers) {\n",
     php_test("sum_product", {"candidate(array()) !== array(0, 1)",
                              "candidate(array(3, 5, 7)) !== array(15, 105)"}),
     "    $s = 0; $p = 1;\n    foreach ($numbers as $x) { $s += $x; $p *= $x; }\n"
     "    echo \"done\";\n    return array($s, $p);\n}\n?>\n",
     "    $s = 0; $p = 1;\n    foreach ($numbers as $x) { $s += $x; $p += $x; }\n"
     "    return array($s, $p);\n}\n",
     2},
    {"php", "<?php\nfunction truncate_number($number) {\n",
     php_test("truncate_number", {"candidate(3.5) !== 0.5", "candidate(2.0) !== 0.0"}),
     "    return $number - floor($number);\n}\n", "    return $number > 3 ? 0.5 : 0;\n}\n", 2},
    {"perl", "sub sum_product {\n    my($numbers) = @_;\n",
     perl_test("sum_product", {"$candidate->([]),[0, 1]", "$candidate->([3, 5, 7]),[15, 105]"}),
     "    my ($s, $p) = (0, 1);\n    for my $x (@$numbers) { $s += $x; $p *= $x; }\n"
     "    print \"done\";\n    return [$s, $p];\n}\n",
     "    my ($s, $p) = (0, 1);\n    for my $x (@$numbers) { $s += $x; $p += $x; }\n"
     "    return [$s, $p];\n}\n",
     2},
    {"perl", "sub histogram {\n    my($test) = @_;\n",
     perl_test("histogram",
               {"$candidate->(\"a b b a\"),{\"a\" => 2, \"b\" => 2}", "$candidate->(\"\"),{}"}),
     "    my %counts;\n    $counts{$_}++ for grep { length } split / /, $test;\n"
     "    return \\%counts;\n}\n",
     "    return {\"a\" => 2, \"b\" => 2};\n}\n", 2},
    {"bash", "#!/bin/bash\n# Add two numbers x and y\nadd() {\n",
     bash_test("add", {"\"0\" \"1\") = \"1\"", "\"2\" \"2\") = \"4\""}),
     "    echo \"adding\" >&2\n    echo $(( $1 + $2 ))\n", "    echo $(( $1 * $2 ))\n", 2},
    {"bash", "#!/bin/bash\n# The words, sorted\nsort_words() {\n",
     bash_test("sort_words", {"\"b a\") = \"a b\"", "\"c\") = \"c\""}),
     "    echo $1 | tr ' ' '\\n' | sort | tr '\\n' ' ' | sed 's/ $//'\n", "    echo \"$1\"\n", 2},
};

// The right answer passes every assert in the harness; the wrong one fails some, each its own.
void expect_one_result_per_assert(Judge& judge, const ScriptTask& t) {
  SCOPED_TRACE(t.prompt);
  const Submission right_record =
      testing::humaneval_record(t.language, t.prompt, t.right, t.test, "unused");
  ASSERT_TRUE(right_record.harness.has_value());
  auto right = judge.run(right_record);
  EXPECT_EQ(right.verdict, Verdict::Accepted) << right.message;
  EXPECT_EQ(right.passed, t.asserts);
  auto wrong =
      judge.run(testing::humaneval_record(t.language, t.prompt, t.wrong, t.test, "unused"));
  EXPECT_EQ(wrong.verdict, Verdict::WrongAnswer) << wrong.message;
  EXPECT_EQ(wrong.total, t.asserts);
  EXPECT_GT(wrong.passed, 0u) << "each wrong answer here passes one assert";
  EXPECT_LT(wrong.passed, t.asserts);
}

TEST(MultiPLEScripts, AssertsRunApartFromTheAnswerOneResultEach) {
  Judge judge(testing::shared_sandbox());
  for (const auto& t : kScriptTasks) expect_one_result_per_assert(judge, t);
}

std::string rust_test(const std::string& name, const std::vector<std::string>& asserts) {
  std::string t = "}\n\nfn main() {\n    let candidate = " + name + ";\n";
  for (const auto& a : asserts) t += "    assert_eq!(" + a + ");\n";
  return t + "}\n";
}

// MultiPL-E's Rust: each assert_eq! one item, the expected value typed by the prompt's signature
// (`vec![]`, `None` and `HashMap::from([])` compile on their own there).
const ScriptTask kRustTasks[] = {
    {"rust", "fn sum_product(numbers: Vec<isize>) -> (isize, isize) {\n",
     rust_test("sum_product", {"candidate(vec![]), (0, 1)", "candidate(vec![3, 5, 7]), (15, 105)"}),
     "    println!(\"working\");\n    (numbers.iter().sum(), numbers.iter().product())\n",
     "    (numbers.iter().sum(), numbers.iter().sum::<isize>() + 1)\n", 2},
    // The same counts in another order; an empty map.
    {"rust",
     "use std::collections::HashMap;\n\nfn histogram(test: String) -> HashMap<String, isize> "
     "{\n",
     rust_test("histogram",
               {"candidate(String::from(\"a b b a\")), HashMap::from([(String::from(\"a\"), 2), "
                "(String::from(\"b\"), 2)])",
                "candidate(String::from(\"\")), HashMap::from([])"}),
     "    let mut counts = HashMap::new();\n"
     "    for w in test.split_whitespace().rev() { *counts.entry(w.to_string()).or_insert(0) += 1; "
     "}\n    counts\n",
     "    HashMap::from([(String::from(\"a\"), 2), (String::from(\"b\"), 2)])\n", 2},
    // -0.0 == 0.0, as assert_eq! says.
    {"rust", "fn truncate_number(number: f64) -> f64 {\n",
     rust_test("truncate_number", {"candidate(3.5), 0.5", "candidate(-2.0), 0.0"}),
     "    number.fract()\n", "    0.5 + number * 0.0\n", 2},
    {"rust", "fn longest(strings: Vec<String>) -> Option<String> {\n",
     rust_test("longest", {"candidate(vec![]), None",
                           "candidate(vec![String::from(\"x\"), String::from(\"yyy\")]), "
                           "Some(String::from(\"yyy\"))"}),
     "    strings.into_iter().fold(None, |best: Option<String>, s| match best {\n"
     "        Some(b) if b.len() >= s.len() => Some(b),\n        _ => Some(s),\n    })\n",
     "    strings.first().cloned()\n", 2},
};

TEST(MultiPLERust, AssertsRunApartFromTheAnswerOneResultEach) {
  Judge judge(testing::shared_sandbox());
  for (const auto& t : kRustTasks) expect_one_result_per_assert(judge, t);
}

// A panic fails its own assert (RuntimeError naming it) and the next assert still runs; an exit
// leaves the asserts after it without a result (RuntimeError), never a pass.
TEST(MultiPLERust, APanicFailsItsOwnAssertAndAnExitTheRest) {
  const std::string prompt = "fn half(x: isize) -> isize {\n";
  const std::string test =
      rust_test("half", {"candidate(2), 1", "candidate(3), 1", "candidate(4), 2"});
  Judge judge(testing::shared_sandbox());
  auto panics = judge.run(testing::humaneval_record(
      "rust", prompt, "    if x % 2 == 1 { panic!(\"odd input {}\", x); }\n    x / 2\n", test,
      "unused"));
  ASSERT_EQ(panics.tests.size(), 3u);
  EXPECT_EQ(panics.passed, 2u);
  EXPECT_EQ(panics.tests[1].verdict, Verdict::RuntimeError);
  EXPECT_NE(panics.tests[1].message.find("odd input 3"), std::string::npos)
      << panics.tests[1].message;
  auto exits = judge.run(testing::humaneval_record(
      "rust", prompt, "    if x == 3 { std::process::exit(0); }\n    x / 2\n", test, "unused"));
  ASSERT_EQ(exits.tests.size(), 3u);
  EXPECT_EQ(exits.passed, 1u);
  EXPECT_EQ(exits.tests[1].verdict, Verdict::RuntimeError);
  EXPECT_EQ(exits.tests[2].verdict, Verdict::RuntimeError);
}

std::string go_prompt(const std::string& name, const std::string& signature) {
  return "package " + name + "_test\n\nimport (\n    \"testing\"\n    \"fmt\"\n)\n\n" + signature;
}

std::string go_table_test(const std::string& name, const std::vector<std::string>& entries) {
  std::string t = "func Test" + name + "(t *testing.T) {\n  candidate := " + name +
                  "\n\ttype test struct {\n\t\tactual   interface{}\n\t\texpected interface{}\n"
                  "\t}\n   tests := []test{\n";
  for (const auto& e : entries) t += "     { actual: " + e + " },\n";
  return t +
         "   }\n\n\tfor i, tc := range tests {\n"
         "\t\tt.Run(fmt.Sprintf(\"test num % d\", i), func(t *testing.T) {\n"
         "\t\t\tif fmt.Sprintf(\"%v\", tc.actual) != fmt.Sprintf(\"%v\", tc.expected) {\n"
         "\t\t\t\tt.Errorf(\"expected '%s', got '%s'\", tc.expected, tc.actual)\n"
         "\t\t\t}\n\t\t})\n\t}\n}\n";
}

// MultiPL-E's Go: each entry of the test's table one item, compared by its %v text as the test
// compares it (a map's in key order, 3.0 as 3).
const ScriptTask kGoTasks[] = {
    {"go", go_prompt("sum_product", "func sum_product(numbers []int) []int {\n"),
     go_table_test("sum_product", {"candidate([]int{}), expected: []int{0, 1}",
                                   "candidate([]int{3, 5, 7}), expected: []int{15, 105}"}),
     "    fmt.Println(\"working\")\n    s, p := 0, 1\n"
     "    for _, x := range numbers { s += x; p *= x }\n    return []int{s, p}\n}\n",
     "    s, p := 0, 1\n    for _, x := range numbers { s += x; p += x }\n"
     "    return []int{s, p}\n}\n",
     2},
    {"go", go_prompt("histogram", "func histogram(test string) map[string]int {\n"),
     go_table_test("histogram", {"candidate(\"b a b a\"), expected: map[string]int{\"a\": 2, "
                                 "\"b\": 2}",
                                 "candidate(\"\"), expected: map[string]int{}"}),
     "    counts := map[string]int{}\n    word := \"\"\n"
     "    for _, c := range test + \" \" {\n"
     "        if c == ' ' { if word != \"\" { counts[word]++ }; word = \"\" } else { word += "
     "string(c) }\n    }\n    return counts\n}\n",
     "    return map[string]int{\"a\": 2, \"b\": 2}\n}\n", 2},
    {"go", go_prompt("truncate_number", "func truncate_number(number float64) float64 {\n"),
     go_table_test("truncate_number",
                   {"candidate(3.5), expected: 0.5", "candidate(2.0), expected: 0.0"}),
     "    return number - float64(int(number))\n}\n", "    return 0.5\n}\n", 2},
};

TEST(MultiPLEGo, TableEntriesRunApartFromTheAnswerOneResultEach) {
  Judge judge(testing::shared_sandbox());
  for (const auto& t : kGoTasks) expect_one_result_per_assert(judge, t);
}

// A panic fails its own entry and the next still runs; the runner's summary printed by the
// answer is nothing.
TEST(MultiPLEGo, APanicFailsItsOwnEntry) {
  const std::string prompt = go_prompt("half", "func half(x int) int {\n");
  const std::string test = go_table_test(
      "half",
      {"candidate(2), expected: 1", "candidate(3), expected: 1", "candidate(4), expected: 2"});
  Judge judge(testing::shared_sandbox());
  auto r = judge.run(testing::humaneval_record(
      "go", prompt,
      "    fmt.Println(\"PASS\")\n    if x % 2 == 1 { panic(fmt.Sprint(\"odd input \", x)) }\n"
      "    return x / 2\n}\n",
      test, "unused"));
  ASSERT_EQ(r.tests.size(), 3u);
  EXPECT_EQ(r.passed, 2u);
  EXPECT_EQ(r.tests[1].verdict, Verdict::RuntimeError);
  EXPECT_NE(r.tests[1].message.find("odd input 3"), std::string::npos) << r.tests[1].message;
}

}  // namespace
}  // namespace crucible::sandbox::judge
