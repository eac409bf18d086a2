#include "sandbox/jail/identity.hpp"

#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "base/error.hpp"
#include "base/files.hpp"
#include "base/unique_fd.hpp"

namespace crucible::sandbox::jail {
namespace {

std::string write_proc(pid_t pid, const char* file, const std::string& text) {
  std::string path = "/proc/" + std::to_string(pid) + "/" + file;
  unique_fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  // The kernel needs the whole map in one write.
  if (!fd || ::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
    return errno_message("cannot write " + path, errno);
  return "";
}

}  // namespace

pid_t clone_owned_namespaces(long flags, uid_t owner) {
  auto clone_now = [flags] {
    return static_cast<pid_t>(::syscall(SYS_clone, flags, nullptr, nullptr, nullptr, nullptr));
  };
  // Only the effective uid changes (the real and saved ones stay 0, so root comes back), with
  // raw calls: the supervisor owns no other thread for glibc to coordinate with.
  if (::syscall(SYS_setresuid, -1, owner, -1) == 0) {
    pid_t pid = clone_now();
    if (pid == 0) return 0;
    int clone_errno = errno;
    if (::syscall(SYS_setresuid, -1, 0, -1) != 0) ::_exit(3);  // a supervisor without root
    if (pid > 0 || clone_errno != EPERM) {
      errno = clone_errno;
      return pid;
    }
  }
  // A host that lets only privileged processes make user namespaces (Debian's
  // kernel.unprivileged_userns_clone=0): root owns this one, as `crucible doctor` reports.
  return clone_now();
}

namespace {

// Both ranges hold one uid per possible supervisor pid.
uid_t uid_in_range(uid_t base, pid_t supervisor) {
  return base + static_cast<uid_t>(supervisor) % kHostProgramUids;
}

bool is_in_range(uid_t base, uid_t uid) {
  return uid >= base && uid - base < kHostProgramUids;
}

}  // namespace

uid_t host_program_uid(pid_t supervisor) {
  return uid_in_range(kHostProgramUidBase, supervisor);
}

bool is_host_program_uid(uid_t uid) {
  return is_in_range(kHostProgramUidBase, uid);
}

uid_t host_init_uid(pid_t supervisor) {
  return uid_in_range(kHostInitUidBase, supervisor);
}

bool is_host_init_uid(uid_t uid) {
  return is_in_range(kHostInitUidBase, uid);
}

std::string write_id_maps(pid_t pid, uid_t init_uid, uid_t program_uid) {
  auto map = [](unsigned root, unsigned user) {
    return "0 " + std::to_string(root) + " 1\n" + std::to_string(kInsideSandboxUid) + " " +
           std::to_string(user) + " 1\n";
  };
  std::string err = write_proc(pid, "uid_map", map(init_uid, program_uid));
  if (err.empty()) err = write_proc(pid, "gid_map", map(kHostInitGid, kHostSandboxGid));
  return err;
}

void become_namespace_root() {
  if (::setresgid(0, 0, 0) != 0 || ::setresuid(0, 0, 0) != 0)
    throw SandboxFailure(errno_message("jail: cannot become root of the user namespace", errno));
}

void empty_bounding_set() {
  for (int cap = 0; cap <= CAP_LAST_CAP; ++cap)
    if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL)
      throw SandboxFailure(errno_message("jail: cannot drop a capability", errno));
}

const char* drop_to_sandbox_user() {
  // Raw calls: glibc's wrappers would coordinate with threads this child does not own.
  if (::syscall(SYS_setgroups, 0, nullptr) != 0) return "setgroups";
  uid_t id = kInsideSandboxUid;
  if (::syscall(SYS_setresgid, id, id, id) != 0) return "setresgid";
  // Leaving uid 0 clears the permitted and effective capability sets.
  if (::syscall(SYS_setresuid, id, id, id) != 0) return "setresuid";
  ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return "no_new_privs";
  return nullptr;
}

}  // namespace crucible::sandbox::jail
