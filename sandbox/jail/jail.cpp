#include "sandbox/jail/jail.hpp"

#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/files.hpp"
#include "sandbox/jail/clock.hpp"
#include "sandbox/jail/fetch.hpp"
#include "sandbox/jail/identity.hpp"
#include "sandbox/jail/mounts.hpp"
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

// The program's process: stdio, limits, identity, filter, exec. Never returns.
[[noreturn]] void exec_program(const JailSpec& spec, const InitChannels& ch, int stdin_fd,
                               const sock_fprog& filter) {
  try {
    if (::dup2(stdin_fd, 0) < 0 || ::dup2(ch.stdout_fd, 1) < 0 || ::dup2(ch.stderr_fd, 2) < 0)
      throw SandboxFailure(errno_message("jail: dup2", errno));
    // Only stdio and the close-on-exec error pipe survive into the program.
    ::close_range(3, ch.error_fd - 1, 0);
    ::close_range(ch.error_fd + 1, ~0U, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::chdir(spec.cwd.c_str()) != 0)
      throw SandboxFailure(errno_message("jail: chdir " + spec.cwd, errno));
    // A fresh IPC namespace per run: System V objects of one run never reach the next.
    if (::unshare(CLONE_NEWIPC) != 0)
      throw SandboxFailure(errno_message("jail: unshare ipc", errno));
    if (const char* failed = apply_rlimits(spec.limits))
      throw SandboxFailure(errno_message(std::string("jail: setrlimit ") + failed, errno));
    drop_to_sandbox_user();
    if (int err = install_seccomp_program(filter); err != 0)
      throw SandboxFailure(errno_message("jail: cannot install the seccomp filter", err));

    std::vector<char*> argv, envp;
    for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (const auto& e : spec.env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    ::execve(argv[0], argv.data(), envp.data());
    throw SandboxFailure(errno_message("jail: cannot execute " + spec.argv[0], errno));
  } catch (const std::exception& e) {
    write_all(ch.error_fd, e.what());
  }
  ::_exit(127);
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

[[noreturn]] void run_init(const JailSpec& spec, const InitChannels& ch, const sock_fprog& filter) {
  try {
    // The order is the design: each step relies on the ones above it.
    if (!wait_for_go(ch.go_fd)) ::_exit(0);  // id maps written, cgroups joined (supervisor)
    int box = open_box(spec.box_dir);        // mounts.cpp: before the staging tmpfs can hide it
    int data = spec.data_dir.empty() ? -1 : open_box(spec.data_dir);
    become_namespace_root();                            // identity.cpp
    if (const char* failed = apply_namespace_limits())  // rlimits.cpp: while we hold the caps
      throw SandboxFailure(errno_message(std::string("jail: cannot cap user.") + failed, errno));
    if (::sethostname("crucible", 8) != 0)
      throw SandboxFailure(errno_message("jail: sethostname", errno));
    build_root(spec, box, data);  // mounts.cpp: tmpfs root, read-only binds, /proc, /dev, /box
    enter_root(spec.cwd);         // mounts.cpp: pivot_root, detach host, read-only /
    ::prctl(PR_SET_DUMPABLE, 0);  // the program (another uid) cannot open /proc/1/*

    size_t runs = std::max<size_t>(1, spec.inputs.size());
    for (size_t i = 0; i < runs; ++i) {
      if (i > 0) {
        if (!wait_for_go(ch.go_fd)) break;  // counters reset (supervisor)
        reset_scratch(spec);                // mounts.cpp: fresh scratch places
      }
      int input = make_input(spec.inputs.empty() ? std::string() : spec.inputs[i]);
      long long start = monotonic_ns();
      pid_t program = ::fork();
      if (program < 0) throw SandboxFailure(errno_message("jail: fork", errno));
      if (program == 0) exec_program(spec, ch, input, filter);  // rlimits, identity, seccomp, exec
      ::close(input);
      send_status(ch.status_fd, {'S', 0, start, own_cpu_ns(), 0});
      long long max_rss = 0;
      int status = reap_run(program, max_rss);
      send_status(ch.status_fd, {'E', status, monotonic_ns() - start, own_cpu_ns(), max_rss});
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
