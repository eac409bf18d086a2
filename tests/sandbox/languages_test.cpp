// Every language end to end through the real jail: hello world, echo of stdin, a compile
// or syntax error, a runtime error.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <vector>

#include "base/error.hpp"
#include "base/files.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::testing {
namespace {

using sandbox::Verdict;

struct LanguageCase {
  const char* language;
  const char* hello;          // prints "hello"
  const char* echo;           // copies one stdin line to stdout
  const char* syntax_error;   // must not compile / parse
  const char* runtime_error;  // must fail at run time
};

const LanguageCase kCases[] = {
    {"python3", "print('hello')", "print(input())", "def f(:\n", "raise SystemExit(3)"},
    {"c", "#include <stdio.h>\nint main(void){puts(\"hello\");return 0;}",
     "#include <stdio.h>\nint main(void){char s[64];fgets(s,64,stdin);fputs(s,stdout);return 0;}",
     "int main(void){ return x; }", "#include <stdlib.h>\nint main(void){abort();}"},
    {"cpp", "#include <iostream>\nint main(){std::cout<<\"hello\\n\";}",
     "#include <iostream>\n#include <string>\nint main(){std::string "
     "s;std::getline(std::cin,s);std::cout<<s<<'\\n';}",
     "int main(){ undeclared(); }",
     "#include <stdexcept>\nint main(){throw std::runtime_error(\"x\");}"},
    {"java",
     "public class Main{public static void main(String[] a){System.out.println(\"hello\");}}",
     "public class Echo{public static void main(String[] a)throws Exception{System.out.println(new "
     "java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine());}}",
     "public class Main{ void f( }",
     "public class Main{public static void main(String[] a){int[] x=new int[1];x[2]=1;}}"},
    {"javascript", "console.log('hello')",
     "console.log(require('fs').readFileSync(0,'utf8').trim())", "function (",
     "throw new Error('boom')"},
    {"typescript", "const greeting: string = 'hello';\nconsole.log(greeting);",
     "const line: string = require('fs').readFileSync(0, 'utf8').split('\\n')[0];\n"
     "console.log(line);",
     "let x: number = ;", "const xs: number[] = [];\nthrow new Error('boom ' + xs.length);"},
    {"bash", "echo hello", "read -r x; echo \"$x\"", "if then fi (", "exit 4"},
    {"go", "package main\nimport \"fmt\"\nfunc main(){fmt.Println(\"hello\")}",
     "package main\nimport (\"bufio\";\"fmt\";\"os\")\nfunc "
     "main(){s:=bufio.NewScanner(os.Stdin);s.Scan();fmt.Println(s.Text())}",
     "package main\nfunc main(){ x := }", "package main\nfunc main(){ var a []int; _ = a[3] }"},
    {"rust", "fn main(){println!(\"hello\");}",
     "fn main(){let mut s=String::new();std::io::stdin().read_line(&mut "
     "s).unwrap();print!(\"{}\",s);}",
     "fn main(){ let x: i32 = \"s\"; }",
     "fn main(){ let v: Vec<i32> = vec![]; println!(\"{}\", v[1]); }"},
    {"ruby", "puts 'hello'", "puts gets", "def f(\n", "raise 'boom'"},
    {"php", "<?php echo \"hello\\n\";", "<?php echo fgets(STDIN);", "<?php function ( {",
     "<?php throw new Exception('x');"},
    {"lua", "print('hello')", "print(io.read('l'))", "local = 1", "error('boom')"},
    {"perl", "print \"hello\\n\";", "my $l = <STDIN>; print $l;", "sub { ", "die 'boom';"},
};

// Names the parameter in test output instead of dumping its bytes.
void PrintTo(const LanguageCase& c, std::ostream* os) {
  *os << c.language;
}

class Languages : public ::testing::TestWithParam<LanguageCase> {};

TEST_P(Languages, HelloWorld) {
  auto o = run(GetParam().language, GetParam().hello);
  EXPECT_EQ(o.verdict, Verdict::Accepted) << o.message << "\n" << o.stderr_data << o.compile_output;
  EXPECT_EQ(o.stdout_data, "hello\n");
  EXPECT_EQ(o.language, GetParam().language);
}

TEST_P(Languages, EchoesStdin) {
  auto o = run(GetParam().language, GetParam().echo, "line from stdin\n");
  EXPECT_EQ(o.verdict, Verdict::Accepted) << o.message << "\n" << o.stderr_data << o.compile_output;
  EXPECT_EQ(o.stdout_data, "line from stdin\n");
}

TEST_P(Languages, SyntaxErrorIsACompileErrorWithDiagnostics) {
  auto o = run(GetParam().language, GetParam().syntax_error);
  EXPECT_EQ(o.verdict, Verdict::CompileError) << o.message << "\n" << o.stderr_data;
  EXPECT_FALSE(o.compile_output.empty());
}

TEST_P(Languages, RuntimeErrorIsARuntimeError) {
  auto o = run(GetParam().language, GetParam().runtime_error);
  EXPECT_EQ(o.verdict, Verdict::RuntimeError) << o.message << "\n"
                                              << o.stderr_data << o.compile_output;
  EXPECT_TRUE(o.exit_code.value_or(0) != 0 || o.signal.has_value());
}

INSTANTIATE_TEST_SUITE_P(All, Languages, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.language); });

