// The jail's init: the first process of the run's namespaces. jail.cpp only states the
// order of the isolation steps; each step lives in the file of its concern.
#pragma once

#include <linux/filter.h>

#include "sandbox/jail/spec.hpp"

namespace crucible::sandbox::jail {

// Descriptors init inherits from the supervisor.
struct InitChannels {
  int go_fd;      // read: one byte once id maps and cgroups exist, then one before each run
                  // after the first
  int setup_fd;   // read: the request's trees (SCM_RIGHTS), then its spec (protocol.hpp)
  int status_fd;  // write: StatusMessage records
  int error_fd;   // write: a setup error message (close-on-exec, so exec closes it)
  int stdout_fd, stderr_fd;
  int files_fd;  // write: after a run's 'E', the files it was asked to send back (fetch.hpp)
};

// What init tells the supervisor, per run: 'S' when the program starts, 'E' when it and
// everything it started are gone.
struct StatusMessage {
  char tag;
  int wait_status;          // 'E': the program's waitpid status
  long long time_ns;        // CLOCK_MONOTONIC at start ('S') or wall time used ('E')
  long long init_cpu_ns;    // init's own CPU so far (charged to the cgroup, not the program's)
  long long max_rss_bytes;  // 'E': the program's own high-water RSS (from wait4)
};

// Init's process name while parked (no request yet, nothing of a user's has run; set from
// the clone on) and once it has its request: a parked jail is the helper's, not a leftover
// of some run.
inline constexpr const char* kParkedInitName = "crucible-park";
inline constexpr const char* kInitName = "crucible-init";

// Runs in the cloned child; never returns. Builds what does not depend on the request first,
// then waits for it on setup_fd (exits quietly if that closes first).
[[noreturn]] void run_init(const InitChannels& ch, const sock_fprog& filter);

}  // namespace crucible::sandbox::jail
