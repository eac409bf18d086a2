// Who the jailed processes are. Inside the user namespace the jail's init is root (host
// uid kHostInitUid, unprivileged outside) and the program runs as uid/gid 1000: outside, gid
// kHostSandboxGid and a host uid of its run's own (host_program_uid). None maps to any host
// account with rights.
#pragma once

#include <sys/types.h>

#include <string>

namespace crucible::sandbox::jail {

inline constexpr uid_t kHostInitUid = 65533;
inline constexpr gid_t kHostSandboxGid = 65534;
inline constexpr uid_t kInsideSandboxUid = 1000;

// The kernel keeps some counters per host uid, whatever the namespace: the pipe buffer pages a
// user holds (past fs.pipe-user-pages-soft every new pipe of that uid gets 8 KiB instead of
// 64 KiB) and the descriptors it has in flight over Unix sockets (past the sender's open-file
// limit a send fails). Programs of concurrent runs sharing a uid could signal to each other
// through them, so each run's program gets a host uid of its own: this base plus its
// supervisor's pid, which no other live run has (a run's processes die with it). The range
// lies above the container ranges systemd and LXD hand out and below 2^31.
inline constexpr uid_t kHostProgramUidBase = 0x70000000;
inline constexpr uid_t kHostProgramUids = 1u << 22;  // the kernel's largest pid_max
uid_t host_program_uid(pid_t supervisor);
bool is_host_program_uid(uid_t uid);

// Supervisor side: clone(flags) with fork semantics (0 in the child), flags including
// CLONE_NEWUSER, so that the new user namespace belongs to kHostInitUid rather than root. The
// kernel charges a namespace's per-user counters (inotify instances and watches, queued
// signals, namespaces) to its owner at every level up the chain: owned by root, N concurrent
// runs took N times their cap from root's budgets. Root is back in the parent on return.
pid_t clone_owned_namespaces(long flags);

// Supervisor side: writes uid_map and gid_map of the freshly cloned `pid`, the program's uid
// mapped to `program_uid`. Returns an error message, or "" on success.
std::string write_id_maps(pid_t pid, uid_t program_uid);

// Init side, after the maps exist: become root of the namespace so files can be created.
void become_namespace_root();

// Init side, while parked: empties the capability bounding set, which the program's process
// inherits (init keeps its own effective capabilities for the mounts; it never execs). Each
// drop is a credential change: the 41 of them cost the request path ~60 us in the program's
// child. Throws SandboxFailure.
void empty_bounding_set();

// Program side, last before exec: no groups, uid/gid 1000, no capabilities (the bounding set
// came empty from init; leaving uid 0 clears the permitted and effective sets; the ambient set
// is emptied), no_new_privs. Returns the failed step (errno set) or nullptr; it neither
// allocates nor throws, as it runs in a child sharing init's memory until exec.
const char* drop_to_sandbox_user();

}  // namespace crucible::sandbox::jail
