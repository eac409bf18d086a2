#include "sandbox/jail/supervisor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "base/error.hpp"
#include "base/unique_fd.hpp"
#include "sandbox/jail/identity.hpp"
#include "sandbox/jail/jail.hpp"

namespace crucible::sandbox::jail {
namespace {

constexpr long long kSetupTimeoutNs = 10'000'000'000LL;  // namespaces + mounts, normally ~1 ms
constexpr long long kDrainTimeoutNs = 2'000'000'000LL;   // after the tree is dead
constexpr long long kCpuPollNs = 20'000'000LL;

long long now_ns() {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

struct Pipe {
  unique_fd read, write;
};

Pipe make_pipe(int flags = O_CLOEXEC) {
  int fds[2];
  if (::pipe2(fds, flags) != 0) throw SandboxFailure(errno_message("jail: pipe", errno));
  return {unique_fd(fds[0]), unique_fd(fds[1])};
}

void set_nonblocking(int fd) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

// Reads what is available into `out` up to `cap`; returns false at EOF. Sets `exceeded`
// once more than `cap` bytes were offered.
bool drain(int fd, std::string& out, uint64_t cap, bool& exceeded) {
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      uint64_t room = cap > out.size() ? cap - out.size() : 0;
      out.append(buf, std::min<uint64_t>(room, static_cast<uint64_t>(n)));
      if (static_cast<uint64_t>(n) > room) exceeded = true;
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN;  // EAGAIN: open but empty for now; other errors: treat as closed
  }
}

std::string read_all_nonblocking(int fd) {
  std::string out;
  bool ignored = false;
  set_nonblocking(fd);
  drain(fd, out, 64 << 10, ignored);
  return out;
}

void close_all_except(std::initializer_list<int> keep) {
  std::vector<int> sorted(keep);
  std::sort(sorted.begin(), sorted.end());
  unsigned next = 0;
  for (int fd : sorted) {
    if (static_cast<unsigned>(fd) > next) ::close_range(next, fd - 1, 0);
    next = fd + 1;
  }
  ::close_range(next, ~0U, 0);
}

}  // namespace

bool supervise(const JailSpec& spec, const CgroupHost& cgroups, int slot, const sock_fprog& filter,
               const std::function<void(const JailReport&)>& deliver) {
  JailReport report;
  if (spec.argv.empty()) {
    report.setup_error = "jail: empty argv";
    deliver(report);
    return true;
  }
  RunCgroup cg;
  try {
    cg = cgroups.slot(slot, "run-" + std::to_string(::getpid()));
    cg.prepare(spec.limits);
  } catch (const std::exception& e) {
    report.setup_error = e.what();
    deliver(report);
    return cg.release();
  }

  Pipe in = make_pipe(), out = make_pipe(), err = make_pipe(), status = make_pipe(),
       error = make_pipe(), release = make_pipe();
  // clone with fork semantics (no new stack): the child continues here as the jail's init.
  long flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | SIGCHLD;
  pid_t init = static_cast<pid_t>(::syscall(SYS_clone, flags, nullptr, nullptr, nullptr, nullptr));
  if (init < 0) {
    report.setup_error =
        errno_message("jail: clone of the namespaces failed; run `crucible doctor`", errno);
    deliver(report);
    return cg.release();
  }
  if (init == 0) {
    // Keep only init's own ends: a stray copy of the stdin write end would never let the
    // program see EOF, and the helper's sockets are none of the jail's business.
    in.write.release(), out.read.release(), err.read.release(), status.read.release();
    error.read.release(), release.write.release();
    close_all_except({release.read.get(), status.write.get(), error.write.get(), in.read.get(),
                      out.write.get(), err.write.get()});
    InitChannels ch{release.read.get(), status.write.get(), error.write.get(),
                    in.read.get(),      out.write.get(),    err.write.get()};
    run_init(spec, ch, filter);
  }
  in.read.reset();
  out.write.reset();
  err.write.reset();
  status.write.reset();
  error.write.reset();
  release.read.reset();

  bool killed = false;
  long long program_start_ns = 0, kill_ns = 0;
  auto kill_tree = [&] {
    if (killed) return;
    ::kill(init, SIGKILL);  // init is the pid namespace's init: all die with it
    killed = true;
    kill_ns = now_ns();
  };

  std::string map_error = write_id_maps(init);
  if (map_error.empty()) {
    try {
      cg.add(init);
    } catch (const std::exception& e) {
      map_error = e.what();
    }
  }
  if (!map_error.empty()) {
    kill_tree();
    report.setup_error = map_error;
  } else {
    char go = 'g';
    if (::write(release.write.get(), &go, 1) != 1) report.setup_error = "jail: cannot release init";
  }
  release.write.reset();

  for (int fd : {in.write.get(), out.read.get(), err.read.get(), status.read.get()})
    set_nonblocking(fd);
  size_t stdin_sent = 0;
  if (spec.stdin_data.empty()) in.write.reset();

  StatusMessage msg{};
  std::string status_buf;
  bool started = false, ended = false, out_open = true, err_open = true, status_open = true;
  long long deadline = now_ns() + kSetupTimeoutNs, next_cpu_check = 0, setup_cpu_ns = 0;
  double cpu_limit = spec.limits.cpu_seconds;

  while (out_open || err_open || status_open) {
    long long now = now_ns();
    if (now >= deadline) {
      if (killed) break;  // drained long enough after the kill
      if (!started)
        report.setup_error = "jail: setup did not finish in time";
      else if (!ended)
        report.wall_exceeded = true;
      kill_tree();
      deadline = now + kDrainTimeoutNs;
    }
    if (started && !ended && !killed && now >= next_cpu_check) {
      if (cg.cpu_seconds() - setup_cpu_ns / 1e9 > cpu_limit) {
        report.cpu_exceeded = true;
        kill_tree();
        deadline = now + kDrainTimeoutNs;
      }
      next_cpu_check = now + kCpuPollNs;
    }
    pollfd fds[4];
    int n = 0;
    int i_out = -1, i_err = -1, i_status = -1, i_in = -1;
    if (out_open) fds[i_out = n++] = {out.read.get(), POLLIN, 0};
    if (err_open) fds[i_err = n++] = {err.read.get(), POLLIN, 0};
    if (status_open) fds[i_status = n++] = {status.read.get(), POLLIN, 0};
    if (in.write) fds[i_in = n++] = {in.write.get(), POLLOUT, 0};
    long long wait_ns = deadline - now;
    if (started && !ended && !killed) wait_ns = std::min(wait_ns, next_cpu_check - now);
    int timeout_ms = static_cast<int>(std::max(0LL, (wait_ns + 999'999) / 1'000'000));
    int ready = ::poll(fds, n, timeout_ms);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;

    if (i_out >= 0 && fds[i_out].revents) {
      out_open = drain(out.read.get(), report.stdout_data, spec.limits.output_bytes,
                       report.stdout_exceeded);
      if (report.stdout_exceeded && !killed) kill_tree(), deadline = now_ns() + kDrainTimeoutNs;
    }
    if (i_err >= 0 && fds[i_err].revents) {
      err_open = drain(err.read.get(), report.stderr_data, spec.limits.output_bytes,
                       report.stderr_exceeded);
      if (report.stderr_exceeded && !killed) kill_tree(), deadline = now_ns() + kDrainTimeoutNs;
    }
    if (i_in >= 0 && fds[i_in].revents) {
      ssize_t w = ::write(in.write.get(), spec.stdin_data.data() + stdin_sent,
                          spec.stdin_data.size() - stdin_sent);
      if (w > 0) stdin_sent += static_cast<size_t>(w);
      if ((w < 0 && errno != EAGAIN && errno != EINTR) || stdin_sent == spec.stdin_data.size())
        in.write.reset();
    }
    if (i_status >= 0 && fds[i_status].revents) {
      bool ignored = false;
      status_open = drain(status.read.get(), status_buf, 1 << 16, ignored);
      while (status_buf.size() >= sizeof msg) {
        std::memcpy(&msg, status_buf.data(), sizeof msg);
        status_buf.erase(0, sizeof msg);
        if (msg.tag == 'S' && !started) {
          started = true;
          setup_cpu_ns = msg.setup_cpu_ns;
          program_start_ns = msg.time_ns;
          if (!killed)
            deadline = msg.time_ns + static_cast<long long>(spec.limits.wall_seconds * 1e9);
        } else if (msg.tag == 'E' && !ended) {
          ended = true;
          report.wall_seconds = msg.time_ns / 1e9;
          report.exited = WIFEXITED(msg.wait_status);
          report.exit_code = report.exited ? WEXITSTATUS(msg.wait_status) : 0;
          report.term_signal = WIFSIGNALED(msg.wait_status) ? WTERMSIG(msg.wait_status) : 0;
          // The program is over: end the namespace now (init would exit anyway), which
          // takes leftover daemons with it and closes their copies of stdout/stderr.
          kill_tree();
          deadline = now_ns() + kDrainTimeoutNs;
        }
      }
    }
  }
  kill_tree();
  int wstatus = 0;
  while (::waitpid(init, &wstatus, 0) < 0 && errno == EINTR) {
  }

  std::string setup_message = read_all_nonblocking(error.read.get());
  if (report.setup_error.empty() && !setup_message.empty()) report.setup_error = setup_message;
  if (report.setup_error.empty() && !ended && !report.wall_exceeded && !report.cpu_exceeded &&
      !report.stdout_exceeded && !report.stderr_exceeded) {
    // Init was killed from outside our control (e.g. the OOM killer picked it).
    report.exited = false;
    report.term_signal = SIGKILL;
  }
  if (!ended && (report.wall_exceeded || report.cpu_exceeded || report.stdout_exceeded ||
                 report.stderr_exceeded)) {
    report.exited = false;
    report.term_signal = SIGKILL;
  }
  if (started && !ended) report.wall_seconds = std::max(0LL, kill_ns - program_start_ns) / 1e9;
  report.cpu_seconds = std::max(0.0, cg.cpu_seconds() - setup_cpu_ns / 1e9);
  report.peak_memory_bytes = cg.peak_memory_bytes();
  report.oom_kills = cg.oom_kills();
  // Every process of the run is gone (init was reaped, so its pid namespace is empty):
  // the report is final, and cleaning the slot can happen after the caller has it.
  deliver(report);
  return cg.release();
}

}  // namespace crucible::sandbox::jail
