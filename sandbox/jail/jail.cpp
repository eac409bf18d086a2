#include "sandbox/jail/jail.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/files.hpp"
#include "sandbox/jail/clock.hpp"
#include "sandbox/jail/fd_passing.hpp"
#include "sandbox/jail/fetch.hpp"
#include "sandbox/jail/identity.hpp"
#include "sandbox/jail/mounts.hpp"
#include "sandbox/jail/own_pages.hpp"
#include "sandbox/jail/protocol.hpp"
#include "sandbox/jail/rlimits.hpp"
#include "sandbox/jail/seccomp_rules.hpp"

namespace crucible::sandbox::jail {
namespace {

long long own_cpu_ns() {
  timespec ts;
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void send_status(int fd, const StatusMessage& msg) {
  write_all(fd, {reinterpret_cast<const char*>(&msg), sizeof msg});
}

// Waits for the supervisor's go-ahead; false when it closed the channel (no more runs).
bool wait_for_go(int fd) {
  char byte;
  for (;;) {
    ssize_t n = ::read(fd, &byte, 1);
    if (n == 1) return true;
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

// The run's stdin: an in-memory file, so init never blocks writing it.
int make_input(const std::string& data) {
  int fd = ::memfd_create("stdin", MFD_CLOEXEC);
  if (fd < 0 || !write_all(fd, data) || ::lseek(fd, 0, SEEK_SET) != 0)
    throw SandboxFailure(errno_message("jail: cannot prepare stdin", errno));
  return fd;
}

// What the program's child needs, made before it is cloned: the child shares init's memory
// until exec (CLONE_VM | CLONE_VFORK: no copy of init's page tables, no copy-on-write faults
// in init afterwards), so it must not allocate, throw or return.
struct ProgramLaunch {
  const InitChannels* ch;
  int stdin_fd;
  const sock_fprog* filter;
  const char* cwd;
  char* const* argv;
  char* const* envp;
  const std::vector<RlimitRow>* rlimits;
};

[[noreturn]] void launch_failed(int error_fd, const char* what, const char* name, int err) {
  char text[512];
  int n = std::snprintf(text, sizeof text, "jail: %s%s%s: %s", what, name ? " " : "",
                        name ? name : "", ::strerrordesc_np(err));
  if (n > 0) (void)!::write(error_fd, text, std::min<size_t>(n, sizeof text - 1));
  ::_exit(127);
}

// Puts `fd` at `target` without close-on-exec. Init's own 0-2 are closed, so its stdin
// memfd may already be 0, where dup2 would keep the flag and exec would close it.
bool onto(int fd, int target) {
  if (fd == target) return ::fcntl(fd, F_SETFD, 0) == 0;
  return ::dup2(fd, target) == target;
}

// Every signal back to its default action: an ignored one stays ignored across exec, and the
// processes that start a run ignore SIGPIPE (and glibc's own 32 and 33 in the helper), which
// a program must not inherit (`yes | head -1` would report a broken pipe). The raw call
// reaches the signals glibc reserves; an all-zero action is SIG_DFL in every layout.
void reset_signal_dispositions() {
  struct {
    unsigned long words[4];
  } default_action{};
  for (int sig = 1; sig <= 64; ++sig)
    if (sig != SIGKILL && sig != SIGSTOP)
      ::syscall(SYS_rt_sigaction, sig, &default_action, nullptr, sizeof(uint64_t));
}

// The program's process: stdio, limits, identity, filter, exec. Never returns.
int launch_program(void* arg) {
  const auto& l = *static_cast<const ProgramLaunch*>(arg);
  const InitChannels& ch = *l.ch;
  if (!onto(l.stdin_fd, 0) || !onto(ch.stdout_fd, 1) || !onto(ch.stderr_fd, 2))
    launch_failed(ch.error_fd, "dup2", nullptr, errno);
  // Only stdio and the close-on-exec error pipe survive into the program.
  ::close_range(3, ch.error_fd - 1, 0);
  ::close_range(ch.error_fd + 1, ~0U, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  reset_signal_dispositions();
  if (::chdir(l.cwd) != 0) launch_failed(ch.error_fd, "chdir", l.cwd, errno);
  if (const char* failed = apply_rlimits(*l.rlimits))
    launch_failed(ch.error_fd, "setrlimit", failed, errno);
  if (const char* failed = drop_to_sandbox_user())
    launch_failed(ch.error_fd, failed, nullptr, errno);
  if (int err = install_seccomp_program(*l.filter); err != 0)
    launch_failed(ch.error_fd, "cannot install the seccomp filter", nullptr, err);
  ::execve(l.argv[0], l.argv, l.envp);
  launch_failed(ch.error_fd, "cannot execute", l.argv[0], errno);
}

std::vector<char*> c_strings(const std::vector<std::string>& items) {
  std::vector<char*> out;
  for (const auto& item : items) out.push_back(const_cast<char*>(item.c_str()));
  out.push_back(nullptr);
  return out;
}

// The stack the program's child runs on until exec (init's own stays untouched).
constexpr size_t kLaunchStackBytes = 256 << 10;

// Init's own peak resident set (VmHWM), in bytes; 0 when unreadable.
long long own_peak_rss_bytes() {
  char text[4096];
  int fd = ::open("/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = ::read(fd, text, sizeof text - 1);
  ::close(fd);
  if (n <= 0) return 0;
  text[n] = '\0';
  const char* line = std::strstr(text, "VmHWM:");
  return line ? std::atoll(line + 6) * 1024LL : 0;
}

// The program's own peak RSS from wait4, or 0 when it may be init's: the program's child
// shared init's memory until exec, and exec records that memory's peak in the child's
// maxrss. A figure above init's own peak can only be the program's.
long long program_peak_rss(long long child_max_rss_bytes) {
  return child_max_rss_bytes > own_peak_rss_bytes() ? child_max_rss_bytes : 0;
}

// Reaps every process of the namespace until the program itself ends (orphans are
// re-parented here), then kills and reaps whatever it left, so nothing of a run survives
// into the next or writes to its output.
int reap_run(pid_t program, long long& max_rss_bytes) {
  int program_status = 0;
  for (;;) {
    int status = 0;
    rusage usage{};
    pid_t pid = ::wait4(-1, &status, 0, &usage);
    if (pid == program) {
      program_status = status;
      max_rss_bytes = usage.ru_maxrss * 1024LL;  // kilobytes on Linux
      break;
    }
    if (pid < 0 && errno != EINTR) break;
  }
  ::kill(-1, SIGKILL);  // from the namespace's init: every other process in it
  while (::waitpid(-1, nullptr, 0) > 0 || errno == EINTR) {
  }
  return program_status;
}

}  // namespace

[[noreturn]] void run_init(const InitChannels& ch, const sock_fprog& filter) {
  try {
    // The order is the design: each step relies on the ones above it. Everything up to
    // the request is done ahead of it, while the jail is parked.
    if (!wait_for_go(ch.go_fd)) ::_exit(0);  // id maps written, cgroups joined
    become_namespace_root();                 // identity.cpp
    // Its groups become the root of what the jail sees (/proc/self/cgroup reads "/"): the
    // host's layout, the helper's pid and the slot's number stay outside.
    if (::unshare(CLONE_NEWCGROUP) != 0)
      throw SandboxFailure(errno_message("jail: unshare the cgroup namespace", errno));
    empty_bounding_set();                               // inherited by every program
    if (const char* failed = apply_namespace_limits())  // rlimits.cpp: while we hold the caps
      throw SandboxFailure(errno_message(std::string("jail: cannot cap user.") + failed, errno));
    if (::sethostname("crucible", 8) != 0)
      throw SandboxFailure(errno_message("jail: sethostname", errno));
    build_base_root();            // mounts.cpp: tmpfs root, read-only binds, /proc, /dev
    ::prctl(PR_SET_DUMPABLE, 0);  // the program (another uid) cannot open /proc/1/*
    own_private_pages_unless_waited_for(ch.setup_fd);  // own_pages.hpp

    // The request: its box (and data) trees, then its spec (the supervisor has set the
    // cgroup's limits and zeroed its CPU counter by then; init's CPU counts from here).
    long long cpu_base = own_cpu_ns();
    auto trees = receive_fds(ch.setup_fd);
    if (!trees) ::_exit(0);  // parked and never used
    ::prctl(PR_SET_NAME, kInitName);
    JailSpec spec = read_spec(ch.setup_fd);
    const size_t data_trees = spec.data_dir.empty() ? 0 : 1;
    if (trees->size() != 1 + data_trees + spec.extra_ro_paths.size())
      throw SandboxFailure("jail: the supervisor sent " + std::to_string(trees->size()) +
                           " directory trees for this request");
    RequestTrees request_trees{(*trees)[0].get(), data_trees ? (*trees)[1].get() : -1, {}};
    for (size_t i = 1 + data_trees; i < trees->size(); ++i)
      request_trees.extra_ro.push_back((*trees)[i].get());
    finish_root(spec, request_trees);
    trees->clear();
    auto init_cpu = [&] { return own_cpu_ns() - cpu_base; };

    std::vector<char*> argv = c_strings(spec.argv), envp = c_strings(spec.env);
    std::vector<RlimitRow> rlimits = rlimit_table(spec.limits);
    void* stack = ::mmap(nullptr, kLaunchStackBytes, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) throw SandboxFailure(errno_message("jail: mmap a stack", errno));
    char* stack_top = static_cast<char*>(stack) + kLaunchStackBytes;

    size_t runs = std::max<size_t>(1, spec.inputs.size());
    for (size_t i = 0; i < runs; ++i) {
      if (i > 0) {
        if (!wait_for_go(ch.go_fd)) break;  // counters reset (supervisor)
        reset_scratch(spec);                // mounts.cpp: fresh scratch places
      }
      int input = make_input(spec.inputs.empty() ? std::string() : spec.inputs[i]);
      ProgramLaunch launch{&ch,         input,       &filter, spec.cwd.c_str(),
                           argv.data(), envp.data(), &rlimits};
      long long start = monotonic_ns();
      // A fresh IPC namespace per run: System V objects of one run never reach the next.
      pid_t program = ::clone(launch_program, stack_top,
                              CLONE_VM | CLONE_VFORK | CLONE_NEWIPC | SIGCHLD, &launch);
      if (program < 0) throw SandboxFailure(errno_message("jail: clone the program", errno));
      ::close(input);
      send_status(ch.status_fd, {'S', 0, start, init_cpu(), 0});
      long long max_rss = 0;
      int status = reap_run(program, max_rss);
      max_rss = program_peak_rss(max_rss);
      send_status(ch.status_fd, {'E', status, monotonic_ns() - start, init_cpu(), max_rss});
      // Every process of the run is gone: what it left in scratch can no longer change.
      if (!spec.fetch_files.empty())
        write_fetched(ch.files_fd, read_run_files("", spec.fetch_files, spec.limits.output_bytes));
    }
  } catch (const std::exception& e) {
    write_all(ch.error_fd, e.what());
    ::_exit(126);
  }
  ::_exit(0);
}

}  // namespace crucible::sandbox::jail
