// Per-run cgroups: memory and process-count limits for the whole process tree, and the
// measurements (CPU time, peak memory, OOM kills) that the verdict depends on.
//
// CgroupHost is detected once (which hierarchy, where we may write); it owns a parent
// group "crucible-<pid>". On cgroup v1 runs reuse pooled "slot-N" groups: creating and
// removing a memory cgroup per run leaves offline memcgs behind that slow the kernel
// down (measured: 387 -> 81 runs/s within a minute). On v2 each run gets a fresh group.
//
//   CgroupHost host = CgroupHost::detect();   // throws SandboxFailure naming the fix
//   RunCgroup cg = host.slot(0, "run-42");
//   cg.prepare(limits); cg.add(pid); ... cg.cpu_seconds(); cg.release();
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/unique_fd.hpp"
#include "sandbox/limits.hpp"

namespace crucible::sandbox::jail {

enum class CgroupVersion { V1, V2 };

class RunCgroup {
 public:
  RunCgroup() = default;
  // `homes` (v1): where the helper's processes live, one per directory, for leave_self().
  RunCgroup(CgroupVersion version, std::vector<std::string> dirs, bool pooled,
            std::vector<std::string> homes = {});
  // Applies a run's limits (those already applied by an earlier call are not written again)
  // and counts peak memory and OOM kills from here.
  void prepare(const Limits& limits);
  // Between two runs of one jail: the next run's peak memory and OOM kills count from here.
  void start_next_run();
  // Moves `pid` (and so its future children) into the group.
  void add(pid_t pid) const;
  // v1: moves the calling single-threaded process into the group, so a child it forks is
  // born there, and leave_self() moves it home again. A process that moves itself ("0" into
  // `tasks`) skips the global lock that moving another takes, whose writer waits out an RCU
  // grace period: 7-15 ms after an idle spell here, against 0.08 ms. False (nothing moved)
  // on v2, without homes, or when a move fails; then add() the child instead.
  bool enter_self() const;
  void leave_self() const;  // throws SandboxFailure
  // v2: the group's CPU weight, lowest while its jail is torn down and the default otherwise
  // (there the group, not each task's nice value, competes for the CPU). Best effort: a
  // weight that cannot be written changes only who waits. v1: nothing to do.
  void set_idle(bool idle) const;
  double cpu_seconds() const;
  uint64_t peak_memory_bytes() const;
  uint64_t oom_kills() const;
  // Number of tasks still in the group.
  size_t task_count() const;
  // After a run: kills what is left, waits until the group is empty and, for a pooled
  // slot, gives back the memory charged to it; a fresh group is removed instead.
  // Returns false if the group could not be emptied (or removed).
  bool release();
  // Removes the group's directories; retries briefly while the kernel lets go of them.
  bool destroy();

 private:
  const std::string& dir(const char* controller) const;
  bool wait_empty();
  CgroupVersion version_ = CgroupVersion::V1;
  bool pooled_ = false;
  uint64_t oom_baseline_ = 0;
  uint64_t memory_baseline_ = 0;  // page cache a reused slot still holds at prepare()
  // The limits the last prepare() wrote (none before the first).
  struct AppliedLimits {
    uint64_t memory_bytes;
    uint32_t processes;
  };
  std::optional<AppliedLimits> applied_;
  // The counters a run reads (CPU, peak and current memory, OOM kills), opened once: reading
  // one again is a pread instead of an open, a read and a close (7.5 us against 0.7 us each
  // here, several per run on the request path). Closed before the group is removed.
  std::string counter(const std::string& path) const;
  mutable std::map<std::string, unique_fd> counters_;
  // v1: memory, pids, cpuacct directories; v2: the one directory.
  std::vector<std::string> dirs_;
  std::vector<std::string> homes_;  // v1: the helper's own group in each hierarchy
};

class CgroupHost {
 public:
  // Finds writable memory+pids(+cpuacct) controllers; throws SandboxFailure otherwise.
  static CgroupHost detect();
  CgroupVersion version() const { return version_; }
  // A human-readable description for `crucible doctor`.
  std::string describe() const;
  // The group for one run: pooled slot `index` on v1 (created on first use), a fresh
  // "<parent>/<run_name>" on v2. Call prepare() before use and release() after.
  RunCgroup slot(int index, const std::string& run_name) const;
  // Removes slots 0..count-1 and the parent groups (when the helper exits).
  void remove_parent(int slot_count = 0) const;
  // Removes groups left by helpers that died without cleaning up.
  void sweep_stale() const;

 private:
  CgroupVersion version_ = CgroupVersion::V1;
  std::vector<std::string> roots_;    // v1: memory, pids, cpuacct mount dirs; v2: the mount
  std::vector<std::string> parents_;  // our "crucible-<pid>" group under each root
};

}  // namespace crucible::sandbox::jail
