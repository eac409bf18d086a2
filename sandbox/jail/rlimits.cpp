#include "sandbox/jail/rlimits.hpp"

#include <algorithm>
#include <cmath>

namespace crucible::sandbox::jail {

std::vector<RlimitRow> rlimit_table(const Limits& limits) {
  // The supervisor enforces CPU time across the tree; this is the per-process backstop.
  rlim_t cpu = static_cast<rlim_t>(std::ceil(limits.cpu_seconds)) + 1;
  rlim_t stack = std::min<rlim_t>(limits.memory_bytes, 256ull << 20);
  return {
      {RLIMIT_CPU, "cpu", cpu, cpu + 1,
       "a process spinning past its CPU time if the supervisor is late"},
      {RLIMIT_NOFILE, "nofile", limits.open_files, limits.open_files, "descriptor exhaustion"},
      {RLIMIT_FSIZE, "fsize", limits.file_size_bytes, limits.file_size_bytes,
       "one huge file filling the disk"},
      {RLIMIT_CORE, "core", 0, 0, "core dumps filling the disk and leaking memory"},
      {RLIMIT_STACK, "stack", stack, stack, "deep recursion beyond the memory limit"},
      {RLIMIT_MEMLOCK, "memlock", 64 << 10, 64 << 10, "pinning host memory"},
      {RLIMIT_MSGQUEUE, "msgqueue", 0, 0, "POSIX message queues holding kernel memory"},
      {RLIMIT_RTPRIO, "rtprio", 0, 0, "real-time scheduling starving the host"},
      {RLIMIT_NICE, "nice", 0, 0, "raising priority over the host"},
  };
}

const char* apply_rlimits(const Limits& limits) {
  for (const auto& row : rlimit_table(limits)) {
    rlimit rl{row.soft, row.hard};
    if (setrlimit(row.resource, &rl) != 0) return row.name;
  }
  return nullptr;
}

}  // namespace crucible::sandbox::jail
