// One jail, from the supervisor's side: make the run's cgroup, clone the namespaces (both
// ahead of the request), hand init the request, collect capped stdout/stderr, enforce wall
// and CPU time, kill the whole tree at the end, measure, clean up. Runs in a process forked
// from the jail helper.
#pragma once

#include <linux/filter.h>

#include <functional>
#include <memory>
#include <vector>

#include "sandbox/jail/cgroup.hpp"
#include "sandbox/jail/spec.hpp"

namespace crucible::sandbox::jail {

// Tearing a jail down waits for idle CPU: once its caller has the answer, the supervisor puts
// its process group (itself and what is left of its jail) at this nice value and its cgroup
// at the lowest weight (v2). Back to back on two cores that teardown otherwise slowed the
// next run (sandbox_bench, same run: `python3 -c pass` 0.90-0.92x and a static binary
// 0.86-0.90x the wall time with it than without). Preparing a jail stays at normal priority:
// a jail raised again when its request came cost the request path ~0.1 ms.
inline constexpr int kBackgroundNice = 19;

// A jail made ahead of its request, in a process forked from the helper before the request
// came: the run's cgroup slot, init cloned into fresh namespaces (joined to the cgroup, its
// id maps written) and the part of the root that no request changes already built. The
// request then costs only its own limits, mounts and program.
class ParkedJail {
 public:
  // `slot` is the cgroup slot the helper assigned (see CgroupHost::slot); `filter` the
  // seccomp program compiled once. Failures are kept and reported by run().
  ParkedJail(const CgroupHost& cgroups, int slot, const sock_fprog& filter);
  ~ParkedJail();
  ParkedJail(const ParkedJail&) = delete;
  ParkedJail& operator=(const ParkedJail&) = delete;

  // Runs every input of `spec` in the jail (see spec.hpp) and calls `deliver` with one
  // report per run as soon as they are complete and no process of the run is left: before
  // the slot is cleaned and, when no run was killed, before init's own exit (both off the
  // caller's critical path). Reports stop early when a run hit a limit. Returns false if the
  // slot could not be cleaned (the helper must not reuse it). `caller` is the socket the
  // request came on (-1: none to watch): when its peer hangs up, the run is killed at once.
  // `teardown_awaited`: the caller waits for the teardown too (its last request, a one-shot
  // command), so it is not put at kBackgroundNice, where a busy host would starve it. Call
  // once.
  bool run(JailSpec spec, int caller,
           const std::function<void(const std::vector<JailReport>&)>& deliver,
           bool teardown_awaited = false);

  // No request will come: ends init and cleans the slot; false as for run().
  bool abandon();

  struct State;  // supervisor.cpp's own

 private:
  std::unique_ptr<State> state_;
};

}  // namespace crucible::sandbox::jail
