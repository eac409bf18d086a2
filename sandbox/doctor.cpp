#include "sandbox/doctor.hpp"

#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string_view>

#include "base/error.hpp"
#include "base/files.hpp"
#include "sandbox/jail/cgroup.hpp"
#include "sandbox/jail/identity.hpp"
#include "sandbox/jail/seccomp_rules.hpp"
#include "sandbox/sandbox.hpp"

namespace crucible::sandbox {
namespace {

// Runs `probe` in a forked child; returns "" if it exited 0, else its error text.
template <typename Fn>
std::string in_child(Fn probe) {
  int fds[2];
  if (::pipe(fds) != 0) return std::strerror(errno);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    std::string err = probe();
    if (!err.empty()) write_all(fds[1], err);
    ::_exit(err.empty() ? 0 : 1);
  }
  ::close(fds[1]);
  std::string err;
  char buf[512];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) err.append(buf, n);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (err.empty() && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) err = "probe failed";
  return err;
}

Check namespace_check(const char* name, int flag, const char* fix) {
  std::string err = in_child([flag]() -> std::string {
    return ::unshare(flag) == 0 ? "" : errno_message("unshare", errno);
  });
  return {std::string(name) + " namespace", err.empty(), err.empty() ? "available" : err, fix};
}

// The jail's init mounts a /proc of its own pid namespace from inside a user namespace. The
// kernel allows that only while the /proc it can see is fully visible: a container that covers
// parts of /proc (Docker's masked paths, bubblewrap's read-only /proc/sys) refuses it, although
// every namespace on its own can be created.
Check proc_check() {
  std::string err = in_child([]() -> std::string {
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID) != 0)
      return errno_message("unshare", errno);
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
      return errno_message("make / private", errno);
    return in_child([]() -> std::string {  // the new pid namespace's first process
      return ::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) == 0
                 ? ""
                 : errno_message("mount proc", errno);
    });
  });
  return {"proc in pid namespace", err.empty(), err.empty() ? "can be mounted" : err,
          "let the jail mount /proc: this /proc has paths covered (a container's masked /proc); "
          "run the container with /proc unmasked (Docker: --security-opt systempaths=unconfined, "
          "or --privileged)"};
}

// Each jail's user namespace belongs to a uid of its run's own (jail/identity.hpp), so that
// the per-user counters the kernel charges to a namespace's owner never count against root or
// another run. That needs the kernel to let an unprivileged uid make one.
Check owned_namespace_check() {
  const uid_t owner = jail::host_init_uid(::getpid());
  std::string err = in_child([owner]() -> std::string {
    if (::setresuid(-1, owner, -1) != 0) return errno_message("setresuid", errno);
    return ::unshare(CLONE_NEWUSER) == 0 ? "" : errno_message("unshare as a jail's uid", errno);
  });
  return {
      "user namespace owner", err.empty(),
      err.empty() ? "each run's own uid (this one's would be " + std::to_string(owner) + ")" : err,
      "allow unprivileged user namespaces (Debian: sysctl -w "
      "kernel.unprivileged_userns_clone=1); without, jails' user namespaces belong to root, "
      "and many runs at once can take root's inotify and queued-signal budgets"};
}

// "a:b:c" -> {"a", "b", "c"}.
std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  for (size_t start = 0;;) {
    size_t colon = line.find(':', start);
    out.push_back(line.substr(start, colon - start));
    if (colon == std::string_view::npos) return out;
    start = colon + 1;
  }
}

std::optional<uint64_t> number(std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Each run's init and program have host uids of their own; an account or a container's
// subordinate range holding one would share the kernel's per-uid counters with a run and own
// the files it writes.
Check jail_uid_check() {
  // A missing file lists nobody (most hosts have no /etc/subuid); an unreadable one is a
  // failed check, never taken for an empty list.
  auto text = [](const char* path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec) ? read_file(path) : std::string();
  };
  std::vector<std::string> users;
  try {
    users = users_of_jail_uids(text("/etc/passwd"), text("/etc/subuid"));
  } catch (const std::exception& e) {
    return {"jail uids", false, e.what(), "make /etc/passwd and /etc/subuid readable"};
  }
  std::string range = std::to_string(jail::kHostJailUidBase) + "-" +
                      std::to_string(jail::kHostJailUidBase + jail::kHostJailUids - 1);
  std::string found;
  for (const auto& u : users) found += (found.empty() ? "" : ", ") + u;
  return {"jail uids", users.empty(),
          users.empty() ? "no account or subordinate range uses " + range : "in use: " + found,
          "move these off uids " + range + ", which the jail gives its runs' inits and programs"};
}

}  // namespace