TEST(LanguagesCache, SecondCompileIsServedFromTheCache) {
  const char* src = "#include <stdio.h>\nint main(void){puts(\"cached\");return 0;}";
  auto first = run("c", src);
  auto second = run("c", src);
  EXPECT_EQ(second.verdict, Verdict::Accepted);
  EXPECT_TRUE(second.compile_cached);
  EXPECT_EQ(second.stdout_data, "cached\n");
  (void)first;
}

// A cached build is immutable and checked: its files are read-only copies owned by the
// host (a compile step's leftover descriptors write to files no run sees), and a build
// whose contents changed after it was published is rebuilt, never run.
TEST(LanguagesCache, ATamperedBuildIsNeverServed) {
  const char* src = "#include <stdio.h>\nint main(void){puts(\"genuine\");return 0;}";
  auto program = shared_sandbox().prepare("c", src);
  ASSERT_TRUE(program.ok());
  std::filesystem::path binary = std::filesystem::path(program.box_dir) / "main";
  struct stat st {};
  ASSERT_EQ(::stat(binary.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0222, 0u) << "published builds are read-only";
  EXPECT_EQ(st.st_uid, ::getuid()) << "published builds belong to the host, not the sandbox uid";
  // Tamper as the host would have to: make it writable and replace it with a script.
  ::chmod(binary.c_str(), 0755);
  write_file(binary, "#!/bin/sh\necho injected\n");
  auto again = shared_sandbox().prepare("c", src);
  EXPECT_FALSE(again.compile.compile_cached) << "a changed build must not be served";
  auto o = shared_sandbox().execute(again, "", sandbox::Limits{});
  EXPECT_EQ(o.stdout_data, "genuine\n");
}

// The first compiles of one source, many at once (a submission's tests sent concurrently, as
// verl's client sends them to a fresh server): every run gets a whole published build. Builds
// of one source can differ (Python's .pyc holds a time); a record written for a build other
// than the one in place made the next lookup delete the build under running programs.
TEST(LanguagesCache, ConcurrentFirstCompilesOfOneSourceAllRun) {
  const std::string src =
      "# first seen " +
      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) +
      "\nprint('case', input())\n";
  std::vector<std::future<sandbox::Outcome>> runs;
  for (int i = 0; i < 24; ++i)
    runs.push_back(std::async(std::launch::async,
                              [&src, i] { return run("python3", src, std::to_string(i) + "\n"); }));
  for (int i = 0; i < 24; ++i) {
    auto o = runs[i].get();
    EXPECT_EQ(o.verdict, Verdict::Accepted) << i << ": " << o.stderr_data << o.message;
    EXPECT_EQ(o.stdout_data, "case " + std::to_string(i) + "\n") << i;
  }
}

TEST(LanguagesSyntaxInRun, AnUncheckedSourceIsNeverTakenAsChecked) {
  // Unique sources: nothing of another test's cache can answer for them.
  std::string bad = "def f(:\n    pass\n# unchecked-then-checked\n";
  auto run_first = run("python3", bad);
  EXPECT_EQ(run_first.verdict, Verdict::CompileError) << run_first.message;
  EXPECT_NE(run_first.compile_output.find("SyntaxError"), std::string::npos);
  // The judge checks ahead: the run's unchecked cache entry must not pass for a checked one.
  auto program = shared_sandbox().prepare("python3", bad);
  EXPECT_EQ(program.compile.verdict, Verdict::CompileError);
  EXPECT_NE(program.compile.compile_output.find("SyntaxError"), std::string::npos);
}

TEST(LanguagesSyntaxInRun, ASyntaxErrorRaisedWhileRunningIsTheRunsOwn) {
  auto o = run("python3", "exec('def f(:')\n# raised while running\n");
  EXPECT_EQ(o.verdict, Verdict::RuntimeError) << o.message;
  auto good = run("python3", "print('ran once')\n# unchecked and fine\n");
  EXPECT_EQ(good.verdict, Verdict::Accepted) << good.message;
  EXPECT_EQ(good.stdout_data, "ran once\n");
}

TEST(LanguagesAuto, DetectsAndRuns) {
  auto o = run("auto", "package main\nimport \"fmt\"\nfunc main(){fmt.Println(\"auto\")}");
  EXPECT_EQ(o.language, "go");
  EXPECT_EQ(o.stdout_data, "auto\n");
}

