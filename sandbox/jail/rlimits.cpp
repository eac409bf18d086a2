#include "sandbox/jail/rlimits.hpp"

#include <fcntl.h>

#include <algorithm>
#include <cmath>

#include "base/files.hpp"
#include "base/unique_fd.hpp"

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
      // Queued signals count per user up the user-namespace chain, so without this one run
      // holds the host root's whole budget and the host's sigqueue and timer_create fail.
      {RLIMIT_SIGPENDING, "sigpending", 1024, 1024,
       "queued signals and POSIX timers taking the host root's pending-signal budget"},
      {RLIMIT_RTPRIO, "rtprio", 0, 0, "real-time scheduling starving the host"},
      {RLIMIT_NICE, "nice", 0, 0, "raising priority over the host"},
  };
}

const char* apply_rlimits(const std::vector<RlimitRow>& rows) {
  for (const auto& row : rows) {
    rlimit rl{row.soft, row.hard};
    if (setrlimit(row.resource, &rl) != 0) return row.name;
  }
  return nullptr;
}

const std::vector<NamespaceLimitRow>& namespace_limit_table() {
  static const std::vector<NamespaceLimitRow> table = {
      // The host's default is 128 instances per user: a run could otherwise take all of
      // root's, and the host's own inotify_init would fail while it runs.
      {"max_inotify_instances", 4, "inotify instances taking the host root's share"},
      {"max_inotify_watches", 1024, "inotify watches taking the host root's share"},
  };
  return table;
}

const char* apply_namespace_limits() {
  for (const auto& row : namespace_limit_table()) {
    std::string path = std::string("/proc/sys/user/") + row.sysctl;
    std::string value = std::to_string(row.value);
    unique_fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd || !write_all(fd.get(), value)) return row.sysctl;
  }
  return nullptr;
}

}  // namespace crucible::sandbox::jail
