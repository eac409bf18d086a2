// Per-run cgroups: memory and process-count limits for the whole process tree, and the
// measurements (CPU time, peak memory, OOM kills) that the verdict depends on.
//
// CgroupHost is detected once (which hierarchy, where we may write); it owns a parent
// group "crucible-<pid>" under which each run gets its own child group.
//
//   CgroupHost host = CgroupHost::detect();   // throws SandboxFailure naming the fix
//   RunCgroup cg = host.create_run("run-42", limits);
//   cg.add(pid); ... cg.cpu_seconds(); cg.destroy();
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sandbox/limits.hpp"

namespace crucible::sandbox::jail {

enum class CgroupVersion { V1, V2 };

class RunCgroup {
 public:
  RunCgroup() = default;
  RunCgroup(CgroupVersion version, std::vector<std::string> dirs);
  // Moves `pid` (and so its future children) into the group.
  void add(pid_t pid) const;
  double cpu_seconds() const;
  uint64_t peak_memory_bytes() const;
  uint64_t oom_kills() const;
  // Number of tasks still in the group.
  size_t task_count() const;
  // Removes the group's directories; retries briefly while the kernel lets go of them.
  // Returns false if a directory could not be removed.
  bool destroy();

 private:
  const std::string& dir(const char* controller) const;
  CgroupVersion version_ = CgroupVersion::V1;
  // v1: memory, pids, cpuacct directories; v2: the one directory.
  std::vector<std::string> dirs_;
};

class CgroupHost {
 public:
  // Finds writable memory+pids(+cpuacct) controllers; throws SandboxFailure otherwise.
  static CgroupHost detect();
  CgroupVersion version() const { return version_; }
  // A human-readable description for `crucible doctor`.
  std::string describe() const;
  // Creates "<parent>/<name>" with the run's limits applied.
  RunCgroup create_run(const std::string& name, const Limits& limits) const;
  // Removes the parent groups (when the helper exits) and stale ones left by dead helpers.
  void remove_parent() const;
  void sweep_stale() const;

 private:
  CgroupVersion version_ = CgroupVersion::V1;
  std::vector<std::string> roots_;    // v1: memory, pids, cpuacct mount dirs; v2: the mount
  std::vector<std::string> parents_;  // our "crucible-<pid>" group under each root
};

}  // namespace crucible::sandbox::jail
