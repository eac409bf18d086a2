#include "sandbox/jail/jail.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/files.hpp"
#include "sandbox/jail/identity.hpp"
#include "sandbox/jail/mounts.hpp"
#include "sandbox/jail/rlimits.hpp"
#include "sandbox/jail/seccomp_rules.hpp"

namespace crucible::sandbox::jail {
namespace {

long long now_ns() {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

long long own_cpu_ns() {
  timespec ts;
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void send_status(int fd, const StatusMessage& msg) {
  write_all(fd, {reinterpret_cast<const char*>(&msg), sizeof msg});
}

void wait_for_release(int fd) {
  char byte;
  while (::read(fd, &byte, 1) < 0 && errno == EINTR) {
  }
  ::close(fd);
}

// The program's process: stdio, limits, identity, filter, exec. Never returns.
[[noreturn]] void exec_program(const JailSpec& spec, const InitChannels& ch,
                               const sock_fprog& filter) {
  try {
    if (::dup2(ch.stdin_fd, 0) < 0 || ::dup2(ch.stdout_fd, 1) < 0 || ::dup2(ch.stderr_fd, 2) < 0)
      throw SandboxFailure(errno_message("jail: dup2", errno));
    // Only stdio and the close-on-exec error pipe survive into the program.
    ::close_range(3, ch.error_fd - 1, 0);
    ::close_range(ch.error_fd + 1, ~0U, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
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

// Reaps every process of the namespace until the program itself ends; orphans are
// re-parented here, and returning kills them all with the namespace.
int reap_until(pid_t program) {
  for (;;) {
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, 0);
    if (pid == program) return status;
    if (pid < 0 && errno != EINTR) return 0;
  }
}

}  // namespace

[[noreturn]] void run_init(const JailSpec& spec, const InitChannels& ch, const sock_fprog& filter) {
  try {
    // The order is the design: each step relies on the ones above it.
    wait_for_release(ch.release_fd);   // id maps written, cgroups joined (supervisor)
    int box = open_box(spec.box_dir);  // mounts.cpp: before the staging tmpfs can hide it
    int data = spec.data_dir.empty() ? -1 : open_box(spec.data_dir);
    become_namespace_root();  // identity.cpp
    if (::sethostname("crucible", 8) != 0)
      throw SandboxFailure(errno_message("jail: sethostname", errno));
    build_root(spec, box, data);  // mounts.cpp: tmpfs root, read-only binds, /proc, /dev, /box
    enter_root(spec.cwd);         // mounts.cpp: pivot_root, detach host, read-only /
    ::prctl(PR_SET_DUMPABLE, 0);  // the program (another uid) cannot open /proc/1/*

    long long start = now_ns();
    pid_t program = ::fork();
    if (program < 0) throw SandboxFailure(errno_message("jail: fork", errno));
    if (program == 0) exec_program(spec, ch, filter);  // rlimits, identity, seccomp, exec

    ::close(ch.error_fd);
    ::close(ch.stdin_fd);
    ::close(ch.stdout_fd);
    ::close(ch.stderr_fd);
    send_status(ch.status_fd, {'S', 0, start, own_cpu_ns()});
    int status = reap_until(program);
    send_status(ch.status_fd, {'E', status, now_ns() - start, 0});
  } catch (const std::exception& e) {
    write_all(ch.error_fd, e.what());
    ::_exit(126);
  }
  ::_exit(0);
}

}  // namespace crucible::sandbox::jail
