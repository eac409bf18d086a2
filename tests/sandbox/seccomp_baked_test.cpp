// The helper installs the seccomp program compiled at build time: it must be the program
// libseccomp compiles from the table now, instruction for instruction.
#include <gtest/gtest.h>

#include "sandbox/jail/seccomp_baked.hpp"
#include "sandbox/jail/seccomp_rules.hpp"

namespace crucible::testing {
namespace {

TEST(SeccompBaked, IsTheProgramCompiledFromTheTable) {
  auto baked = sandbox::jail::baked_seccomp_program();
  auto compiled = sandbox::jail::compile_seccomp_program();
  ASSERT_EQ(baked.size(), compiled.size());
  for (size_t i = 0; i < baked.size(); ++i) {
    EXPECT_EQ(baked[i].code, compiled[i].code) << "instruction " << i;
    EXPECT_EQ(baked[i].jt, compiled[i].jt) << "instruction " << i;
    EXPECT_EQ(baked[i].jf, compiled[i].jf) << "instruction " << i;
    EXPECT_EQ(baked[i].k, compiled[i].k) << "instruction " << i;
  }
}

}  // namespace
}  // namespace crucible::testing
