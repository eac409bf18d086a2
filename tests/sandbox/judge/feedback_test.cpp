#include "sandbox/judge/feedback.hpp"

#include <gtest/gtest.h>

namespace crucible::sandbox::judge {
namespace {

TEST(Diagnostics, Gcc) {
  auto d =
      parse_diagnostics("gcc",
                        "/box/main.c: In function 'main':\n"
                        "/box/main.c:3:10: error: 'x' undeclared (first use in this function)\n"
                        "/box/main.c:5:1: warning: control reaches end of non-void function\n");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].file, "main.c");
  EXPECT_EQ(d[0].line, 3);
  EXPECT_EQ(d[0].column, 10);
  EXPECT_EQ(d[0].severity, "error");
  EXPECT_EQ(d[0].message, "'x' undeclared (first use in this function)");
  EXPECT_EQ(d[1].severity, "warning");
}

TEST(Diagnostics, Javac) {
  auto d = parse_diagnostics(
      "javac", "/box/Main.java:4: error: ';' expected\n  int x = 1\n           ^\n1 error\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].file, "Main.java");
  EXPECT_EQ(d[0].line, 4);
  EXPECT_EQ(d[0].message, "';' expected");
}

TEST(Diagnostics, Rustc) {
  auto d = parse_diagnostics(
      "rustc",
      "error[E0308]: mismatched types\n --> /box/main.rs:1:22\n  |\n1 | fn main(){ let x: i32 "
      "= \"s\"; }\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].file, "main.rs");
  EXPECT_EQ(d[0].line, 1);
  EXPECT_EQ(d[0].column, 22);
  EXPECT_EQ(d[0].message, "mismatched types");
}

TEST(Diagnostics, PythonSyntaxError) {
  auto d = parse_diagnostics(
      "python3",
      "  File \"/box/main.py\", line 2\n    def f(:\n          ^\nSyntaxError: invalid syntax\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 2);
  EXPECT_EQ(d[0].message, "SyntaxError: invalid syntax");
}

TEST(Diagnostics, GoAndShellcheckAndPyflakes) {
  auto go = parse_diagnostics("go", "./main.go:3:5: undefined: x\n");
  ASSERT_EQ(go.size(), 1u);
  EXPECT_EQ(go[0].line, 3);
  auto sc = parse_diagnostics(
      "shellcheck", "/box/main.sh:1:6: warning: Double quote to prevent globbing [SC2086]\n");
  ASSERT_EQ(sc.size(), 1u);
  EXPECT_EQ(sc[0].severity, "warning");
  auto pf = parse_diagnostics("pyflakes", "/box/main.py:1:1: 'os' imported but unused\n");
  ASSERT_EQ(pf.size(), 1u);
  EXPECT_EQ(pf[0].message, "'os' imported but unused");
}

TEST(Diagnostics, GarbageGivesNothing) {
  EXPECT_TRUE(parse_diagnostics("gcc", "").empty());
  EXPECT_TRUE(parse_diagnostics("gcc", "hello world\n\x01\x02\n").empty());
  EXPECT_TRUE(parse_diagnostics("gcc", std::string(10000, ':')).empty());
}

}  // namespace
}  // namespace crucible::sandbox::judge
