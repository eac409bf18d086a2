// HumanEval-X records (CodeGeeX's multilingual HumanEval) in the shapes its data files ship:
// HumanEval/53 ("add") in each language, as prompt, declaration and test, with the canonical
// answer, a wrong one and one that ends the process early (Go's, which can import nothing of
// its own, prints the runner's verdict instead). Before, every such record was
// refused (no entry_point), and a JavaScript test's console.assert could not fail.
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

struct Task {
  const char* task_id;
  json record;  // prompt, declaration, test (and Go's import and test_setup)
  std::string right, wrong, exits;
};

std::vector<Task> tasks() {
  return {
      {"CPP/53",
       {{"prompt",
         "/*\nAdd two numbers x and y\n*/\n#include<stdio.h>\n#include<stdlib.h>\n"
         "using namespace std;\nint add(int x,int y){\n"},
        {"declaration",
         "#include<stdio.h>\n#include<stdlib.h>\nusing namespace std;\n"
         "int add(int x,int y){\n"},
        {"test",
         "#undef NDEBUG\n#include<assert.h>\nint main(){\n    assert (add(0, 1) == 1);\n"
         "    assert (add(5, 7) == 12);\n}\n"}},
       "    return x+y;\n}\n",
       "    return x*y;\n}\n",
       "    exit(0);\n}\n"},
      {"Java/53",
       {{"prompt",
         "import java.util.*;\nimport java.lang.*;\n\nclass Solution {\n    /**\n"
         "    Add two numbers x and y\n     */\n    public int add(int x, int y) {\n"},
        {"declaration",
         "import java.util.*;\nimport java.lang.*;\n\nclass Solution {\n"
         "    public int add(int x, int y) {\n"},
        {"test",
         "public class Main {\n    public static void main(String[] args) {\n"
         "        Solution s = new Solution();\n        List<Boolean> correct = "
         "Arrays.asList(\n                s.add(0, 1) == 1,\n"
         "                s.add(5, 7) == 12\n        );\n"
         "        if (correct.contains(false)) {\n"
         "            throw new AssertionError();\n        }\n    }\n}"}},
       "        return x + y;\n    }\n}",
       "        return x * y;\n    }\n}",
       "        System.exit(0);\n        return 0;\n    }\n}"},
      {"JavaScript/53",
       {{"prompt", "/*Add two numbers x and y\n  */\nconst add = (x, y) => {\n"},
        {"declaration", "\nconst add = (x, y) => {\n"},
        {"test",
         "const testAdd = () => {\n  console.assert(add(0, 1) === 1)\n"
         "  console.assert(add(5, 7) === 12)\n}\n\ntestAdd()\n"}},
       "  return x + y;\n};\n",
       "  return x * y;\n};\n",
       "  process.exit(0);\n};\n"},
      {"Python/53",
       {{"prompt", "\n\ndef add(x: int, y: int):\n    \"\"\"Add two numbers x and y\"\"\"\n"},
        {"declaration", "def add(x: int, y: int):\n"},
        {"test",
         "\n\nMETADATA = {}\n\n\ndef check(add):\n    assert add(0, 1) == 1\n"
         "    assert add(5, 7) == 12\n\ncheck(add)\n"}},
       "    return x + y\n",
       "    return x * y\n",
       "    import os; os._exit(0)\n"},
      {"Go/53",
       {{"prompt",
         "import (\n    \"math\"\n)\n\n// Add two numbers x and y\n"
         "func Add(x int, y int) int {\n"},
        {"import", "import (\n    \"math\"\n)\n"},
        {"declaration", "\nfunc Add(x int, y int) int {\n"},
        {"test_setup",
         "package main\n\nimport (\n    \"testing\"\n"
         "    \"github.com/stretchr/testify/assert\"\n)\n"},
        {"test",
         "func TestAdd(t *testing.T) {\n    assert := assert.New(t)\n"
         "    assert.Equal(1, Add(0, 1))\n"
         "    assert.Equal(12, Add(\n        5,\n        7,\n    ), \"5 + 7\") // over "
         "lines\n}\n"}},
       "    return int(math.Abs(float64(x + y)))\n}\n",
       "    return x * y\n}\n",
       "    fmt.Println(\"PASS\")\n    return 0\n}\n"},
  };
}