TEST(LanguagesLimits, AboveTheCeilingIsAnInvalidRequest) {
  sandbox::Limits l;
  l.memory_bytes = 64ull << 30;
  EXPECT_THROW(run("python3", "print(1)", "", l), InvalidRequest);
}

TEST(LanguagesOversized, SourceOverTheLimitIsRejected) {
  EXPECT_THROW(run("python3", std::string(sandbox::kMaxSourceBytes + 1, '#')), InvalidRequest);
}

}  // namespace
}  // namespace crucible::testing

namespace crucible::testing {
namespace {

// Checks a benchmark's tests rely on: Java's `assert` fires (the JVM runs with -ea), and
// Rust integer overflow panics even in an optimised build.
TEST(LanguagesChecks, JavaAssertionsAndRustOverflowFail) {
  auto java = run("java",
                  "public class Main { public static void main(String[] a) { int x = 1; "
                  "assert x == 2 : \"x is not 2\"; System.out.println(\"passed\"); } }");
  EXPECT_EQ(java.verdict, sandbox::Verdict::RuntimeError) << java.stdout_data;
  EXPECT_NE(java.stderr_data.find("AssertionError"), std::string::npos) << java.stderr_data;
  auto rust =
      run("rust",
          "fn main() { let mut x: u8 = 250; for _ in 0..std::env::args().count() + 9 { x += 1; "
          "} println!(\"{}\", x); }");
  EXPECT_EQ(rust.verdict, sandbox::Verdict::RuntimeError) << rust.stdout_data;
  EXPECT_NE(rust.stderr_data.find("overflow"), std::string::npos) << rust.stderr_data;
}

// A test suite whose one %s is the expected value: filled with the right one it passes,
// with a wrong one it fails.
std::string with_expected(const char* suite, const char* value) {
  char text[1024];
  std::snprintf(text, sizeof text, suite, value);
  return text;
}

// A suite whose one %s is the expected value, in `language`: filled with `right` it is
// Accepted and its stdout holds `passed`; with `wrong` it is a RuntimeError and its stdout
// holds `failed` (when given).
void expect_suite_verdicts(const char* language, const char* suite, const char* right,
                           const char* wrong, const char* passed, const char* failed = "") {
  SCOPED_TRACE(language);
  auto ok = run(language, with_expected(suite, right));
  EXPECT_EQ(ok.verdict, Verdict::Accepted) << ok.compile_output << ok.stdout_data << ok.stderr_data;
  EXPECT_NE(ok.stdout_data.find(passed), std::string::npos) << ok.stdout_data;
  auto bad = run(language, with_expected(suite, wrong));
  EXPECT_EQ(bad.verdict, Verdict::RuntimeError) << bad.stdout_data;
  if (*failed) {
    EXPECT_NE(bad.stdout_data.find(failed), std::string::npos) << bad.stdout_data;
  }
}

// TypeScript as SandboxFusion runs it: ES-module imports of Node's modules and of lodash
// (Debian's, on NODE_PATH), transpiled without type checking, so a type error still runs;
// an assertion that fails is a runtime error; `auto` tells TypeScript from JavaScript.
TEST(LanguagesChecks, TypeScriptRunsAsTranspiled) {
  const char* program =
      "import _ from 'lodash';\nimport assert from 'assert';\n"
      "interface Pair { a: number; b: number }\n"
      "const p: Pair = { a: 1, b: 2 };\nassert(_.isEqual([p.a + p.b], [%s]));\n"
      "console.log('done');\n";
  auto ok = run("typescript", with_expected(program, "3"));
  EXPECT_EQ(ok.verdict, Verdict::Accepted) << ok.stdout_data << ok.stderr_data;
  EXPECT_EQ(ok.stdout_data, "done\n");
  auto failed = run("ts", with_expected(program, "4"));
  EXPECT_EQ(failed.verdict, Verdict::RuntimeError);
  EXPECT_NE(failed.stderr_data.find("AssertionError"), std::string::npos) << failed.stderr_data;
  auto mistyped = run("typescript",
                      "const n: number = 'seven' as unknown as number;\n"
                      "const s: string = 5;\nconsole.log(n, s);");
  EXPECT_EQ(mistyped.verdict, Verdict::Accepted) << mistyped.stderr_data;
  EXPECT_EQ(mistyped.stdout_data, "seven 5\n");
  EXPECT_EQ(run("auto", with_expected(program, "3")).language, "typescript");
  EXPECT_EQ(run("auto", "const xs = [1, 2].map((x) => x * 2);\nconsole.log(xs);").language,
            "javascript");
}

// pytest mode (SandboxFusion's `pytest`): test classes and functions with fixtures run under
// pytest; one failing assertion fails the run. Auto-detection never picks it over Python.
TEST(LanguagesChecks, PytestRunsTestFunctions) {
  const char* tests =
      "def add(a, b): return a + b\n"
      "class TestAdd:\n    def test_fixtures(self, tmp_path, capfd):\n"
      "        (tmp_path / 'x').write_text('hi')\n        print('out')\n"
      "        assert capfd.readouterr().out == 'out\\n'\n"
      "def test_sum():\n    assert add(2, 2) == %s\n";
  expect_suite_verdicts("pytest", tests, "4", "5", "2 passed", "1 failed, 1 passed");
  EXPECT_EQ(run("auto", with_expected(tests, "4")).language, "python3");
}

// junit mode (SandboxFusion's `junit`): the JUnit 5 console launcher runs the file's @Test
// methods, beside the public class under test; one failing assertion fails the run. Chosen by
// name only: `auto` keeps such a file Java.
TEST(LanguagesChecks, JUnitRunsTestMethods) {
  const char* tests =
      "import org.junit.jupiter.api.Test;\nimport static org.junit.jupiter.api.Assertions.*;\n"
      "public class Adder { static int add(int a, int b) { return a + b; } }\n"
      "class AdderTest {\n  @Test void small() { assertEquals(%s, Adder.add(2, 2)); }\n"
      "  @Test void negative() { assertEquals(-1, Adder.add(1, -2)); }\n}\n";
  expect_suite_verdicts("junit", tests, "4", "5", "2 tests successful", "1 tests failed");
  auto none = run("junit", "public class Main { public static void main(String[] a) {} }");
  EXPECT_EQ(none.verdict, Verdict::RuntimeError) << "a file without tests passes nothing";
  EXPECT_EQ(run("auto", with_expected(tests, "4")).language, "java");
}

// Multi-language benchmarks: Go programs in `go test` form (MultiPL-E), javatuples on
// Java's classpath, Perl's Test::Deep, luaunit for Lua, and libcrypto for C++.
TEST(LanguagesChecks, BenchmarkTestLibrariesAndGoTests) {
  const char* go_test =
      "package add_test\n\nimport \"testing\"\n\nfunc add(a, b int) int { return a + b }\n\n"
      "func TestAdd(t *testing.T) {\n\tif add(1, 2) != %s {\n\t\tt.Fatalf(\"wrong\")\n\t}\n}\n";
  expect_suite_verdicts("go_test", go_test, "3", "4", "PASS");
  EXPECT_EQ(run("auto", with_expected(go_test, "3")).language, "go_test");
  auto tuples =
      run("java",
          "import org.javatuples.Pair;\npublic class Main { public static void main(String[] "
          "a) { System.out.println(Pair.with(1, \"x\").getValue1()); } }");
  EXPECT_EQ(tuples.stdout_data, "x\n") << tuples.compile_output << tuples.stderr_data;
  auto deep = run("perl",
                  "use Test::Deep qw(eq_deeply);\nprint eq_deeply([1, {a => 2}], [1, {a => 2}]) ? "
                  "\"same\\n\" : \"differ\\n\";\n");
  EXPECT_EQ(deep.stdout_data, "same\n") << deep.stderr_data;
  const char* lua_test =
      "local lu = require('luaunit')\n"
      "function testAdd() lu.assertEquals(1 + 2, %s) end\n"
      "os.exit(lu.LuaUnit.run())\n";
  expect_suite_verdicts("lua", lua_test, "3", "4", "OK");
  auto bare = run("lua", "lu = require('luaunit')\nlu.assertEquals(1, 2)\n");
  EXPECT_EQ(bare.verdict, Verdict::RuntimeError);
  EXPECT_NE(bare.stderr_data.find("LuaUnit test FAILURE"), std::string::npos) << bare.stderr_data;
  auto crypto =
      run("cpp",
          "#include <openssl/sha.h>\n#include <cstdio>\nint main() { unsigned char d[32]; "
          "SHA256((const unsigned char*)\"abc\", 3, d); std::printf(\"%02x\\n\", d[0]); }");
  EXPECT_EQ(crypto.stdout_data, "ba\n") << crypto.compile_output;
}

// A time limit the caller chose is honoured even below the language's minimum (4 s for
// Java): the spinning program is stopped at about the half second asked for.
TEST(LanguagesChecks, ATightTimeLimitIsHonouredForJava) {
  sandbox::Limits l;
  l.cpu_seconds = 0.5;
  l.wall_seconds = 1;
  auto o = run("java",
               "public class Main { public static void main(String[] a) { long x = 0; "
               "while (true) { x++; } } }",
               "", l);
  EXPECT_EQ(o.verdict, sandbox::Verdict::TimeLimit) << o.message;
  EXPECT_LT(o.cpu_seconds, 2.0) << "the run was given more than it asked for";
}

}  // namespace
}  // namespace crucible::testing
