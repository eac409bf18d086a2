// The seccomp filter compiled when Crucible is built (crucible-seccomp-bake writes it from
// seccomp_rules' table): the jail helper installs it instead of compiling the table with
// libseccomp at each start, which took ~0.3 ms of every helper's start (a one-shot command's
// critical path). A unit test checks it equals compile_seccomp_program().
#pragma once

#include <linux/filter.h>

#include <vector>

namespace crucible::sandbox::jail {

std::vector<sock_filter> baked_seccomp_program();

}  // namespace crucible::sandbox::jail
