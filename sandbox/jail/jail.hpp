// The jail's init: the first process of the run's namespaces. jail.cpp only states the
// order of the isolation steps; each step lives in the file of its concern.
#pragma once

#include <linux/filter.h>

#include "sandbox/jail/spec.hpp"

namespace crucible::sandbox::jail {

// Descriptors init inherits from the supervisor.
struct InitChannels {
  int release_fd;  // read: one byte once the id maps and cgroups are in place
  int status_fd;   // write: StatusMessage records
  int error_fd;    // write: a setup error message (close-on-exec, so exec closes it)
  int stdin_fd, stdout_fd, stderr_fd;
};

// What init tells the supervisor: 'S' when the program starts, 'E' when it ends.
struct StatusMessage {
  char tag;
  int wait_status;         // 'E': the program's waitpid status
  long long time_ns;       // CLOCK_MONOTONIC at start ('S') or wall time used ('E')
  long long setup_cpu_ns;  // 'S': CPU the jail's own setup spent, charged to the cgroup
};

// Runs in the cloned child; never returns.
[[noreturn]] void run_init(const JailSpec& spec, const InitChannels& ch, const sock_fprog& filter);

}  // namespace crucible::sandbox::jail
