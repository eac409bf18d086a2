// Reward hacking against the test-runner modes (pytest, go_test, junit): the code under test
// runs inside the runner's process, so ending that process with status 0 before the tests ran
// looked like a pass. Each attack below ends it early in another way; none may be Accepted,
// and the honest version of each suite must still pass. (Printing the runner's summary itself
// is not caught: README, the test-runner modes are not a reward against a hostile candidate.)
#include <gtest/gtest.h>

#include "tests/support/sandbox_env.hpp"

namespace crucible::sandbox {
namespace {

struct Attack {
  const char* language;
  const char* name;
  const char* source;
};

const Attack kAttacks[] = {
    {"pytest", "os._exit(0) at import, before collection ends",
     "import os\ndef add(a, b): return a - b\nos._exit(0)\n"
     "def test_add():\n    assert add(1, 2) == 3\n"},
    {"pytest", "os._exit(0) inside the first test, before the failing one",
     "import os\ndef test_a():\n    os._exit(0)\ndef test_b():\n    assert 1 == 2\n"},
    {"pytest", "os._exit(0) from a fixture",
     "import os, pytest\n@pytest.fixture\ndef value():\n    os._exit(0)\n"
     "def test_value(value):\n    assert value == 3\n"},
    {"pytest", "os._exit(0) at interpreter exit, after a failing test",
     "import atexit, os\natexit.register(lambda: os._exit(0))\n"
     "def test_a():\n    assert 1 == 2\n"},
    {"pytest", "os._exit(0) at interpreter exit, after one passing and one failing test",
     "import atexit, os\natexit.register(lambda: os._exit(0))\n"
     "def test_a():\n    assert 1 == 1\ndef test_b():\n    assert 1 == 2\n"},
    {"go_test", "os.Exit(0) in init, before any test",
     "package add_test\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\nfunc init() { os.Exit(0) }\n\n"
     "func TestAdd(t *testing.T) { t.Fatal(\"wrong\") }\n"},
    {"go_test", "os.Exit(0) inside a test",
     "package add_test\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\n"
     "func TestA(t *testing.T) { os.Exit(0) }\n\nfunc TestB(t *testing.T) { t.Fatal(\"wrong\") "
     "}\n"},
    {"go_test", "syscall.Exit(0) inside a test (past os.Exit's check)",
     "package add_test\n\nimport (\n\t\"syscall\"\n\t\"testing\"\n)\n\n"
     "func TestA(t *testing.T) { syscall.Exit(0) }\n\nfunc TestB(t *testing.T) { t.Fatal(\"x\") "
     "}\n"},
    {"go_test", "TestMain exits 0 without running the tests",
     "package add_test\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\n"
     "func TestMain(m *testing.M) { os.Exit(0) }\n\nfunc TestA(t *testing.T) { t.Fatal(\"x\") }\n"},
    {"go_test", "TestMain exits 0 whatever the tests did",
     "package add_test\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\n"
     "func TestMain(m *testing.M) { m.Run(); os.Exit(0) }\n\n"
     "func TestA(t *testing.T) { t.Fatal(\"x\") }\n"},
    {"junit", "System.exit(0) in a static initialiser",
     "import org.junit.jupiter.api.Test;\nimport static org.junit.jupiter.api.Assertions.*;\n"
     "public class ProblemTest {\n  static { System.exit(0); }\n"
     "  @Test void add() { assertEquals(3, 1 - 2); }\n}\n"},
    {"junit", "Runtime.halt(0) in a shutdown hook, after the summary of a failure",
     "import org.junit.jupiter.api.Test;\nimport static org.junit.jupiter.api.Assertions.*;\n"
     "public class ProblemTest {\n"
     "  static { Runtime.getRuntime().addShutdownHook(new Thread(() -> "
     "Runtime.getRuntime().halt(0))); }\n"
     "  @Test void ok() { assertEquals(2, 1 + 1); }\n"
     "  @Test void add() { assertEquals(3, 1 - 2); }\n}\n"},
    {"junit", "Runtime.halt(0) inside a test",
     "import org.junit.jupiter.api.Test;\nimport static org.junit.jupiter.api.Assertions.*;\n"
     "public class ProblemTest {\n  @Test void a() { Runtime.getRuntime().halt(0); }\n"
     "  @Test void b() { assertEquals(3, 1 - 2); }\n}\n"},
};

TEST(RunnerExitAttacks, EndingTheRunnerEarlyIsNeverAccepted) {
  for (const auto& attack : kAttacks) {
    auto o = testing::run(attack.language, attack.source);
    SCOPED_TRACE(std::string(attack.language) + ": " + attack.name);
    EXPECT_NE(o.verdict, Verdict::Accepted) << o.stdout_data << o.stderr_data;
    EXPECT_EQ(o.verdict, Verdict::RuntimeError) << o.message << o.compile_output;
  }
  testing::expect_nothing_left_behind();
}

TEST(RunnerExitAttacks, HonestSuitesStillPass) {
  const Attack honest[] = {
      {"pytest", "passing tests with a warning",
       "import warnings\ndef add(a, b): return a + b\n"
       "def test_add():\n    warnings.warn('w')\n    assert add(1, 2) == 3\n"},
      {"go_test", "TestMain that runs the tests",
       "package add_test\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\n"
       "func TestMain(m *testing.M) { os.Exit(m.Run()) }\n\n"
       "func TestA(t *testing.T) { if 1+2 != 3 { t.Fatal(\"x\") } }\n"},
      {"junit", "a passing test method",
       "import org.junit.jupiter.api.Test;\nimport static org.junit.jupiter.api.Assertions.*;\n"
       "public class ProblemTest {\n  @Test void add() { assertEquals(3, 1 + 2); }\n}\n"},
  };
  for (const auto& suite : honest) {
    auto o = testing::run(suite.language, suite.source);
    EXPECT_EQ(o.verdict, Verdict::Accepted)
        << suite.language << ": " << suite.name << "\n"
        << o.message << o.compile_output << o.stdout_data << o.stderr_data;
  }
}

}  // namespace
}  // namespace crucible::sandbox
