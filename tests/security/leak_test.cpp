// 200 runs in a row, a mix of clean exits, crashes, timeouts and daemons, leave nothing.
#include <gtest/gtest.h>

#include "tests/support/sandbox_env.hpp"

namespace crucible::testing {
namespace {

TEST(Leaks, TwoHundredRunsLeaveNothingBehind) {
  const char* programs[] = {
      "int main(void){return 0;}",
      "int main(void){return 3;}",
      "#include <stdlib.h>\nint main(void){abort();}",
      "#include <unistd.h>\nint "
      "main(void){if(fork()==0){setsid();if(fork()==0)for(;;)pause();}return 0;}",
      "#include <stdio.h>\nint main(void){puts(\"hi\");return 0;}",
  };
  sandbox::Limits l;
  l.cpu_seconds = 1;
  l.wall_seconds = 2;
  int ok = 0;
  for (int i = 0; i < 200; ++i) {
    auto o = run("c", programs[i % 5], "", l);
    ok += o.verdict != sandbox::Verdict::SandboxError;
  }
  EXPECT_EQ(ok, 200);
  expect_nothing_left_behind();
}

}  // namespace
}  // namespace crucible::testing