TEST(HumanEvalX, RecordsInEachLanguageJudgeAsCodeGeeXRunsThem) {
  Judge judge(testing::shared_sandbox());
  for (const auto& t : tasks()) {
    SCOPED_TRACE(t.task_id);
    auto submission = [&](const char* key, const std::string& answer) {
      json r = t.record;
      r["task_id"] = t.task_id;
      r[key] = answer;
      Record rec = record_from_json(r);
      EXPECT_EQ(rec.format, "humaneval-x");
      return rec.submission;
    };
    auto right = judge.run(submission("canonical_solution", t.right));
    EXPECT_EQ(right.verdict, Verdict::Accepted) << right.message << right.compile.compile_output;
    auto wrong = judge.run(submission("generation", t.wrong));
    EXPECT_NE(wrong.verdict, Verdict::Accepted) << wrong.message;
    EXPECT_NE(wrong.verdict, Verdict::CompileError) << wrong.compile.compile_output;
    auto exits = judge.run(submission("generation", t.exits));
    EXPECT_NE(exits.verdict, Verdict::Accepted) << exits.message;
  }
}

// `record` with `answer` as its generation, read into a harness and judged.
JudgeResult judged_in_harness(Judge& judge, json record, const std::string& answer) {
  record["generation"] = answer;
  const Submission s = record_from_json(record).submission;
  EXPECT_TRUE(s.harness.has_value()) << record["task_id"];
  return judge.run(s);
}

// Go's assert.Equal lines run in the Go value harness: one result per assert (one spanning lines
// and carrying a message too), and an answer that prints the runner's summary from a TestMain of
// its own gets nothing.
TEST(HumanEvalX, GosAssertsRunApartFromTheAnswer) {
  json record = tasks().back().record;
  ASSERT_EQ(record["test_setup"].get<std::string>().find("package main"), 0u);
  record["task_id"] = "Go/53";
  Judge judge(testing::shared_sandbox());
  auto judged = [&](const std::string& answer) { return judged_in_harness(judge, record, answer); };
  auto right = judged("    return int(math.Abs(float64(x + y)))\n}\n");
  EXPECT_EQ(right.verdict, Verdict::Accepted) << right.message;
  EXPECT_EQ(right.passed, 2u);
  auto half = judged("    if x == 0 { return 1 }\n    return 0\n}\n");
  EXPECT_EQ(half.verdict, Verdict::WrongAnswer) << half.message;
  EXPECT_EQ(half.passed, 1u);
  auto summary =
      judged("    return 0\n}\n\nfunc TestMain(m *testing.M) {\n    fmt.Println(\"PASS\")\n}\n");
  EXPECT_NE(summary.verdict, Verdict::Accepted) << summary.message;
  EXPECT_EQ(summary.passed, 0u);
}

