// Scheduling of a parked jail: prepared with idle CPU only (SCHED_IDLE), then raised to the
// normal policy when its request comes (the helper and the supervisor are the host's root).
#pragma once

#include <sched.h>
#include <sys/types.h>

namespace crucible::sandbox::jail {

// Sets `pid`'s policy (0: the caller) with priority 0. Best effort: a jail on a host that
// refuses it only loses the ordering, never a run.
inline void set_scheduling(pid_t pid, int policy) {
  sched_param param{};
  (void)::sched_setscheduler(pid, policy, &param);
}

}  // namespace crucible::sandbox::jail
