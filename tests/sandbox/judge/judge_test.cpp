// The judge end to end through the real jail: stdin/stdout tests, checkers, harnesses,
// and the tricks a reward-hacking program would try against each.
#include "sandbox/judge/judge.hpp"
#include "sandbox/judge/feedback.hpp"
#include "sandbox/judge/formats.hpp"
#include "tests/support/humaneval_record.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::sandbox::judge {
namespace {

using nlohmann::json;
using testing::shared_sandbox;

JudgeResult judge(const json& request) {
  return Judge(shared_sandbox()).run(Submission::from_json(request));
}

const char* kSum =
    "#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a+b<<\"\\n\";}";
const char* kSumWrongOnZero =
    "#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<(a==0?-1:a+b)<<\"\\n\";}";

json sum_tests() {
  return json::array({{{"input", "1 2\n"}, {"output", "3\n"}},
                      {{"input", "0 5\n"}, {"output", "5\n"}},
                      {{"input", "10 20\n"}, {"output", "30"}}});
}

TEST(JudgeIo, AllPass) {
  auto r = judge({{"language", "cpp"}, {"source", kSum}, {"tests", sum_tests()}});
  EXPECT_EQ(r.verdict, Verdict::Accepted) << r.message;
  EXPECT_EQ(r.passed, 3u);
  EXPECT_EQ(r.total, 3u);
  EXPECT_DOUBLE_EQ(r.score, 1.0);
  EXPECT_FALSE(r.first_failure.has_value());
}

TEST(JudgeIo, StopsAtFirstFailureWithDetails) {
  auto r = judge({{"language", "cpp"}, {"source", kSumWrongOnZero}, {"tests", sum_tests()}});
  EXPECT_EQ(r.verdict, Verdict::WrongAnswer);
  ASSERT_EQ(r.tests.size(), 2u);  // the third never ran
  EXPECT_EQ(r.first_failure, 1u);
  EXPECT_EQ(r.tests[1].input, "0 5\n");
  EXPECT_EQ(r.tests[1].expected, "5\n");
  EXPECT_EQ(r.tests[1].actual, "-1\n");
  EXPECT_NE(r.tests[1].message.find("expected '5', got '-1'"), std::string::npos);
  EXPECT_DOUBLE_EQ(r.score, 1.0 / 3);
}

TEST(JudgeIo, RunAllGivesAGradedScore) {
  auto r = judge({{"language", "cpp"},
                  {"source", kSumWrongOnZero},
                  {"tests", sum_tests()},
                  {"options", {{"stop_on_first_failure", false}}}});
  EXPECT_EQ(r.tests.size(), 3u);
  EXPECT_EQ(r.passed, 2u);
  EXPECT_DOUBLE_EQ(r.score, 2.0 / 3);
  json j = r;
  EXPECT_EQ(j["verdict"], "WrongAnswer");
  EXPECT_EQ(j["first_failure"], 1);
  EXPECT_FALSE(j["tests"][0].contains("expected")) << "passing tests carry no payload";
}

TEST(JudgeIo, CompileErrorComesWithDiagnostics) {
  auto r = judge(
      {{"language", "c"}, {"source", "int main(void){ return nope; }"}, {"tests", sum_tests()}});
  EXPECT_EQ(r.verdict, Verdict::CompileError);
  json j = r;
  ASSERT_FALSE(j["compile"]["diagnostics"].empty());
  EXPECT_EQ(j["compile"]["diagnostics"][0]["line"], 1);
  EXPECT_EQ(j["score"], 0.0);
}

TEST(JudgeIo, LimitVerdictsPropagate) {
  auto r = judge({{"language", "python3"},
                  {"source", "while True: pass"},
                  {"tests", json::array({{{"input", ""}, {"output", "x"}}})},
                  {"limits", {{"cpu_seconds", 0.5}, {"wall_seconds", 2}}}});
  EXPECT_EQ(r.verdict, Verdict::TimeLimit);
}

TEST(JudgeIo, FloatComparator) {
  json req = {{"language", "python3"},
              {"source", "print(1/3)"},
              {"tests", json::array({{{"input", ""}, {"output", "0.333333"}}})}};
  EXPECT_EQ(judge(req).verdict, Verdict::WrongAnswer);
  req["options"] = {{"compare", {{"comparator", "float"}, {"abs_tol", 1e-5}}}};
  EXPECT_EQ(judge(req).verdict, Verdict::Accepted);
}

TEST(JudgeIo, ExpectedOutputNeverEntersTheJail) {
  // The program looks everywhere it could for the expected answer.
  auto r = judge({{"language", "python3"},
                  {"source",
                   "import os\nfound=[]\nfor root in ['/box','/work','/tmp','/data']:\n"
                   "  for d,_,fs in os.walk(root):\n    for f in fs:\n"
                   "      try:\n        if 'SECRET-' + 'EXPECTED' in "
                   "open(os.path.join(d,f)).read(): found.append(f)\n"
                   "      except Exception: pass\nprint(found)"},
                  {"tests", json::array({{{"input", ""}, {"output", "SECRET-EXPECTED"}}})}});
  ASSERT_EQ(r.tests.size(), 1u);
  EXPECT_EQ(r.tests[0].actual, "[]\n");
}

TEST(JudgeChecker, AcceptsAndRejectsThroughTheChecker) {
  const char* checker =
      "import sys\nexp=int(open(sys.argv[2]).read()); got=int(open(sys.argv[3]).read())\n"
      "if abs(exp-got)<=1: print('ok within 1'); sys.exit(0)\nprint('off by', got-exp); "
      "sys.exit(1)";
  json req = {{"language", "python3"},
              {"source", "print(int(input())+1)"},
              {"tests", json::array({{{"input", "5\n"}, {"output", "5"}},
                                     {{"input", "5\n"}, {"output", "9"}}})},
              {"checker", {{"language", "python3"}, {"source", checker}}},
              {"options", {{"stop_on_first_failure", false}}}};
  auto r = judge(req);
  ASSERT_EQ(r.tests.size(), 2u);
  EXPECT_EQ(r.tests[0].verdict, Verdict::Accepted) << r.tests[0].message;
  EXPECT_EQ(r.tests[0].message, "ok within 1\n");
  EXPECT_EQ(r.tests[1].verdict, Verdict::WrongAnswer);
  EXPECT_NE(r.tests[1].message.find("off by -3"), std::string::npos);
}

TEST(JudgeChecker, BrokenCheckerIsASandboxErrorNotAProgramFault) {
  auto r = judge({{"language", "python3"},
                  {"source", "print(1)"},
                  {"tests", json::array({{{"input", ""}, {"output", "1"}}})},
                  {"checker", {{"language", "python3"}, {"source", "import sys\nsys.exit(3)"}}}});
  EXPECT_EQ(r.verdict, Verdict::SandboxError)
      << "testlib's FAIL (exit 3) is the checker's own failure";
  auto crashed =
      judge({{"language", "python3"},
             {"source", "print(1)"},
             {"tests", json::array({{{"input", ""}, {"output", "1"}}})},
             {"checker", {{"language", "python3"}, {"source", "import os\nos.abort()"}}}});
  EXPECT_EQ(crashed.verdict, Verdict::SandboxError);
  auto r2 = judge({{"language", "python3"},
                   {"source", "print(1)"},
                   {"tests", json::array({{{"input", ""}, {"output", "1"}}})},
                   {"checker", {{"language", "c"}, {"source", "int main( {"}}}});
  EXPECT_EQ(r2.verdict, Verdict::SandboxError);
  EXPECT_NE(r2.message.find("checker does not compile"), std::string::npos);
}

// ---- function-call harnesses ----

json humaneval(const std::string& language, const std::string& source,
               std::vector<std::string> items, const std::string& entry = "add") {
  return {{"language", language},
          {"source", source},
          {"harness", {{"entry_point", entry}, {"tests", items}}}};
}

const std::vector<std::string> kPyAddTests = {
    "assert candidate(1, 2) == 3", "assert candidate(-1, 1) == 0", "assert add(2, 2) == 4"};

TEST(HarnessPython, CorrectPassesWrongFails) {
  auto ok = judge(humaneval("python3", "def add(a, b):\n    return a + b\n", kPyAddTests));
  EXPECT_EQ(ok.verdict, Verdict::Accepted) << ok.message;
  EXPECT_EQ(ok.passed, 3u);
  auto bad = judge(humaneval("python3", "def add(a, b):\n    return a - b\n", kPyAddTests));
  EXPECT_EQ(bad.verdict, Verdict::WrongAnswer);
  EXPECT_EQ(bad.passed, 0u);  // 1 - 2, -1 - 1 and 2 - 2 are all wrong
}

TEST(HarnessPython, AutoDetectsTheCandidatesLanguage) {
  auto r = judge(humaneval("auto", "def add(a, b):\n    return a + b\n", kPyAddTests));
  EXPECT_EQ(r.language, "python3");
  EXPECT_EQ(r.verdict, Verdict::Accepted) << r.message;
}

TEST(HarnessPython, HumanEvalCheckFunctionShape) {
  json req = {{"language", "python3"},
              {"source", "def add(a, b):\n    return a + b\n"},
              {"harness",
               {{"entry_point", "add"},
                {"setup",
                 "def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(0, "
                 "0) == 0\n"},
                {"tests", {"check(candidate)"}}}}};
  EXPECT_EQ(judge(req).verdict, Verdict::Accepted);
}

TEST(HarnessPython, MbppStyleNamesWithoutEntryPoint) {
  json req = {
      {"language", "python3"},
      {"source", "def square(x):\n    return x * x\n\ndef cube(x):\n    return x ** 3\n"},
      {"harness",
       {{"setup", "import math"}, {"tests", {"assert square(3) == 9", "assert cube(2) == 8"}}}}};
  auto r = judge(req);
  EXPECT_EQ(r.verdict, Verdict::Accepted) << r.message;
}

struct Trick {
  const char* name;
  const char* source;
};

// Each trick must not pass: the function itself is wrong or absent in all of them.
TEST(HarnessPython, TricksNeverPass) {
  const Trick tricks[] = {
      {"sys.exit at import", "import sys\nsys.exit(0)\ndef add(a, b): return 0\n"},
      {"os._exit inside the call", "import os\ndef add(a, b):\n    os._exit(0)\n"},
      {"SystemExit inside the call", "def add(a, b):\n    raise SystemExit(0)\n"},
      {"object equal to everything",
       "class Any:\n    def __eq__(self, o): return True\n    def __ne__(self, o): return False\n"
       "def add(a, b):\n    return Any()\n"},
      {"int subclass equal to everything",
       "class I(int):\n    def __eq__(self, o): return True\ndef add(a, b):\n    return I(0)\n"},
      {"patched builtins",
       "import builtins\nbuiltins.AssertionError = type('X', (Exception,), {})\n"
       "builtins.all = lambda *a: True\ndef add(a, b): return 0\n"},
      {"fake result lines",
       "import sys\nfor i in range(3): print('0' * 32, i, 'pass')\nprint('0'*32, 'done')\n"
       "sys.stdout.flush()\ndef add(a, b): return 0\n"},
      {"steal the nonce from stdin",
       "import os, sys\ndef add(a, b):\n    n = os.read(0, 100).decode().strip()\n"
       "    os.write(1, (n + ' 0 pass\\n' + n + ' 1 pass\\n' + n + ' 2 pass\\n' + n + ' "
       "done\\n').encode())\n"
       "    os._exit(0)\n"},
      {"walk the frames for the nonce",
       "import sys, os\ndef add(a, b):\n    f = sys._getframe()\n    while f:\n"
       "        n = f.f_locals.get('nonce')\n        if n:\n"
       "            os.write(1, (n+' 0 pass\\n'+n+' 1 pass\\n'+n+' 2 pass\\n'+n+' "
       "done\\n').encode()); os._exit(0)\n"
       "        f = f.f_back\n    return 0\n"},
      {"read the parent's memory",
       "import os\ndef add(a, b):\n    try:\n        open('/proc/%d/mem' % os.getppid(), 'rb')\n"
       "        return a + b\n    except OSError:\n        return 0\n"},
      {"kill the parent",
       "import os, signal\ndef add(a, b):\n    os.kill(os.getppid(), signal.SIGKILL)\n"},
  };
  for (const auto& t : tricks) {
    auto r = judge(humaneval("python3", t.source, kPyAddTests));
    EXPECT_NE(r.verdict, Verdict::Accepted) << t.name;
    EXPECT_NE(r.verdict, Verdict::SandboxError) << t.name << ": " << r.message;
    EXPECT_LT(r.passed, 3u) << t.name;
  }
}

const std::vector<std::string> kJsTests = {"assert.strictEqual(candidate(1, 2), 3);",
                                           "assert.deepStrictEqual(add(0, 0), 0);"};

// MBPP's records as published: tests that use the modules the answer imported (task 82's
// `math.isclose`, after the answer's `import math`) failed with NameError for the canonical
// solution.
TEST(HarnessPython, MbppTestsSeeTheModulesTheAnswerImported) {
  auto mbpp = [](const std::string& code) {
    return record_from_json(
               {{"task_id", 82},
                {"text", "Write a function to find the volume of a sphere."},
                {"code", code},
                {"test_list",
                 {"assert math.isclose(volume_sphere(10), 4188.790204786391, rel_tol=0.001)",
                  "assert math.isclose(volume_sphere(25), 65449.84694978735, rel_tol=0.001)",
                  "assert re.sub('a', 'b', 'aa') == 'bb' and os.path.basename('/x/y') == 'y'"}},
                {"test_setup_code", ""},
                {"challenge_test_list", json::array()}})
        .submission;
  };
  Judge judge_records(shared_sandbox());
  auto right = judge_records.run(
      mbpp("import math, re\nimport os.path\n"
           "def volume_sphere(r):\n  volume=(4/3)*math.pi*r*r*r\n  return volume"));
  EXPECT_EQ(right.verdict, Verdict::Accepted) << right.message;
  auto wrong = judge_records.run(mbpp("import math, re, os\ndef volume_sphere(r):\n  return r"));
  EXPECT_EQ(wrong.verdict, Verdict::WrongAnswer) << wrong.message;
  EXPECT_EQ(wrong.passed, 1u);
}

// Tests that expect an exception see the answer's own builtin exception, as in one process.
TEST(HarnessPython, TestsThatExpectAnExceptionSeeIt) {
  const std::vector<std::string> tests = {
      "try:\n    candidate(-1)\n    assert False, 'no error'\nexcept ValueError:\n    pass",
      "try:\n    candidate(0)\nexcept KeyError as e:\n    assert 'zero' in str(e)",
      "assert candidate(2) == 4"};
  auto right = judge(humaneval("python3",
                               "def twice(n):\n"
                               "    if n < 0:\n        raise ValueError('negative')\n"
                               "    if n == 0:\n        raise KeyError('zero')\n"
                               "    return 2 * n\n",
                               tests, "twice"));
  EXPECT_EQ(right.verdict, Verdict::Accepted) << right.message;
  auto wrong =
      judge(humaneval("python3", "def twice(n):\n    raise TypeError('no')\n", tests, "twice"));
  EXPECT_EQ(wrong.passed, 0u) << wrong.message;
}

TEST(HarnessJavaScript, CorrectPassesWrongFails) {
  EXPECT_EQ(
      judge(humaneval("javascript", "function add(a, b) { return a + b; }", kJsTests)).verdict,
      Verdict::Accepted);
  EXPECT_EQ(judge(humaneval("javascript", "const add = (a, b) => a + b;", kJsTests)).verdict,
            Verdict::Accepted);
  EXPECT_EQ(
      judge(humaneval("javascript", "function add(a, b) { return a * b; }", kJsTests)).verdict,
      Verdict::WrongAnswer);
  auto arrays = judge(humaneval("javascript", "function pair(a) { return [a, a]; }",
                                {"assert.deepStrictEqual(candidate(2), [2, 2]);"}, "pair"));
  EXPECT_EQ(arrays.verdict, Verdict::Accepted) << arrays.message;
}

// Answers as models write them: node's own modules through require, CommonJS exports.
TEST(HarnessJavaScript, AnswersThatRequireNodesModulesRun) {
  const struct {
    const char* name;
    const char* source;
    std::vector<std::string> tests;
    const char* entry;
  } answers[] = {
      {"crypto",
       "const crypto = require('crypto');\n"
       "const stringToMd5 = (text) => text === '' ? null : "
       "crypto.createHash('md5').update(text).digest('hex');\n",
       {"assert.strictEqual(candidate('Hello world'), '3e25960a79dbc69b674cd4ec67a72c62');",
        "assert.strictEqual(candidate(''), null);"},
       "stringToMd5"},
      {"assert and util inside the answer",
       "const assert = require('node:assert');\nconst util = require('util');\n"
       "function add(a, b) { assert.ok(util.isDeepStrictEqual([a], [a])); return a + b; }\n",
       kJsTests, "add"},
      {"module.exports of a function", "module.exports = (a, b) => a + b;\n", kJsTests, "add"},
      {"module.exports of an object",
       "function plus(a, b) { return a + b; }\n"
       "module.exports = {add: plus};\n",
       kJsTests, "add"},
  };
  for (const auto& a : answers) {
    auto r = judge(humaneval("javascript", a.source, a.tests, a.entry));
    EXPECT_EQ(r.verdict, Verdict::Accepted) << a.name << ": " << r.message;
  }
  auto missing = judge(humaneval("javascript",
                                 "const _ = require('lodash');\n"
                                 "function add(a, b) { return _.add(a, b); }\n",
                                 kJsTests));
  EXPECT_EQ(missing.verdict, Verdict::RuntimeError);
  EXPECT_NE(missing.message.find("lodash"), std::string::npos) << missing.message;
}

// Records as the public datasets ship them: HumanEval's shape with a check(candidate)
// function, and MultiPL-E's JavaScript translation, whose test begins with `const assert =
// require('node:assert')` and runs its own test() at the end. Both failed for correct answers
// ("check is not defined"; "Identifier 'assert' has already been declared").
TEST(HarnessJavaScript, TestsInTheShapesOfHumanEvalAndMultiPLERun) {
  auto record = [](const std::string& completion, const std::string& test) {
    return testing::humaneval_record(
        "javascript", "//Add two numbers x and y\nfunction add(x, y){\n", completion, test, "add");
  };
  const std::string check =
      "function check(candidate) {\n  assert.deepEqual(candidate(0, 1), 1);\n"
      "  assert.deepEqual(candidate(5, 7), 12);\n}\n";
  const std::string multipl_e =
      "const assert = require('node:assert');\n\n\nfunction test() {\n"
      "  let candidate = add;\n  assert.deepEqual(candidate(0, 1),1);\n"
      "  assert.deepEqual(candidate(5, 7),12);\n}\n\ntest();";
  Judge judge_records(shared_sandbox());
  for (const auto& test : {check, multipl_e}) {
    auto right = judge_records.run(record("  return x + y;\n}\n", test));
    EXPECT_EQ(right.verdict, Verdict::Accepted) << right.message;
    auto wrong = judge_records.run(record("  return x * y;\n}\n", test));
    EXPECT_EQ(wrong.verdict, Verdict::WrongAnswer) << wrong.message;
  }
  // Tests may each declare the same names, call assert as a function and see arrays as arrays.
  auto own = judge(humaneval("javascript", "function pair(a) { return [a, a + 1]; }",
                             {"const r = candidate(1); assert(r instanceof Array);",
                              "const r = pair(2); assert.deepStrictEqual(r, [2, 3]);",
                              "const assert = require('assert'); assert.deepStrictEqual(pair(0), "
                              "[0, 1]);"},
                             "pair"));
  EXPECT_EQ(own.verdict, Verdict::Accepted) << own.message;
}

// MultiPL-E's records in languages without a function-call harness are one program of prompt,
// answer and test that passes by exiting 0, as MultiPL-E runs them (Go's); Java's asserts run in
// the Java value harness, where a failed assert is a wrong answer. Before, Java was refused and
// C++ failed to compile, blaming the answer.
TEST(HumanEvalShape, MultiPLEProgramsInOtherLanguagesPassByExitingZero) {
  struct Shape {
    const char* language;
    std::string prompt, right, wrong, test;
    Verdict wrong_verdict;
  };
  const Shape shapes[] = {
      {"java",
       "import java.util.*;\nimport java.lang.*;\n\nclass Problem {\n"
       "    public static long add(long x, long y) {\n",
       "        return x + y;\n    }\n", "        return x * y;\n    }\n",
       "    public static void main(String[] args) {\n    assert(add((0l), (1l)) == (1l));\n"
       "    assert(add((5l), (7l)) == (12l));\n    }\n\n}\n",
       Verdict::WrongAnswer},
      // Go's is a _test package of Test functions: run with `go test`.
      {"go",
       "package add_test\n\nimport (\n    \"testing\"\n    \"fmt\"\n)\n\n"
       "func add(x int, y int) int {\n",
       "    return x + y\n}\n", "    return x * y\n}\n",
       "func TestAdd(t *testing.T) {\n  candidate := add\n"
       "  for i, tc := range [][2]int{{candidate(0, 1), 1}, {candidate(5, 7), 12}} {\n"
       "    t.Run(fmt.Sprintf(\"test num % d\", i), func(t *testing.T) {\n"
       "      if tc[0] != tc[1] { t.Errorf(\"expected %d, got %d\", tc[1], tc[0]) }\n"
       "    })\n  }\n}\n",
       Verdict::RuntimeError},
  };
  Judge judge_records(shared_sandbox());
  for (const auto& s : shapes) {
    auto record = [&](const std::string& completion) {
      return testing::humaneval_record(s.language, s.prompt, completion, s.test, "add");
    };
    auto right = judge_records.run(record(s.right));
    EXPECT_EQ(right.verdict, Verdict::Accepted) << s.language << ": " << right.message;
    auto wrong = judge_records.run(record(s.wrong));
    EXPECT_EQ(wrong.verdict, s.wrong_verdict) << s.language << ": " << wrong.message;
  }
}

// A Go source that is not package main compiles to no program: a CompileError naming why,
// not a SandboxError from executing an archive.
TEST(Judge, AGoSourceThatIsNotPackageMainIsACompileError) {
  auto r = judge({{"language", "go"},
                  {"source", "package notmain\n\nfunc add(x int) int { return x }\n"},
                  {"tests", {{{"input", ""}, {"output", ""}}}}});
  EXPECT_EQ(r.verdict, Verdict::CompileError) << r.message;
  EXPECT_NE(r.compile.compile_output.find("main package"), std::string::npos)
      << r.compile.compile_output;
}

TEST(HarnessJavaScript, TricksNeverPass) {
  const Trick tricks[] = {
      {"process.exit", "function add(a, b) { process.exit(0); }"},
      {"patch Object.is", "Object.is = () => true; function add(a, b) { return 0; }"},
      {"constructor escape",
       "function add(a, b) { const p = this.constructor.constructor('return process')(); "
       "p.exit(0); }"},
      {"fake lines", "function add(a, b) { console.log('x 0 pass'); return 0; }"},
      {"throw at load", "throw new Error('no'); function add(a, b) { return a + b; }"},
  };
  for (const auto& t : tricks) {
    auto r = judge(humaneval("javascript", t.source, kJsTests));
    EXPECT_NE(r.verdict, Verdict::Accepted) << t.name;
    EXPECT_NE(r.verdict, Verdict::SandboxError) << t.name << ": " << r.message;
  }
}

const std::vector<std::string> kCppTests = {"assert(candidate(1, 2) == 3);",
                                            "assert(add(-1, 1) == 0);"};

TEST(HarnessCpp, CorrectPassesWrongFails) {
  EXPECT_EQ(judge(humaneval("cpp", "int add(int a, int b) { return a + b; }", kCppTests)).verdict,
            Verdict::Accepted);
  EXPECT_EQ(judge(humaneval("cpp", "int add(int a, int b) { return a - b; }", kCppTests)).verdict,
            Verdict::WrongAnswer);
}

// `setup` is the tests' own code at namespace scope (a helper the asserts call, beside an
// #include <assert.h> that would bring back the aborting assert), and `signature` picks the
// answer's function out of an overload set with a C library function of the same name.
TEST(HarnessCpp, SetupHoldsTheTestsHelpersAndASignaturePicksTheAnswersFunction) {
  json request = humaneval("cpp",
                           "#include <string>\nusing namespace std;\n"
                           "int strlen(string s) { return s.size() * 2; }\n",
                           {"assert(strlen(\"ab\") == 4);", "assert(twice(strlen(\"a\")));",
                            "assert(strlen(\"\") == 1);", "assert(strlen(\"x\") == 2);"},
                           "strlen");
  request["harness"]["setup"] = "#include <assert.h>\nbool twice(int n) { return n == 2; }\n";
  request["harness"]["signature"] = "int strlen(string s)";
  auto r = judge(request);
  EXPECT_EQ(r.verdict, Verdict::WrongAnswer) << r.message;
  EXPECT_EQ(r.passed, 3u) << "the failed assert is one result, not an abort of all";
  ASSERT_EQ(r.tests.size(), 4u);
  EXPECT_EQ(r.tests[2].verdict, Verdict::WrongAnswer);
  for (const char* bad : {"int strlen2(string s)", "int strlen(string s) {", "int f(int x = 1)"}) {
    request["harness"]["signature"] = bad;
    try {
      judge(request);
      ADD_FAILURE() << bad << " was taken";
    } catch (const InvalidRequest& e) {
      EXPECT_NE(std::string(e.what()).find("harness.signature"), std::string::npos) << e.what();
    }
  }
  request["harness"]["signature"] = "int strlen(string s)";
  request["language"] = "python3";
  EXPECT_THROW(judge(request), InvalidRequest) << "a signature outside C++ is refused";
}

// Answers often bring a main() that demonstrates the function: it is not the harness's, and
// neither passes nor fails the answer. A compile error still points at the answer's own line.
TEST(HarnessCpp, AnAnswersOwnMainIsSetAside) {
  const char* with_main =
      "#include <iostream>\nint add(int a, int b) { return a + b; }\n"
      "int main(int argc, char** argv) { std::cout << add(1, 2) << std::endl; return 1; }\n";
  auto r = judge(humaneval("cpp", with_main, kCppTests));
  EXPECT_EQ(r.verdict, Verdict::Accepted) << r.message;
  EXPECT_EQ(
      judge(humaneval("cpp", "int add(int a, int b) { return a - b; }\nint main() {}\n", kCppTests))
          .verdict,
      Verdict::WrongAnswer);
  auto broken = judge(humaneval("cpp", "int add(int a, int b) {\n  return a + b\n}\n", kCppTests));
  EXPECT_EQ(broken.verdict, Verdict::CompileError);
  auto diagnostics = parse_diagnostics("compiler", broken.compile.compile_output);
  ASSERT_FALSE(diagnostics.empty()) << broken.compile.compile_output;
  EXPECT_EQ(diagnostics[0].line, 2) << diagnostics[0].message;
}

// An answer that prints while it works, or reads stdin, is judged on its values, as it would
// be in a program of its own: its prints went into the harness's messages ("the candidate
// process ended") and its read waited for the wall limit.
TEST(HarnessCpp, AnAnswersPrintsAndReadsLeaveTheCallsAlone) {
  const char* const kAnswers[] = {
      "#include <iostream>\nint add(int a, int b) { std::cout << \"adding \" << a << std::endl; "
      "return a + b; }\n",
      "#include <cstdio>\nint add(int a, int b) { printf(\"%d\\n\", a); fflush(stdout); "
      "return a + b; }\n",
      "#include <iostream>\n#include <string>\nint add(int a, int b) { std::string s; "
      "std::getline(std::cin, s); return a + b + static_cast<int>(s.size()); }\n",
      "#include <iostream>\nstatic int shown = (std::cout << \"loaded\" << std::endl, 0);\n"
      "int add(int a, int b) { return a + b; }\n",
  };
  for (const char* answer : kAnswers) {
    auto r = judge(humaneval("cpp", answer, kCppTests));
    EXPECT_EQ(r.verdict, Verdict::Accepted) << answer << ": " << r.message;
  }
}

// The candidate runs in its own process: arguments and results cross as plain values, in
// the shapes C++ benchmarks write (braced lists, strings, doubles, maps, pairs, helpers).
TEST(HarnessCpp, PlainValuesCrossBetweenTheTwoPrograms) {
  const char* source =
      "#include <bits/stdc++.h>\nusing namespace std;\n#define int long long\n"
      "vector<int> sorted(vector<int> v) { sort(v.begin(), v.end()); return v; }\n";
  auto r = judge(humaneval("cpp", source,
                           {"assert(candidate({3, 1, 2}) == (std::vector<long>{1, 2, 3}));",
                            "assert(sorted({}).empty());",
                            "auto v = candidate({5, 4}); assert(v[0] == 4 && v.size() == 2);",
                            "std::vector<int> w = candidate({2, 1}); assert(w.back() == 2);"},
                           "sorted"));
  EXPECT_EQ(r.verdict, Verdict::Accepted) << r.message;
  const char* strings =
      "#include <string>\n#include <map>\n#include <cmath>\n"
      "std::string rev(std::string s) { return std::string(s.rbegin(), s.rend()); }\n"
      "std::map<std::string, int> count(const std::string& s) { std::map<std::string, int> m; "
      "for (char c : s) m[std::string(1, c)]++; return m; }\n"
      "double root(double x) { return std::sqrt(x); }\n"
      "std::pair<int, std::string> both(int a) { return {a, std::to_string(a)}; }\n";
  EXPECT_EQ(
      judge(humaneval("cpp", strings, {"assert(candidate(\"abc\") == \"cba\");"}, "rev")).verdict,
      Verdict::Accepted);
  EXPECT_EQ(judge(humaneval("cpp", strings,
                            {"assert((candidate(\"aab\") == std::map<std::string, int>{{\"a\", 2}, "
                             "{\"b\", 1}}));"},
                            "count"))
                .verdict,
            Verdict::Accepted);
  EXPECT_EQ(
      judge(humaneval("cpp", strings, {"assert(abs(candidate(2.0) - 1.41421356) < 1e-6);"}, "root"))
          .verdict,
      Verdict::Accepted);
  EXPECT_EQ(
      judge(humaneval("cpp", strings,
                      {"assert((candidate(7) == std::pair<int, std::string>{7, \"7\"}));"}, "both"))
          .verdict,
      Verdict::Accepted);
  // A string has no magnitude: not 0, which would pass a test of a zero answer.
  EXPECT_NE(
      judge(humaneval("cpp", strings, {"assert(fabs(candidate(\"\")) < 1e-9);"}, "rev")).verdict,
      Verdict::Accepted);
  auto wrong = judge(humaneval("cpp", strings, {"assert(candidate(\"abc\") == \"abc\");"}, "rev"));
  EXPECT_EQ(wrong.verdict, Verdict::WrongAnswer);
  auto thrown = judge(
      humaneval("cpp", "#include <stdexcept>\nint f(int) { throw std::runtime_error(\"boom\"); }",
                {"assert(f(1) == 1);"}, "f"));
  EXPECT_EQ(thrown.verdict, Verdict::RuntimeError);
  EXPECT_NE(thrown.message.find("boom"), std::string::npos) << thrown.message;
  auto broken_tests = judge(
      humaneval("cpp", "int f(int a) { return a; }", {"assert(undefined_helper(f(1)));"}, "f"));
  EXPECT_EQ(broken_tests.verdict, Verdict::SandboxError) << "the tests' fault, not the answer's";
}

TEST(HarnessCpp, TricksNeverPass) {
  const Trick tricks[] = {
      {"exit inside the call", "#include <cstdlib>\nint add(int a, int b) { std::exit(0); }"},
      {"redefine assert", "#define assert(x) ((void)0)\nint add(int a, int b) { return 0; }"},
      {"equal-to-everything type",
       "struct Any { template <class T> bool operator==(T) const { return true; } };\n"
       "Any add(int, int) { return {}; }"},
      {"exit in a static initializer",
       "#include <cstdlib>\nstatic int x = (std::exit(0), 0);\nint add(int a, int b) { return 0; "
       "}"},
  };
  for (const auto& t : tricks) {
    auto r = judge(humaneval("cpp", t.source, kCppTests));
    EXPECT_NE(r.verdict, Verdict::Accepted) << t.name;
    EXPECT_NE(r.verdict, Verdict::SandboxError) << t.name << ": " << r.message;
  }
}

TEST(JudgeRequests, MalformedRequestsNameTheField) {
  auto message = [](const json& j) {
    try {
      Submission::from_json(j);
    } catch (const InvalidRequest& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message({{"language", "c"}}).find("source"), std::string::npos);
  EXPECT_NE(message({{"source", "x"}, {"extra", 1}}).find("extra"), std::string::npos);
  EXPECT_NE(message({{"source", "x"}, {"tests", json::array({{{"input", 1}, {"output", "x"}}})}})
                .find("tests[0].input"),
            std::string::npos);
  EXPECT_NE(message({{"source", "x"}, {"tests", json::array({{{"in", "1"}}})}}).find("tests[0].in"),
            std::string::npos);
  EXPECT_NE(message({{"source", "x"}, {"limits", {{"cpu_seconds", 1000}}}}).find("cpu_seconds"),
            std::string::npos);
  EXPECT_NE(message({{"source", "x"}, {"options", {{"compare", {{"comparator", "fuzzy"}}}}}})
                .find("fuzzy"),
            std::string::npos);
  EXPECT_NE(message({{"source", "x"}, {"harness", {{"tests", "assert 1"}}}}).find("harness.tests"),
            std::string::npos);
  EXPECT_NE(message(json::array()).find("object"), std::string::npos);
  EXPECT_THROW(judge(humaneval("go", "package main", {"x"})), InvalidRequest);
  EXPECT_THROW(judge(humaneval("python3", "x", {"x"}, "not an identifier")), InvalidRequest);
}

}  // namespace
}  // namespace crucible::sandbox::judge