// C++'s asserts run in the C++ function-call harness: one result per assert where main holds only
// asserts, one for the whole of a main with loops; an entry point named like a C library function
// (HumanEval-X's strlen) and a map given as a braced list of pairs reach the answer as they would
// in one program.
TEST(HumanEvalX, CppsAssertsRunApartFromTheAnswer) {
  Judge judge(testing::shared_sandbox());
  json add = tasks().front().record;
  add["task_id"] = "CPP/53";
  auto right = judged_in_harness(judge, add, "    return x+y;\n}\n");
  EXPECT_EQ(right.verdict, Verdict::Accepted) << right.message << right.compile.compile_output;
  EXPECT_EQ(right.passed, 2u);
  auto half = judged_in_harness(judge, add, "    return x == 0 ? 1 : 0;\n}\n");
  EXPECT_EQ(half.verdict, Verdict::WrongAnswer) << half.message;
  EXPECT_EQ(half.passed, 1u);

  const std::string strlen_declaration =
      "#include<stdio.h>\n#include<string>\nusing namespace std;\nint strlen(string str){\n";
  const json length = {{"task_id", "CPP/23"},
                       {"prompt", "/*\nReturn length of given string\n*/\n" + strlen_declaration},
                       {"declaration", strlen_declaration},
                       {"test",
                        "#undef NDEBUG\n#include<assert.h>\nint main(){\n"
                        "    assert (strlen(\"\") == 0);\n    for (int i=1;i<4;i++)\n"
                        "        assert (strlen(string(i, 'x')) == i);\n}\n"}};
  auto counted = judged_in_harness(judge, length, "    return str.length();\n}\n");
  EXPECT_EQ(counted.verdict, Verdict::Accepted)
      << counted.message << counted.compile.compile_output;
  EXPECT_EQ(counted.tests.size(), 1u) << "a main with a loop is one item";
  auto constant = judged_in_harness(judge, length, "    return 1;\n}\n");
  EXPECT_EQ(constant.verdict, Verdict::WrongAnswer) << constant.message;

  const std::string keys_declaration =
      "#include<map>\n#include<string>\nusing namespace std;\n"
      "int count_keys(map<string,string> dict){\n";
  const json keys = {{"task_id", "CPP/95"},
                     {"prompt", keys_declaration},
                     {"declaration", keys_declaration},
                     {"test",
                      "#undef NDEBUG\n#include<assert.h>\nint main(){\n"
                      "    assert (count_keys({{\"p\",\"pineapple\"}, {\"b\",\"banana\"}}) == 2);\n"
                      "    assert (count_keys({}) == 0);\n}\n"}};
  auto size = judged_in_harness(judge, keys, "    return dict.size();\n}\n");
  EXPECT_EQ(size.verdict, Verdict::Accepted) << size.message << size.compile.compile_output;
  EXPECT_EQ(size.passed, 2u);
}

// Java's list of checks runs in the Java value harness: a returned list whose equals is always
// true (Accepted as one program) fails the check whose value differs, and each check has a result.
TEST(HumanEvalX, JavasChecksRunApartFromTheAnswer) {
  json record = {
      {"task_id", "Java/900"},
      {"prompt",
       "import java.util.*;\nimport java.lang.*;\n\nclass Solution {\n"
       "    public List<Integer> evens(int n) {\n"},
      {"declaration",
       "import java.util.*;\nimport java.lang.*;\n\nclass Solution {\n"
       "    public List<Integer> evens(int n) {\n"},
      {"test",
       "public class Main {\n    public static void main(String[] args) {\n"
       "        Solution s = new Solution();\n        List<Boolean> correct = Arrays.asList(\n"
       "                s.evens(4).equals(Arrays.asList(2, 4)),\n"
       "                s.evens(1).isEmpty(),\n                !s.evens(2).isEmpty(),\n"
       "                (int) s.evens(4).size() == 2\n        );\n"
       "        if (correct.contains(false)) {\n"
       "            throw new AssertionError();\n        }\n    }\n}"}};
  Judge judge(testing::shared_sandbox());
  auto judged = [&](const std::string& answer) { return judged_in_harness(judge, record, answer); };
  auto right = judged(
      "        List<Integer> out = new ArrayList<>();\n"
      "        for (int i = 2; i <= n; i += 2) out.add(i);\n        return out;\n    }\n}\n");
  EXPECT_EQ(right.verdict, Verdict::Accepted) << right.message << right.compile.compile_output;
  EXPECT_EQ(right.passed, 4u);
  // Empty where the test asks isEmpty(), else a list equal to anything: Accepted as one program.
  auto always_equal = judged(
      "        if (n < 2) return new ArrayList<>();\n"
      "        List<Integer> out = new ArrayList<Integer>() {\n"
      "            public boolean equals(Object o) { return true; }\n        };\n"
      "        out.add(0);\n        return out;\n    }\n}\n");
  EXPECT_EQ(always_equal.verdict, Verdict::WrongAnswer) << always_equal.message;
  EXPECT_EQ(always_equal.passed, 2u) << "the equals check is compared in the judge";
}

