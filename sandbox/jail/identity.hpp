// Who the jailed processes are. Inside the user namespace the jail's init is root and the
// program runs as uid/gid 1000. Outside, each run has host uids of its own (host_init_uid,
// host_program_uid) and gids kHostInitGid and kHostSandboxGid; none maps to any host account with
// rights.
#pragma once

#include <sys/types.h>

#include <string>

namespace crucible::sandbox::jail {

inline constexpr gid_t kHostInitGid = 65533;  // init's gid outside (root's group inside)
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

// The kernel charges a user namespace's per-user counters (inotify instances and watches,
// queued signals, processes, namespaces) to its owner at every level up the chain. Owned by
// root, N concurrent runs took N times their cap from root's budgets; owned by one shared uid,
// 40 runs at once shared its 128 inotify instances (8 of them got none). So each run's
// namespace has an owner of its own, which is also its init's host uid: the range right after
// the programs', again by supervisor pid.
inline constexpr uid_t kHostInitUidBase = kHostProgramUidBase + kHostProgramUids;
uid_t host_init_uid(pid_t supervisor);
bool is_host_init_uid(uid_t uid);

// Every host uid a jail may use, programs' and inits': [kHostJailUidBase, + kHostJailUids).
inline constexpr uid_t kHostJailUidBase = kHostProgramUidBase;
inline constexpr uid_t kHostJailUids = 2 * kHostProgramUids;

// Supervisor side: clone(flags) with fork semantics (0 in the child), flags including
// CLONE_NEWUSER, so that the new user namespace belongs to `owner` (host_init_uid) rather than
// root. Root is back in the parent on return.
pid_t clone_owned_namespaces(long flags, uid_t owner);

// Supervisor side: writes uid_map and gid_map of the freshly cloned `pid`: root inside mapped
// to `init_uid`, the program's uid to `program_uid`. Returns an error message, or "" on success.
std::string write_id_maps(pid_t pid, uid_t init_uid, uid_t program_uid);

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