std::vector<std::string> users_of_jail_uids(const std::string& passwd, const std::string& subuid) {
  const uint64_t lo = jail::kHostJailUidBase, hi = lo + jail::kHostJailUids;
  std::vector<std::string> out;
  std::istringstream accounts(passwd);
  for (std::string line; std::getline(accounts, line);) {
    auto f = fields(line);
    if (f.size() < 3) continue;
    auto uid = number(f[2]);
    if (uid && *uid >= lo && *uid < hi)
      out.push_back(std::string(f[0]) + " (uid " + std::to_string(*uid) + ")");
  }
  std::istringstream ranges(subuid);
  for (std::string line; std::getline(ranges, line);) {
    auto f = fields(line);
    if (f.size() != 3) continue;
    auto start = number(f[1]), count = number(f[2]);
    if (!start || !count || *count == 0) continue;
    if (lo < *start + *count && *start < hi)  // [start, start + count) meets [lo, hi)
      out.push_back(std::string(f[0]) + "'s subordinate uids " + std::to_string(*start) + "-" +
                    std::to_string(*start + *count - 1));
  }
  return out;
}

std::vector<Check> check_host() {
  std::vector<Check> checks;
  checks.push_back({"privileges", ::geteuid() == 0,
                    ::geteuid() == 0 ? "running as root" : "not root",
                    "run Crucible as root (in a VM or container of its own): the jail writes uid "
                    "maps and cgroups"});
  checks.push_back(namespace_check(
      "user", CLONE_NEWUSER,
      "enable user namespaces (sysctl -w user.max_user_namespaces=15000), and do not run "
      "Crucible inside a chroot: the kernel refuses user namespaces there (use a container)"));
  checks.push_back(namespace_check("pid", CLONE_NEWPID, "run as root or with CAP_SYS_ADMIN"));
  checks.push_back(namespace_check("network", CLONE_NEWNET, "run as root or with CAP_SYS_ADMIN"));
  checks.push_back(namespace_check("mount", CLONE_NEWNS, "run as root or with CAP_SYS_ADMIN"));
  checks.push_back(namespace_check("ipc", CLONE_NEWIPC, "run as root or with CAP_SYS_ADMIN"));
  checks.push_back(namespace_check("uts", CLONE_NEWUTS, "run as root or with CAP_SYS_ADMIN"));
  checks.push_back(proc_check());
  checks.push_back(owned_namespace_check());
  checks.push_back(jail_uid_check());

  std::string seccomp_err = in_child([]() -> std::string {
    try {
      auto program = jail::compile_seccomp_program();
      sock_fprog fprog{static_cast<unsigned short>(program.size()), program.data()};
      if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return errno_message("no_new_privs", errno);
      int err = jail::install_seccomp_program(fprog);
      return err == 0 ? "" : errno_message("seccomp", err);
    } catch (const std::exception& e) {
      return e.what();
    }
  });
  checks.push_back({"seccomp filter", seccomp_err.empty(),
                    seccomp_err.empty()
                        ? std::to_string(jail::seccomp_table().size()) + " rules load"
                        : seccomp_err,
                    "use a kernel with CONFIG_SECCOMP_FILTER and install libseccomp2"});

  try {
    jail::CgroupHost host = jail::CgroupHost::detect();
    jail::RunCgroup run = host.slot(0, "doctor-probe");
    run.prepare(Limits{});
    run.release();
    host.remove_parent(1);
    checks.push_back(
        {"cgroups", true, host.describe() + " (memory, pids, cpu accounting writable)", ""});
  } catch (const std::exception& e) {
    checks.push_back(
        {"cgroups", false, e.what(),
         "mount cgroup v2 with memory+pids+cpu delegated, or cgroup v1 memory, pids and cpuacct, "
         "writable by Crucible's user"});
  }
  try {
    jail::find_jail_helper();
    checks.push_back({"jail helper", true, jail::find_jail_helper(), ""});
  } catch (const std::exception& e) {
    checks.push_back({"jail helper", false, e.what(), "build the project (scripts/setup.sh)"});
  }
  return checks;
}

std::vector<Check> check_languages(const std::vector<std::string>& only) {
  std::vector<Check> checks;
  std::unique_ptr<Sandbox> sb;
  try {
    sb = std::make_unique<Sandbox>();
  } catch (const std::exception& e) {
    checks.push_back({"jail", false, e.what(), "fix the host checks above first"});
    return checks;
  }
  std::vector<std::string> wanted;  // registered names (the list may use aliases)
  for (const auto& name : only) try {
      wanted.push_back(sb->registry().find(name).name);
    } catch (const InvalidRequest& e) {
      checks.push_back({"language " + name, false, e.what(), "name a registered language"});
    }
  for (const auto& lang : sb->registry().all()) {
    if (!only.empty() && std::find(wanted.begin(), wanted.end(), lang.name) == wanted.end())
      continue;
    Check c{"language " + lang.name, false, "", "apt-get install " + lang.package};
    Outcome o = sb->probe_version(lang);
    std::string text = o.stdout_data.empty() ? o.stderr_data : o.stdout_data;
    text.erase(0, text.find_first_not_of("\n"));
    c.ok = o.verdict == Verdict::Accepted;
    c.detail = o.verdict == Verdict::SandboxError ? o.message : text.substr(0, text.find('\n'));
    // The jail failed, not the toolchain (a missing one is named as such): no package helps.
    if (o.verdict == Verdict::SandboxError && o.message.rfind("jail:", 0) == 0)
      c.fix = "the jail failed, not the toolchain: fix the failed host checks above first";
    checks.push_back(c);
  }
  return checks;
}

}  // namespace crucible::sandbox
