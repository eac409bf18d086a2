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

// Applies every row; returns the name of the first one that failed, or nullptr.
const char* apply_rlimits(const Limits& limits);

}  // namespace crucible::sandbox::jail
