// The run's network: a namespace of its own holding only a loopback device, brought up.
// Programs may open IP sockets (seccomp allows AF_INET/AF_INET6), but they reach only the
// run itself; abstract Unix sockets are scoped by network namespace too, so no run can
// connect to another (or pass it descriptors).
//
// Creating a namespace costs about 0.6 ms, so the helper makes the next run's namespace
// ahead of the request (right after handing the last one out) and the supervisor joins it
// before cloning the run; each namespace serves one submission's runs and is then dropped.
#pragma once

#include "base/unique_fd.hpp"

namespace crucible::sandbox::jail {

// A new network namespace with "lo" up, as a descriptor; the caller stays in its own.
// Needs CAP_SYS_ADMIN and CAP_NET_ADMIN (the helper runs as root). Throws SandboxFailure.
unique_fd make_loopback_network();

// Moves the calling process into the namespace `fd` refers to. Throws SandboxFailure.
void join_network(int fd);

}  // namespace crucible::sandbox::jail
