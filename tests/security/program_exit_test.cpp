// Reward hacking against MultiPL-E's programs of tests: a HumanEval-shaped record in a language
// without a function-call harness (C++'s runs in one since) runs prompt, answer and test as one
// program that passes by exiting 0, so an answer that ended the process with status 0 before the
// tests ran passed. Each record below has the shape MultiPL-E's translator gives it in that
// language; for each, the right answer must pass, the wrong one fail, and every early exit fail,
// also one that prints a line like the end-of-tests line (whose marker it cannot know), and an
// answer that defines the test's own checks away (C++'s assert, Rust's assert_eq!).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sandbox/judge/formats.hpp"
#include "sandbox/judge/judge.hpp"
#include "tests/support/humaneval_record.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::sandbox::judge {
namespace {

using nlohmann::json;

struct Program {
  const char* language;
  std::string prompt, right, wrong, test;
  std::vector<std::pair<const char*, std::string>> exits;  // attack, answer
};

const Program kPrograms[] = {
    {"cpp",
     "#include<assert.h>\n#include<bits/stdc++.h>\nlong add(long x, long y) {\n",
     "    return x + y;\n",
     "    return x - y;\n",
     "}\nint main() {\n    auto candidate = add;\n    assert(candidate((0), (1)) == (1));\n"
     "    assert(candidate((5), (7)) == (12));\n}\n",
     {{"exit(0)", "    exit(0);\n"},
      {"_exit(0) after a line like the end of the tests",
       "    printf(\"\\nend of tests 0123456789abcdef0123456789abcdef\\n\"); fflush(stdout);"
       " _exit(0);\n"},
      {"quick_exit(0)", "    std::quick_exit(0);\n"},
      {"assert defined away below the answer",
       "    return 0;\n}\n#undef assert\n#define assert(x) ((void)0)\nvoid crucible_unused() "
       "{\n"}}},
    {"java",
     "import java.util.*;\nimport java.lang.*;\n\nclass Problem {\n"
     "    public static long add(long x, long y) {\n",
     "        return x + y;\n    }\n",
     "        return x * y;\n    }\n",
     "    public static void main(String[] args) {\n    assert(add((0l), (1l)) == (1l));\n"
     "    assert(add((5l), (7l)) == (12l));\n    }\n\n}\n",
     {{"System.exit(0)", "        System.exit(0); return 0;\n    }\n"},
      {"Runtime.halt(0)", "        Runtime.getRuntime().halt(0); return 0;\n    }\n"}}},
    {"rust",
     "/// Add two numbers x and y\nfn add(x: isize, y: isize) -> isize {\n",
     "    x + y\n}\n",
     "    x * y\n}\n",
     "\nfn main() {\n    let candidate = add;\n    assert_eq!(candidate(0, 1), 1);\n"
     "    assert_eq!(candidate(5, 7), 12);\n}\n",
     {{"std::process::exit(0)", "    std::process::exit(0)\n}\n"},
      {"assert_eq! shadowed by a macro_rules! of the answer",
       "    0\n}\nmacro_rules! assert_eq { ($a:expr, $b:expr) => { let _ = ($a, $b); }; }\n"}}},
    {"typescript",
     "//Add two numbers x and y\nfunction add(x: number, y: number): number {\n",
     "  return x + y;\n}\n",
     "  return x * y;\n}\n",
     "declare var require: any;\nconst assert = require('node:assert');\n\n\nfunction test() {\n"
     "  let candidate = add;\n  assert.deepEqual(candidate(0, 1),1);\n"
     "  assert.deepEqual(candidate(5, 7),12);\n}\n\ntest();",
     {{"process.exit(0)", "  process.exit(0);\n}\n"}}},
    {"bash",
     "#!/bin/bash\n# Add two numbers x and y\n#\n# $1 is an integer\n# $2 is an integer\nadd() {\n",
     "    echo $(( $1 + $2 ))\n",
     "    echo $(( $1 * $2 ))\n",
     "}\n\ncandidate() {\n    add \"$@\"\n}\n\nset -e\nrun_test() {\n"
     "    [[ $(candidate \"0\" \"1\") = \"1\" ]]\n    [[ $(candidate \"5\" \"7\") = \"12\" "
     "]]\n}\n\n"
     "run_test",
     {{"exit 0 at the top level, before the tests", "    echo 0\n}\nexit 0\nf() {\n    :\n"},
      {"kill the script's own shell from the answer",
       "    trap - EXIT; kill -9 $PPID 2>/dev/null; exec 1>&-; kill -TERM $$; echo 0\n"}}},
    {"ruby",
     "# Add two numbers x and y\ndef add(x, y)\n",
     "  x + y\nend\n",
     "  x * y\nend\n",
     "require 'test/unit'\nclass TestHumanEval < Test::Unit::TestCase\n  def test_add\n"
     "    candidate = method(:add)\n    assert_equal(1, candidate.call(0, 1))\n"
     "    assert_equal(12, candidate.call(5, 7))\n  end\nend\n",
     {{"exit!(0)", "  exit!(0)\nend\n"},
      {"exit!(0) at interpreter exit, after the tests failed",
       "  at_exit { exit!(0) }\n  x * y\nend\n"}}},
    {"php",
     "<?php\n// Add two numbers x and y\nfunction add($x, $y) {\n",
     "    return $x + $y;\n}\n",
     "    return $x * $y;\n}\n",
     "function candidate(...$args) {\n    return add(...$args);\n}\n\n"
     "function test(): void {\n    if (candidate(0, 1) !== 1) { throw new Exception(\"Test "
     "failed!\"); }\n"
     "    if (candidate(5, 7) !== 12) { throw new Exception(\"Test failed!\"); }\n}\n\ntest();",
     {{"exit(0)", "    exit(0);\n}\n"}}},
    {"lua",
     "-- Add two numbers x and y\nlocal function add(x, y)\n",
     "    return x + y\nend\n",
     "    return x * y\nend\n",
     "lu = require('luaunit')\n\nfunction test_humaneval()\nlocal candidate = add\n"
     "    lu.assertEquals(candidate(0, 1), 1)\n    lu.assertEquals(candidate(5, 7), 12)\nend\n\n"
     "os.exit(lu.LuaUnit.run())",
     {{"os.exit(0)", "    os.exit(0)\nend\n"}}},
    {"perl",
     "# Add two numbers x and y\nsub add {\n    my($x, $y) = @_;\n",
     "    return $x + $y;\n}\n",
     "    return $x * $y;\n}\n",
     "use Test::Deep;\n\n\nsub testhumaneval {\n    my $candidate = \\&add;\n"
     "        if(eq_deeply($candidate->(0, 1),1)) {\n        print \"ok!\" }else{\n        exit "
     "1;\n"
     "        }\n        if(eq_deeply($candidate->(5, 7),12)) {\n        print \"ok!\" }else{\n"
     "        exit 1;\n        }\n}\n\ntesthumaneval();",
     {{"exit 0", "    exit 0;\n}\n"},
      {"POSIX::_exit(0)", "    require POSIX; POSIX::_exit(0);\n}\n"}}},
};

TEST(ProgramExitAttacks, EndingAProgramOfTestsEarlyIsNeverAccepted) {
  Judge judge(testing::shared_sandbox());
  for (const auto& p : kPrograms) {
    auto record = [&](const std::string& completion) {
      return testing::humaneval_record(p.language, p.prompt, completion, p.test, "add");
    };
    SCOPED_TRACE(p.language);
    auto right = judge.run(record(p.right));
    EXPECT_EQ(right.verdict, Verdict::Accepted) << right.message;
    auto wrong = judge.run(record(p.wrong));
    EXPECT_NE(wrong.verdict, Verdict::Accepted) << wrong.message;
    for (const auto& [attack, answer] : p.exits) {
      auto r = judge.run(record(answer));
      EXPECT_NE(r.verdict, Verdict::Accepted) << attack;
      EXPECT_NE(r.verdict, Verdict::SandboxError) << attack << ": " << r.message;
      EXPECT_NE(r.verdict, Verdict::CompileError) << attack << ": " << r.message;
    }
  }
  testing::expect_nothing_left_behind();
}

// HumanEval-X's Go tests in other shapes than testify's asserts (a loop, a helper) run as one
// program under Go's test runner. An answer that ended the runner with success before the tests
// ran, by a TestMain of its own that prints the runner's PASS and never calls m.Run, or by
// testing.Main from an init with no tests, was Accepted on 9cec10c (the runner's PASS was the
// only sign of an end). A test function appended last, named by a keyed hash, is the end now.
TEST(ProgramExitAttacks, AGoAnswerCannotEndItsTestRunnerBeforeTheTests) {
  const json base = {
      {"task_id", "Go/44"},
      {"prompt", "import (\n    \"strconv\"\n)\n\nfunc ChangeBase(x int, base int) string {\n"},
      {"import", "import (\n    \"strconv\"\n)\n"},
      {"declaration", "\nfunc ChangeBase(x int, base int) string {\n"},
      {"test_setup",
       "package main\n\nimport (\n    \"testing\"\n"
       "    \"github.com/stretchr/testify/assert\"\n)\n"},
      {"test",
       "func TestChangeBase(t *testing.T) {\n    assert := assert.New(t)\n"
       "    assert.Equal(\"22\", ChangeBase(8, 3))\n"
       "    for i := 2; i < 8; i++ {\n        assert.Equal(strconv.Itoa(i), ChangeBase(i, i+1))\n"
       "    }\n}\n"}};
  Judge judge(testing::shared_sandbox());
  auto judged = [&](const std::string& answer) {
    json r = base;
    r["generation"] = answer;
    const Submission s = record_from_json(r).submission;
    EXPECT_FALSE(s.harness.has_value()) << "a loop keeps the test one program";
    return judge.run(s);
  };
  auto right = judged(
      "    if x < base {\n        return strconv.Itoa(x)\n    }\n"
      "    return ChangeBase(x/base, base) + strconv.Itoa(x%base)\n}\n");
  EXPECT_EQ(right.verdict, Verdict::Accepted) << right.message << right.compile.compile_output;
  // A wrong answer that uses no package the test needs still compiles (the test's strconv).
  auto wrong = judged("    return \"\"\n}\n");
  EXPECT_EQ(wrong.verdict, Verdict::RuntimeError) << wrong.message << wrong.compile.compile_output;
  for (const auto& [attack, answer] : std::vector<std::pair<std::string, std::string>>{
           {"TestMain printing PASS",
            "    return \"\"\n}\n\nfunc TestMain(m *testing.M) {\n    fmt.Println(\"PASS\")\n}\n"},
           {"testing.Main from init",
            "    return \"\"\n}\n\nfunc init() {\n    testing.Main(func(pat, str string) (bool, "
            "error) { return true, nil }, []testing.InternalTest{}, nil, nil)\n}\n"}}) {
    auto r = judged(answer);
    EXPECT_NE(r.verdict, Verdict::Accepted) << attack;
    EXPECT_NE(r.verdict, Verdict::CompileError) << attack << ": " << r.compile.compile_output;
    EXPECT_NE(r.verdict, Verdict::SandboxError) << attack << ": " << r.message;
  }
}

// MultiPL-E's C++ asserts run apart from the answer, in the two-program harness: what an answer
// could redefine around them when they shared its program no longer reaches them. Each of these
// wrong answers was Accepted as one program of tests.
TEST(ProgramExitAttacks, ACppAnswerCannotRedefineWhatTheAssertsUse) {
  const std::string prompt =
      "#include<assert.h>\n#include<bits/stdc++.h>\nstd::vector<long> twice(std::vector<long> "
      "v) {\n";
  const std::string test =
      "}\nint main() {\n    auto candidate = twice;\n"
      "    assert(candidate((std::vector<long>({(long)1, (long)2}))) == "
      "(std::vector<long>({(long)2, (long)4})));\n"
      "    assert(candidate((std::vector<long>())) == (std::vector<long>()));\n}\n";
  const std::pair<const char*, std::string> kAttacks[] = {
      {"a global operator== for the result type, chosen over std's template",
       "    return {7};\n}\nbool operator==(const std::vector<long>&, const std::vector<long>&) "
       "{ return true; }\nvoid crucible_unused() {\n"},
      {"its own __assert_fail, which returns",
       "    return {7};\n}\nextern \"C\" void __assert_fail(const char*, const char*, unsigned "
       "int, const char*) noexcept {}\nvoid crucible_unused() {\n"},
      {"exit(0) from a static initializer, before any test",
       "    return {7};\n}\nstatic int crucible_quit = (std::exit(0), 0);\n"
       "void crucible_unused() {\n"},
  };
  Judge judge(testing::shared_sandbox());
  auto right = judge.run(testing::humaneval_record(
      "cpp", prompt, "    for (auto& x : v) x *= 2;\n    return v;\n", test, "twice"));
  EXPECT_EQ(right.verdict, Verdict::Accepted) << right.message;
  for (const auto& [attack, answer] : kAttacks) {
    auto r = judge.run(testing::humaneval_record("cpp", prompt, answer, test, "twice"));
    EXPECT_NE(r.verdict, Verdict::Accepted) << attack;
    EXPECT_EQ(r.passed, 0u) << attack;
    EXPECT_NE(r.verdict, Verdict::CompileError) << attack << ": " << r.message;
    EXPECT_NE(r.verdict, Verdict::SandboxError) << attack << ": " << r.message;
  }
  testing::expect_nothing_left_behind();
}

// HumanEval-X's C++ tests (CodeGeeX's main of asserts, after the test's own helpers) run in the
// same harness: the test program holds the asserts and the helpers, the answer's program only
// answers calls. Each of these wrong answers was Accepted as one program (checked by hand on
// d170a29): a global operator== for the result type; one that finds the end-of-tests line in the
// files it can reach, prints it and exits 0; one that reads the expected values out of them.
TEST(ProgramExitAttacks, AHumanEvalXCppAnswerCannotRedefineOrReadTheAsserts) {
  const std::string prompt =
      "#include<stdio.h>\n#include<bits/stdc++.h>\nusing namespace std;\n"
      "vector<long long> neighbours(long long n){\n";
  const std::string test =
      "#undef NDEBUG\n#include<assert.h>\n"
      "bool issame(vector<long long> a,vector<long long>b){\n    return a==b;\n}\n"
      "int main(){\n    assert (neighbours(4) == vector<long long>({3, 5}));\n"
      "    assert (issame(neighbours(918273645) , {918273644, 918273646}));\n}\n";
  // Every file under /box, /data and /tmp, searched for what follows `key`.
  const std::string search =
      "    for (const char* root : {\"/box\", \"/data\", \"/tmp\"}) {\n"
      "        error_code ec;\n"
      "        for (auto it = filesystem::recursive_directory_iterator(root, ec);\n"
      "             it != filesystem::recursive_directory_iterator(); it.increment(ec)) {\n"
      "            if (ec) break;\n"
      "            ifstream f(it->path(), ios::binary);\n"
      "            string text((istreambuf_iterator<char>(f)), istreambuf_iterator<char>());\n"
      "            size_t at = text.find(key);\n"
      "            if (at != string::npos) { FOUND }\n"
      "        }\n    }\n";
  auto searching = [&](const std::string& key, const std::string& found) {
    std::string s = "    const string key = " + key + ";\n" + search;
    return s.replace(s.find("FOUND"), 5, found);
  };
  const std::pair<const char*, std::string> kAttacks[] = {
      {"a global operator== for the result type",
       "    return {7};\n}\nbool operator==(const vector<long long>&, const vector<long long>&) "
       "{ return true; }\n"},
      {"the end-of-tests line found in a file, printed before exit(0)",
       searching(
           "\"end of tests \"",
           "\n                for (; at != string::npos; at = text.find(key, at + 1)) {\n"
           "                    const string line = text.substr(at, 45);\n"
           "                    if (line.size() < 45 || line.find_first_not_of(\n"
           "                            \"0123456789abcdef\", 13) != string::npos) continue;\n"
           "                    printf(\"%s\\n\", line.c_str()); fflush(stdout); _exit(0);\n"
           "                }") +
           "    return {};\n}\n"},
      {"the expected values read out of a file",
       searching("\"neighbours(\" + to_string(n) + \")\"",
                 "size_t open = text.find('{', at), close = text.find('}', open);\n"
                 "                vector<long long> out;\n"
                 "                stringstream list(text.substr(open + 1, close - open - 1));\n"
                 "                for (string x; getline(list, x, ',');) out.push_back(stoll(x));\n"
                 "                return out;") +
           "    return {};\n}\n"},
  };
  json record = {
      {"task_id", "CPP/900"}, {"prompt", prompt}, {"declaration", prompt}, {"test", test}};
  Judge judge(testing::shared_sandbox());
  auto judged = [&](const std::string& answer) {
    json r = record;
    r["generation"] = answer;
    const Submission s = record_from_json(r).submission;
    EXPECT_TRUE(s.harness.has_value());
    return judge.run(s);
  };
  auto right = judged("    return {n - 1, n + 1};\n}\n");
  EXPECT_EQ(right.verdict, Verdict::Accepted) << right.message << right.compile.compile_output;
  for (const auto& [attack, answer] : kAttacks) {
    auto r = judged(answer);
    EXPECT_NE(r.verdict, Verdict::Accepted) << attack;
    EXPECT_EQ(r.passed, 0u) << attack;
    EXPECT_NE(r.verdict, Verdict::CompileError) << attack << ": " << r.compile.compile_output;
    EXPECT_NE(r.verdict, Verdict::SandboxError) << attack << ": " << r.message;
  }
  testing::expect_nothing_left_behind();
}

// MultiPL-E's Java asserts run apart from the answer too: the expected values are computed in a
// program without it, and the answer's program only prints what its calls return. Each of these
// wrong answers was Accepted as one program of tests (checked by hand on 0b9fb48).
TEST(ProgramExitAttacks, AJavaAnswerCannotFakeTheAssertsOrReadThem) {
  const std::string imports = "import java.util.*;\nimport java.io.*;\nclass Problem {\n";
  // equals: a result whose equals says yes to anything.
  const std::string twice =
      imports + "    public static ArrayList<Long> twice(ArrayList<Long> v) {\n";
  const std::string twice_test =
      "    }\n    public static void main(String[] args) {\n"
      "    assert(twice((new ArrayList<Long>(Arrays.asList((long)1l, (long)2l)))).equals((new "
      "ArrayList<Long>(Arrays.asList((long)2l, (long)4l)))));\n"
      "    assert(twice((new ArrayList<Long>(Arrays.asList((long)5l)))).equals((new "
      "ArrayList<Long>(Arrays.asList((long)10l)))));\n    }\n\n}\n";
  const std::string always_equal =
      "        return new ArrayList<Long>() {\n"
      "            @Override public boolean equals(Object o) { return true; }\n"
      "            @Override public int hashCode() { return 0; }\n        };";
  // ==: values no answer can compute, and an answer that hunts for them (or for the end-of-tests
  // line) in every file it can reach, in its own program and in /box.
  const std::string secret = imports + "    public static long secret(long key) {\n";
  const std::string secret_test =
      "    }\n    public static void main(String[] args) {\n"
      "    assert(secret((1l)) == (918273645l));\n    assert(secret((2l)) == (918273646l));\n"
      "    }\n\n}\n";
  const std::string hunter =
      "        try {\n"
      "            java.util.regex.Pattern p = java.util.regex.Pattern.compile(\n"
      "                \"end of tests [0-9a-f]{32}|9182736\\\\d\\\\d\");\n"
      "            for (File f : new File(\"/box\").listFiles()) {\n"
      "                String text = new String(java.nio.file.Files.readAllBytes(f.toPath()),\n"
      "                                         \"ISO-8859-1\");\n"
      "                java.util.regex.Matcher m = p.matcher(text);\n"
      "                while (m.find()) {\n"
      "                    if (!m.group().startsWith(\"end\")) return Long.parseLong(m.group());\n"
      "                    PrintStream out = new PrintStream(new "
      "FileOutputStream(FileDescriptor.out));\n"
      "                    out.println(); out.println(m.group()); out.flush();\n"
      "                    Runtime.getRuntime().halt(0);\n"
      "                }\n            }\n        } catch (Exception e) {}\n        return 0;";
  Judge judge(testing::shared_sandbox());
  auto right = judge.run(
      testing::humaneval_record("java", twice,
                                "        ArrayList<Long> out = new ArrayList<>();\n"
                                "        for (long x : v) out.add(2 * x);\n        return out;",
                                twice_test, "unused"));
  EXPECT_EQ(right.verdict, Verdict::Accepted) << right.message;
  const std::tuple<const char*, std::string, std::string, std::string> kAttacks[] = {
      {"a returned ArrayList whose equals is always true", twice, always_equal, twice_test},
      {"reads /box for the expected values or the end-of-tests line", secret, hunter, secret_test},
  };
  for (const auto& [attack, prompt, answer, test] : kAttacks) {
    auto r = judge.run(testing::humaneval_record("java", prompt, answer, test, "unused"));
    EXPECT_NE(r.verdict, Verdict::Accepted) << attack;
    EXPECT_EQ(r.passed, 0u) << attack;
    EXPECT_NE(r.verdict, Verdict::CompileError) << attack << ": " << r.message;
    EXPECT_NE(r.verdict, Verdict::SandboxError) << attack << ": " << r.message;
  }
  testing::expect_nothing_left_behind();
}

// MultiPL-E's TypeScript, Lua, Ruby, PHP, Perl, Bash, Rust and Go asserts run apart from the
// answer as well. Each of these wrong answers was Accepted as one program of tests (checked by hand
// on d48ca06; Rust's and Go's on df5777f and a25366f):
// one replaces the test library's check, one reads its own program for the end-of-tests line and
// prints it.
TEST(ProgramExitAttacks, ScriptAnswersCannotFakeTheAssertsOrReadThem) {
  struct Attack {
    const char* language;
    const char* attack;
    std::string prompt, answer, test;
  };
  const std::string ts_prompt = "function secret(key: number): number {\n";
  const std::string ts_test =
      "declare var require: any;\nconst assert = require('node:assert');\n\n\n"
      "function test() {\n  let candidate = secret;\n"
      "  assert.deepEqual(candidate(1),918273645);\n  assert.deepEqual(candidate(2),918273646);\n"
      "}\n\ntest();";
  const std::string lua_prompt = "local function secret(key)\n";
  const std::string lua_test =
      "lu = require('luaunit')\n\nfunction test_humaneval()\nlocal candidate = secret\n"
      "    lu.assertEquals(candidate(1), 918273645)\n    lu.assertEquals(candidate(2), "
      "918273646)\nend\n\nos.exit(lu.LuaUnit.run())";
  const std::string rb_prompt = "def secret(key)\n";
  const std::string rb_test =
      "require 'test/unit'\nclass TestHumanEval < Test::Unit::TestCase\n  def test_secret\n"
      "    candidate = method(:secret)\n    assert_equal(918273645, candidate.call(1))\n"
      "    assert_equal(918273646, candidate.call(2))\n  end\nend\n";
  const std::string php_prompt = "<?php\nfunction secret($key) {\n";
  const std::string php_test =
      "function candidate(...$args) {\n    return secret(...$args);\n}\n\n"
      "function test(): void {\n"
      "    if (candidate(1) !== 918273645) { throw new Exception(\"Test failed!\"); }\n"
      "    if (candidate(2) !== 918273646) { throw new Exception(\"Test failed!\"); }\n}\n\n"
      "test();";
  const std::string pl_prompt = "sub secret {\n    my($key) = @_;\n";
  const std::string pl_test =
      "use Test::Deep;\n\n\nsub testhumaneval {\n    my $candidate = \\&secret;\n"
      "        if(eq_deeply($candidate->(1),918273645)) {\n        print \"ok!\" }else{\n"
      "        exit 1;\n        }\n"
      "        if(eq_deeply($candidate->(2),918273646)) {\n        print \"ok!\" }else{\n"
      "        exit 1;\n        }\n}\n\ntesthumaneval();";
  const std::string sh_prompt = "#!/bin/bash\n# A secret\nsecret() {\n";
  const std::string sh_test =
      "}\n\ncandidate() {\n    secret \"$@\"\n}\n\nset -e\nrun_test() {\n"
      "    [[ $(candidate \"1\") = \"918273645\" ]]\n"
      "    [[ $(candidate \"2\") = \"918273646\" ]]\n}\n\nrun_test";
  const std::string rs_prompt = "fn secret(key: isize) -> isize {\n";
  const std::string rs_test =
      "}\n\nfn main() {\n    let candidate = secret;\n    assert_eq!(candidate(1), 918273645);\n"
      "    assert_eq!(candidate(2), 918273646);\n}\n";
  // Finds the end-of-tests line in `text`, prints it and exits 0.
  const std::string rs_find_end =
      "    for (at, _) in text.match_indices(\"end of tests \") {\n"
      "        let m = &text[at..];\n"
      "        if m.len() >= 45 && m.as_bytes()[13..45].iter().all(|c| c.is_ascii_hexdigit()) {\n"
      "            println!(\"\\n{}\", &m[..45]);\n"
      "            std::process::exit(0);\n        }\n    }\n";
  // A Go task whose prompt imports os and strings, as some do.
  const std::string go_prompt =
      "package secret_test\n\nimport (\n    \"testing\"\n    \"fmt\"\n    \"os\"\n"
      "    \"strings\"\n)\n\nfunc secret(key int) int {\n";
  const std::string go_test =
      "func TestSecret(t *testing.T) {\n  candidate := secret\n\ttype test struct {\n"
      "\t\tactual   interface{}\n\t\texpected interface{}\n\t}\n   tests := []test{\n"
      "     { actual: candidate(1), expected: 918273645 },\n"
      "     { actual: candidate(2), expected: 918273646 },\n   }\n\n"
      "\tfor i, tc := range tests {\n"
      "\t\tt.Run(fmt.Sprintf(\"test num % d\", i), func(t *testing.T) {\n"
      "\t\t\tif fmt.Sprintf(\"%v\", tc.actual) != fmt.Sprintf(\"%v\", tc.expected) {\n"
      "\t\t\t\tt.Errorf(\"expected '%s', got '%s'\", tc.expected, tc.actual)\n"
      "\t\t\t}\n\t\t})\n\t}\n}\n";
  const Attack kAttacks[] = {
      {"go", "a TestMain that prints the runner's summary and runs no test", go_prompt,
       "\t_, _ = os.Args, strings.Contains\n\treturn 0\n}\n\n"
       "func TestMain(m *testing.M) {\n\tfmt.Println(\"PASS\")\n}\n",
       go_test},
      {"go", "reads its source or its binary for the expected values", go_prompt,
       "\tfor _, name := range []string{\"/box/main_test.go\", \"/proc/self/exe\"} {\n"
       "\t\ttext, _ := os.ReadFile(name)\n"
       "\t\tneedle := fmt.Sprintf(\"candidate(%d), expected: \", key)\n"
       "\t\tif at := strings.Index(string(text), needle); at >= 0 {\n"
       "\t\t\tvar v int\n"
       "\t\t\tfmt.Sscan(strings.Fields(string(text)[at+len(needle):])[0], &v)\n"
       "\t\t\treturn v\n\t\t}\n\t}\n\treturn 0\n}\n",
       go_test},
      {"rust", "reads its source for the end-of-tests line or the expected values", rs_prompt,
       "    let text = std::fs::read_to_string(\"/box/main.rs\").unwrap_or_default();\n" +
           rs_find_end +
           "    if let Some(at) = text.find(&format!(\"candidate({}), \", key)) {\n"
           "        let rest = &text[at..];\n"
           "        let (begin, end) = (rest.find(\", \").unwrap() + 2, "
           "rest.find(\");\").unwrap());\n"
           "        return rest[begin..end].parse().unwrap_or(0);\n    }\n    0\n",
       rs_test},
      {"rust", "reads its own binary for the end-of-tests line", rs_prompt,
       "    let _ = key;\n"
       "    let bytes = std::fs::read(\"/proc/self/exe\").unwrap_or_default();\n"
       "    let text = String::from_utf8_lossy(&bytes).to_string();\n" +
           rs_find_end + "    0\n",
       rs_test},
      {"rust", "exits 0 at its first call", rs_prompt,
       "    let _ = key;\n    std::process::exit(0)\n", rs_test},
      {"bash", "reads its script for the end-of-tests line and exits 0 before the tests", sh_prompt,
       "    echo 0\n}\nline=$(grep -o 'end of tests [0-9a-f]\\{32\\}' \"$0\" | tail -n 1)\n"
       "if [ -n \"$line\" ]; then echo; echo \"$line\"; exit 0; fi\n"
       "value=$(grep -o '9182736[0-9][0-9]' \"$0\" | head -n 1)\nf() {\n    :\n",
       sh_test},
      {"perl", "replaces eq_deeply once Test::Deep has exported it", pl_prompt,
       "    return 0;\n}\nno warnings;\n*main::eq_deeply = sub { 1 };\n", pl_test},
      {"ruby", "redefines assert_equal", rb_prompt,
       "  0\nend\nrequire 'test/unit'\nmodule Test::Unit::Assertions\n"
       "  def assert_equal(*args); end\nend\n",
       rb_test},
      {"php", "reads its program for the end-of-tests line or the expected values", php_prompt,
       "    $t = file_get_contents('/box/main.php');\n"
       "    if (preg_match('/end of tests [0-9a-f]{32}/', $t, $m)) {\n"
       "        fwrite(STDOUT, \"\\n\" . $m[0] . \"\\n\"); exit(0);\n    }\n"
       "    if (preg_match('/9182736\\d\\d/', $t, $m)) return (int)$m[0];\n"
       "    return 0;\n}\n",
       php_test},
      {"typescript", "replaces node's assert.deepEqual", ts_prompt,
       "  return 0;\n}\nrequire('node:assert').deepEqual = () => {};\n", ts_test},
      {"typescript", "reads its program for the end-of-tests line or the expected values",
       ts_prompt,
       "  const fs = require('fs');\n"
       "  for (const f of fs.readdirSync('/box')) {\n"
       "    const text = fs.readFileSync('/box/' + f, 'latin1');\n"
       "    const found = text.match(/end of tests [0-9a-f]{32}/);\n"
       "    if (found) { fs.writeSync(1, '\\n' + found[0] + '\\n'); process.exit(0); }\n"
       "    const value = text.match(/9182736\\d\\d/);\n"
       "    if (value) return Number(value[0]);\n"
       "  }\n  return 0;\n}\n",
       ts_test},
      {"lua", "hands the test a luaunit of its own", lua_prompt,
       "    return 0\nend\npackage.loaded['luaunit'] = {assertEquals = function() end,\n"
       "  LuaUnit = {run = function() return 0 end}}\n",
       lua_test},
      {"lua", "reads its program for the end-of-tests line or the expected values", lua_prompt,
       "    local f = io.open('/box/main.lua')\n"
       "    local text = f and f:read('a') or ''\n"
       "    local line = text:match('end of tests %x+')\n"
       "    if line and #line == 45 then\n"
       "      io.stdout:write('\\n', line, '\\n')\n"
       "      if lu then lu.unregisterCurrentSuite() end  -- luaunit's guard on os.exit\n"
       "      os.exit(0)\n    end\n"
       "    return tonumber(text:match('9182736%d%d')) or 0\nend\n",
       lua_test},
  };
  Judge judge(testing::shared_sandbox());
  for (const auto& a : kAttacks) {
    auto r = judge.run(testing::humaneval_record(a.language, a.prompt, a.answer, a.test, "unused"));
    EXPECT_NE(r.verdict, Verdict::Accepted) << a.language << ": " << a.attack;
    EXPECT_EQ(r.passed, 0u) << a.language << ": " << a.attack;
    EXPECT_NE(r.verdict, Verdict::CompileError) << a.attack << ": " << r.message;
    EXPECT_NE(r.verdict, Verdict::SandboxError) << a.attack << ": " << r.message;
  }
  testing::expect_nothing_left_behind();
}

// The same program judged twice has the same end-of-tests line, so its build is cached.
TEST(ProgramExitAttacks, TheSameProgramKeepsItsBuild) {
  const Program& java = kPrograms[1];
  const json request = {{"language", java.language},
                        {"prompt", java.prompt},
                        {"completion", java.right},
                        {"test", java.test},
                        {"entry_point", "add"}};
  Judge judge(testing::shared_sandbox());
  auto first = judge.run(record_from_json(request).submission);
  auto second = judge.run(record_from_json(request).submission);
  EXPECT_EQ(first.verdict, Verdict::Accepted) << first.message;
  EXPECT_EQ(second.verdict, Verdict::Accepted) << second.message;
  EXPECT_TRUE(second.compile.compile_cached) << "the second judging compiled again";
}

}  // namespace
}  // namespace crucible::sandbox::judge
