// Shared pieces for tests that run the real jail: one Sandbox per test binary with a
// private compile cache, and the checks that a run left nothing behind.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "sandbox/sandbox.hpp"

namespace crucible::testing {

// A Sandbox whose compile cache lives in a temporary directory removed at exit.
sandbox::Sandbox& shared_sandbox();
// The same as `crucible run` makes it (SandboxOptions::single_run): its helper serves one
// request at a time in its own process, each marked the client's last.
sandbox::Sandbox& one_at_a_time_sandbox();

// Host processes running as the jail's uids (there should be none between runs but the
// helper's parked jails, which are not counted).
std::vector<int> jailed_processes();
// Those of them running as the program's uid: none may outlive a run's answer.
std::vector<int> program_processes();
// Crucible cgroups still holding tasks, and per-run (v2) groups not removed (the parked
// jail's group excepted).
std::vector<std::string> leftover_run_cgroups();
// The cgroups a jail helper made (directories named crucible-PID under the cgroup roots).
std::vector<std::string> helper_cgroups(pid_t helper);
// Staging directories left in the compile caches of the sandboxes above.
std::vector<std::string> leftover_staging_dirs();

// Fails the current test if anything of a run survived it: a program's process at once, a
// jail's own init or cgroup slot once it has had moments to finish its exit.
void expect_nothing_left_behind();

// Tight limits for hostile programs: 1 s CPU, 3 s wall, 128 MiB, 1 MiB of output, 8 MiB
// files, 32 processes.
sandbox::Limits hostile_limits();

// Runs `source` in `language` with optional stdin and limits (in `sb`: shared_sandbox()
// unless given).
sandbox::Outcome run(const std::string& language, const std::string& source,
                     const std::string& stdin_data = "", const sandbox::Limits& limits = {});
sandbox::Outcome run_in(sandbox::Sandbox& sb, const std::string& language,
                        const std::string& source, const std::string& stdin_data = "",
                        const sandbox::Limits& limits = {});

}  // namespace crucible::testing
