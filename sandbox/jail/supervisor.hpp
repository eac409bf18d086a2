// One run, from the supervisor's side: make the run's cgroup, clone the namespaces,
// feed stdin, collect capped stdout/stderr, enforce wall and CPU time, kill the whole tree
// at the end, measure, clean up. Runs in a process forked from the jail helper.
#pragma once

#include <seccomp.h>

#include "sandbox/jail/cgroup.hpp"
#include "sandbox/jail/spec.hpp"

namespace crucible::sandbox::jail {

// `slot` is the cgroup slot the helper assigned to this run (see CgroupHost::slot).
JailReport supervise(const JailSpec& spec, const CgroupHost& cgroups, int slot, scmp_filter_ctx filter);

}  // namespace crucible::sandbox::jail
