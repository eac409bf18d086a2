// One run, from the supervisor's side: make the run's cgroup, clone the namespaces,
// feed stdin, collect capped stdout/stderr, enforce wall and CPU time, kill the whole tree
// at the end, measure, clean up. Runs in a process forked from the jail helper.
#pragma once

#include <linux/filter.h>

#include <functional>

#include "sandbox/jail/cgroup.hpp"
#include "sandbox/jail/spec.hpp"

namespace crucible::sandbox::jail {

// `slot` is the cgroup slot the helper assigned to this run (see CgroupHost::slot); `filter`
// is the seccomp program compiled once by the helper. `deliver` is called with the report
// as soon as it is complete, before the slot is cleaned for its next run (off the
// caller's critical path); a slot that cannot be emptied is reported through the return.
// Returns false if the slot could not be cleaned (the helper must not reuse it).
bool supervise(const JailSpec& spec, const CgroupHost& cgroups, int slot, const sock_fprog& filter,
               const std::function<void(const JailReport&)>& deliver);

}  // namespace crucible::sandbox::jail
