// One run, from the supervisor's side: make the run's cgroup, clone the namespaces,
// feed stdin, collect capped stdout/stderr, enforce wall and CPU time, kill the whole tree
// at the end, measure, clean up. Runs in a process forked from the jail helper.
#pragma once

#include <linux/filter.h>

#include <functional>
#include <vector>

#include "sandbox/jail/cgroup.hpp"
#include "sandbox/jail/spec.hpp"

namespace crucible::sandbox::jail {

// Runs every input of `spec` in one jail (see spec.hpp) and calls `deliver` with one report
// per run as soon as they are complete, before the slot is cleaned (off the caller's
// critical path). Reports stop early when a run hit a limit. `slot` is the cgroup slot the
// helper assigned (see CgroupHost::slot); `filter` the seccomp program compiled once.
// Returns false if the slot could not be cleaned (the helper must not reuse it).
bool supervise(const JailSpec& spec, const CgroupHost& cgroups, int slot, const sock_fprog& filter,
               const std::function<void(const std::vector<JailReport>&)>& deliver);

}  // namespace crucible::sandbox::jail