// Float checks within a tolerance (HumanEval-X's TruncateNumber, in Go and Java) compare the
// answer's value with the expected one in the judge: a value off by less than the tolerance
// passes them and fails the exact check beside them, one off by more fails; a Go answer that
// does not use math (the test's checks do) still compiles.
TEST(HumanEvalX, FloatChecksCompareWithinTheirTolerance) {
  const json go = {
      {"task_id", "Go/2"},
      {"prompt", "import (\n    \"math\"\n)\n\nfunc TruncateNumber(number float64) float64 {\n"},
      {"import", "import (\n    \"math\"\n)\n"},
      {"declaration", "\nfunc TruncateNumber(number float64) float64 {\n"},
      {"test_setup",
       "package main\n\nimport (\n    \"testing\"\n"
       "    \"github.com/stretchr/testify/assert\"\n)\n"},
      {"test",
       "func TestTruncateNumber(t *testing.T) {\n    assert := assert.New(t)\n"
       "    assert.Equal(0.5, TruncateNumber(3.5))\n"
       "    assert.Equal(true, math.Abs(TruncateNumber(1.33)-0.33) < 1e-6)\n"
       "    assert.Equal(true, math.Abs(TruncateNumber(123.456)-0.456) < 1e-6)\n}\n"}};
  const json java = {
      {"task_id", "Java/2"},
      {"prompt", testing::kHumanEvalXJava2Prompt},
      {"declaration", testing::kHumanEvalXJava2Prompt},
      {"test",
       "public class Main {\n    public static void main(String[] args) {\n"
       "        Solution s = new Solution();\n        List<Boolean> correct = Arrays.asList(\n"
       "            s.truncateNumber(3.5) == 0.5,\n"
       "            Math.abs(s.truncateNumber(1.33) - 0.33) < 1e-6,\n"
       "            Math.abs(s.truncateNumber(123.456) - 0.456) < 1e-6\n        );\n"
       "        if (correct.contains(false)) {\n            throw new AssertionError();\n"
       "        }\n    }\n}"}};
  Judge judge(testing::shared_sandbox());
  struct Case {
    const json* record;
    std::string body;  // returns `expression`
  };
  for (const Case& c :
       {Case{&go, "    return %s\n}\n"}, Case{&java, "        return %s;\n    }\n}"}}) {
    const bool is_go = c.record == &go;
    SCOPED_TRACE((*c.record)["task_id"].get<std::string>());
    auto answer = [&](const std::string& expression) {
      std::string a = c.body;
      return a.replace(a.find("%s"), 2, expression);
    };
    const std::string fraction = is_go ? "number - float64(int(number))" : "number % 1.0";
    auto right = judged_in_harness(judge, *c.record, answer(fraction));
    EXPECT_EQ(right.verdict, Verdict::Accepted) << right.message << right.compile.compile_output;
    EXPECT_EQ(right.passed, 3u);
    auto near = judged_in_harness(judge, *c.record, answer(fraction + " + 1e-8"));
    EXPECT_EQ(near.verdict, Verdict::WrongAnswer) << near.message;
    EXPECT_EQ(near.passed, 2u) << "within 1e-6 of 0.33 and 0.456, not exactly 0.5";
    auto off = judged_in_harness(judge, *c.record, answer(fraction + " + 1e-5"));
    EXPECT_EQ(off.verdict, Verdict::WrongAnswer) << off.message;
    EXPECT_EQ(off.passed, 0u);
    ASSERT_EQ(off.tests.size(), 3u);
    EXPECT_NE(off.tests[1].message.find("within 1e-06"), std::string::npos) << off.tests[1].message;
  }
}

TEST(HumanEvalX, RustAndUnknownLanguagesAreRefusedByName) {
  const json base = {{"prompt", "fn add(x: i32, y: i32) -> i32 {\n"},
                     {"declaration", "fn add(x: i32, y: i32) -> i32 {\n"},
                     {"test", "#[cfg(test)]\nmod tests {}\n"},
                     {"canonical_solution", "x + y\n}\n"}};
  auto expect_refused = [&](const char* task_id, const std::string& mentions) {
    json r = base;
    r["task_id"] = task_id;
    try {
      record_from_json(r);
      ADD_FAILURE() << task_id << " was accepted";
    } catch (const InvalidRequest& e) {
      EXPECT_NE(std::string(e.what()).find(mentions), std::string::npos) << e.what();
    }
  };
  expect_refused("Rust/53", "crates");
  expect_refused("COBOL/53", "'COBOL'");
}

}  // namespace
}  // namespace crucible::sandbox::judge
