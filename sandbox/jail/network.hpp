// The run's network: a namespace of its own holding only a loopback device, brought up.
// Programs may open IP sockets (seccomp allows AF_INET/AF_INET6), but they reach only the
// run itself; abstract Unix sockets are scoped by network namespace too, so no run can
// connect to another (or pass it descriptors).
//
// Each parked supervisor makes its run's namespace while it waits for a request (~0.45 ms,
// off the request path) and clones the jail inside it; a supervisor that cannot make one runs
// nothing. Each namespace serves one submission's runs and goes with its supervisor.
#pragma once

namespace crucible::sandbox::jail {

// Moves the calling process into a new network namespace with "lo" up. Needs CAP_SYS_ADMIN
// and CAP_NET_ADMIN (the helper runs as root). Throws SandboxFailure.
void enter_loopback_network();

}  // namespace crucible::sandbox::jail
