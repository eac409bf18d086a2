// Per-process resource limits as a table (one row per limit and the threat it answers).
// Whole-tree limits (memory, process count) are the cgroup's job, never RLIMIT_AS, which
// breaks the JVM, Go and OpenBLAS by counting reserved address space.
#pragma once

#include <sys/resource.h>

#include <string>
#include <vector>

#include "sandbox/limits.hpp"

namespace crucible::sandbox::jail {

struct RlimitRow {
  int resource;
  const char* name;
  rlim_t soft;
  rlim_t hard;
  const char* threat;
};

std::vector<RlimitRow> rlimit_table(const Limits& limits);

// Applies every row; returns the name of the first one that failed, or nullptr. Takes the
// table made beforehand: it runs in the program's child, which shares init's memory until
// exec and so must not allocate.
const char* apply_rlimits(const std::vector<RlimitRow>& rows);

// Counters the kernel keeps per user and charges up the user-namespace chain, so a run's
// use also counts against the host's root (the owner of the jail's user namespace): left at
// the host's values, one run could take the host root's whole share. Each is capped per run
// in the run's own user namespace (/proc/sys/user/*, written by init while it holds the
// namespace's CAP_SYS_RESOURCE; the program cannot raise it).
struct NamespaceLimitRow {
  const char* sysctl;  // under /proc/sys/user/
  long value;
  const char* threat;
};

const std::vector<NamespaceLimitRow>& namespace_limit_table();

// Writes every row for the calling process's user namespace; returns the sysctl of the first
// that failed (errno set), or nullptr.
const char* apply_namespace_limits();

}  // namespace crucible::sandbox::jail
