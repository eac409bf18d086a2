#include "sandbox/jail/seccomp_rules.hpp"

#include <linux/seccomp.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/error.hpp"
#include "base/files.hpp"
#include "base/unique_fd.hpp"

namespace crucible::sandbox::jail {
namespace {

SeccompRule kill(const char* name, const char* threat) {
  SeccompRule r;
  r.syscall = name;
  r.action = SeccompAction::Kill;
  r.threat = threat;
  return r;
}

SeccompRule rule_if(SeccompAction action, const char* name, unsigned arg, scmp_compare op,
                    unsigned long long value, unsigned long long mask, const char* threat) {
  SeccompRule r;
  r.syscall = name;
  r.action = action;
  r.has_arg = true;
  r.arg = arg;
  r.op = op;
  r.value = value;
  r.mask = mask;
  r.threat = threat;
  return r;
}

SeccompRule allowed_values(SeccompRule r, std::vector<unsigned long long> also) {
  r.also_ne = std::move(also);
  return r;
}

SeccompRule nosys(const char* name, const char* threat) {
  SeccompRule r;
  r.syscall = name;
  r.action = SeccompAction::ErrnoNoSys;
  r.threat = threat;
  return r;
}

}  // namespace

const std::vector<SeccompRule>& seccomp_table() {
  static const std::vector<SeccompRule> table = [] {
    std::vector<SeccompRule> t = {
        kill("ptrace", "inspecting or steering other processes"),
        kill("process_vm_readv", "reading another process's memory"),
        kill("process_vm_writev", "writing another process's memory"),
        kill("pidfd_getfd", "stealing descriptors from another process"),
        kill("kcmp", "probing other processes' kernel objects"),
        kill("mount", "changing the file-system view"),
        kill("umount2", "uncovering hidden host mounts"),
        kill("pivot_root", "changing the root"),
        kill("chroot", "changing the root"),
        kill("open_tree", "new mount API: cloning mounts"),
        kill("move_mount", "new mount API: attaching mounts"),
        kill("fsopen", "new mount API: creating file systems"),
        kill("fsconfig", "new mount API"),
        kill("fsmount", "new mount API"),
        kill("fspick", "new mount API: reconfiguring mounts"),
        kill("mount_setattr", "changing mount flags"),
        kill("setns", "joining another namespace"),
        kill("unshare", "creating namespaces (user namespaces widen the kernel's attack surface)"),
        kill("kexec_load", "replacing the kernel"),
        kill("kexec_file_load", "replacing the kernel"),
        kill("init_module", "loading kernel modules"),
        kill("finit_module", "loading kernel modules"),
        kill("delete_module", "unloading kernel modules"),
        kill("bpf", "eBPF programs: kernel attack surface"),
        kill("perf_event_open", "performance counters: side channels and kernel attack surface"),
        kill("keyctl", "kernel keyrings are not namespaced"),
        kill("add_key", "kernel keyrings are not namespaced"),
        kill("request_key", "kernel keyrings are not namespaced"),
        kill("userfaultfd", "stalling the kernel to widen race windows"),
        kill("reboot", "rebooting the host"),
        kill("swapon", "host swap configuration"),
        kill("swapoff", "host swap configuration"),
        kill("open_by_handle_at", "opening host files by handle, bypassing the mount view"),
        kill("name_to_handle_at", "probing host file handles"),
        kill("acct", "process accounting on the host"),
        kill("settimeofday", "changing the host clock"),
        kill("clock_settime", "changing the host clock"),
        kill("clock_adjtime", "changing the host clock"),
        kill("syslog", "reading the kernel log"),
        kill("quotactl", "host quota configuration"),
        kill("iopl", "raw I/O port access"),
        kill("ioperm", "raw I/O port access"),
        kill("fanotify_init", "watching host file-system events"),
        kill("sethostname", "changing the host name"),
        kill("setdomainname", "changing the domain name"),
        kill("vhangup", "hanging up terminals"),
        kill("lookup_dcookie", "kernel profiling internals"),
        // Local and IP sockets only: each run has a network namespace of its own with nothing
        // but loopback (jail.cpp), so IP reaches only the run itself. No netlink, no packets.
        allowed_values(rule_if(SeccompAction::ErrnoAccess, "socket", 0, SCMP_CMP_NE, AF_UNIX, 0,
                               "network access (netlink, packet and other families)"),
                       {AF_INET, AF_INET6}),
        rule_if(SeccompAction::ErrnoAccess, "socketpair", 0, SCMP_CMP_NE, AF_UNIX, 0,
                "socket pairs of any family but AF_UNIX"),
        rule_if(SeccompAction::Kill, "ioctl", 1, SCMP_CMP_MASKED_EQ, TIOCSTI, 0xffffffffu,
                "injecting input into a terminal"),
        rule_if(SeccompAction::Kill, "ioctl", 1, SCMP_CMP_MASKED_EQ, TIOCLINUX, 0xffffffffu,
                "console control"),
        // clone3 passes its flags in memory a filter cannot read; glibc falls back to clone.
        nosys("clone3", "creating namespaces through clone3"),
        // Language runtimes probe io_uring and fall back to plain I/O.
        nosys("io_uring_setup", "io_uring: a large kernel attack surface"),
        nosys("io_uring_enter", "io_uring: a large kernel attack surface"),
        nosys("io_uring_register", "io_uring: a large kernel attack surface"),
        // Kernel AIO contexts count against one host-wide limit (fs.aio-max-nr): one run
        // could reserve it all and make the host's own io_setup fail. Runtimes fall back.
        nosys("io_setup", "reserving the host-wide AIO context limit"),
    };
    for (unsigned long long flag : {CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER,
                                    CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP})
      t.push_back(rule_if(SeccompAction::Kill, "clone", 0, SCMP_CMP_MASKED_EQ, flag, flag,
                          "creating namespaces through clone"));
    return t;
  }();
  return table;
}

scmp_filter_ctx build_seccomp_filter() {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (!ctx) throw SandboxFailure("seccomp: seccomp_init failed");
  // Foreign architectures (32-bit int 0x80 calls on x86-64) die at once.
  seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
  for (const auto& rule : seccomp_table()) {
    int nr = seccomp_syscall_resolve_name(rule.syscall);
    if (nr == __NR_SCMP_ERROR) continue;  // not a system call on this architecture
    uint32_t action = rule.action == SeccompAction::Kill         ? SCMP_ACT_KILL_PROCESS
                      : rule.action == SeccompAction::ErrnoNoSys ? SCMP_ACT_ERRNO(ENOSYS)
                                                                 : SCMP_ACT_ERRNO(EACCES);
    int rc;
    if (rule.has_arg) {
      if (!rule.also_ne.empty()) {
        // A list of allowed values: libseccomp takes one comparison per argument and rule,
        // so the rule fires on every value below the largest allowed one that is not in
        // the list, and on everything above it.
        std::vector<unsigned long long> allowed = rule.also_ne;
        allowed.push_back(rule.value);
        unsigned long long top = *std::max_element(allowed.begin(), allowed.end());
        rc = seccomp_rule_add(ctx, action, nr, 1, SCMP_CMP(rule.arg, SCMP_CMP_GT, top));
        for (unsigned long long v = 0; v < top && rc == 0; ++v)
          if (std::find(allowed.begin(), allowed.end(), v) == allowed.end())
            rc = seccomp_rule_add(ctx, action, nr, 1, SCMP_CMP(rule.arg, SCMP_CMP_EQ, v));
      } else {
        scmp_arg_cmp cmp = rule.op == SCMP_CMP_MASKED_EQ
                               ? SCMP_CMP(rule.arg, rule.op, rule.mask, rule.value)
                               : SCMP_CMP(rule.arg, rule.op, rule.value);
        rc = seccomp_rule_add(ctx, action, nr, 1, cmp);
      }
    } else {
      rc = seccomp_rule_add(ctx, action, nr, 0);
    }
    if (rc != 0) {
      seccomp_release(ctx);
      throw SandboxFailure(std::string("seccomp: cannot add the rule for ") + rule.syscall);
    }
  }
  return ctx;
}

}  // namespace crucible::sandbox::jail

namespace crucible::sandbox::jail {

std::vector<sock_filter> compile_seccomp_program() {
  scmp_filter_ctx ctx = build_seccomp_filter();
  unique_fd mem(::memfd_create("crucible-seccomp", MFD_CLOEXEC));
  int rc = mem ? seccomp_export_bpf(ctx, mem.get()) : -errno;
  seccomp_release(ctx);
  if (rc != 0) throw SandboxFailure(errno_message("seccomp: cannot export the filter", -rc));
  std::string bytes = read_file("/proc/self/fd/" + std::to_string(mem.get()));
  if (bytes.empty() || bytes.size() % sizeof(sock_filter) != 0)
    throw SandboxFailure("seccomp: malformed BPF export");
  std::vector<sock_filter> program(bytes.size() / sizeof(sock_filter));
  std::memcpy(program.data(), bytes.data(), bytes.size());
  return program;
}

int install_seccomp_program(const sock_fprog& program) {
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0) return errno;
  return 0;
}

}  // namespace crucible::sandbox::jail
