#include "sandbox/jail/supervisor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "base/error.hpp"
#include "base/unique_fd.hpp"
#include "sandbox/jail/clock.hpp"
#include "sandbox/jail/fd_passing.hpp"
#include "sandbox/jail/identity.hpp"
#include "sandbox/jail/jail.hpp"
#include "sandbox/jail/mounts.hpp"
#include "sandbox/jail/protocol.hpp"

namespace crucible::sandbox::jail {

// A request's trees go to init in one message: the box, the data and every extra path.
static_assert(2 + kMaxExtraRoPaths <= kMaxPassedFds);

// Both ends of a pipe.
struct SupervisorPipe {
  unique_fd read, write;
};
using Pipe = SupervisorPipe;

// A started jail from the supervisor's side: the run's cgroup, the jail's init (pid -1 when
// it never started) and the supervisor's ends of init's channels.
struct ParkedJail::State {
  RunCgroup cg;
  pid_t init = -1;
  Pipe out, err, status, error, go, files;
  unique_fd setup;          // the supervisor's end of init's setup socket: trees, then the spec
  std::string setup_error;  // the first run reports it
  bool killed = false;
  long long kill_ns = 0;

  void kill_tree() {
    if (killed || init < 0) return;
    ::kill(init, SIGKILL);  // init is the pid namespace's init: all die with it
    killed = true;
    kill_ns = monotonic_ns();
  }
};

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitizedBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitizedBuild = true;
#else
constexpr bool kSanitizedBuild = false;
#endif
#else
constexpr bool kSanitizedBuild = false;
#endif

constexpr long long kSetupTimeoutNs = 10'000'000'000LL;  // namespaces + mounts, normally ~1 ms
constexpr long long kDrainTimeoutNs = 2'000'000'000LL;   // after the tree is dead
constexpr long long kCpuPollNs = 20'000'000LL;

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
  drain(fd, out, 64 << 10, ignored);
  return out;
}

using Jail = ParkedJail::State;

// What carries from one run of the jail to the next: counters at the end of the previous
// run (each run is measured from there) and init's status stream.
struct Carried {
  double cpu_before = 0;
  long long init_cpu_before = 0;
  std::string status_buf;
  bool status_open = true;
};

// The isolation order, first half, done ahead of the request: the run's cgroup, then the
// namespaces (clone), init's channels and nothing else of the helper's, the id maps, the
// cgroup around init. The go byte then lets init build the spec-independent root; it waits
// for the request on its setup socket (jail.cpp does the rest inside).
Jail start(const CgroupHost& cgroups, int slot, const sock_fprog& filter) {
  Jail jail;
  try {
    jail.cg = cgroups.slot(slot, "run-" + std::to_string(::getpid()));
    // A reused slot still holds its last run's limits: init builds its root under the
    // defaults, and the request's own limits are set before its program starts.
    jail.cg.prepare(Limits{});
    jail.cg.set_idle(false);  // a reused slot was idle for its last teardown
  } catch (const std::exception& e) {
    jail.setup_error = e.what();
    return jail;
  }
  Pipe out = make_pipe(), err = make_pipe(), status = make_pipe(), error = make_pipe(),
       go = make_pipe(), files = make_pipe();
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    jail.setup_error = errno_message("jail: socketpair", errno);
    return jail;
  }
  unique_fd setup(pair[0]), init_setup(pair[1]);
  // clone with fork semantics (no new stack): the child continues here as the jail's init.
  long flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | SIGCHLD;
  // Init is named a parked jail from its first instant (it joins the cgroup at once).
  char own_name[16] = {};
  ::prctl(PR_GET_NAME, own_name);
  ::prctl(PR_SET_NAME, kParkedInitName);
  // Where the supervisor can step into the run's group and out again (v1), init is born in
  // it: no process is moved into a group, which costs 7-15 ms after an idle spell
  // (RunCgroup::enter_self); a fresh helper's first run (every `crucible run`) paid that.
  // Not in a sanitizer build: its supervisor maps so much that init's copied page tables,
  // charged to the group at birth, exceed the smallest memory limit a request may set.
  const bool born_inside = !kSanitizedBuild && jail.cg.enter_self();
  const pid_t self = ::getpid();  // names this run's host uids (identity.hpp)
  const uid_t init_uid = host_init_uid(self);
  pid_t init = clone_owned_namespaces(flags, init_uid);
  // Out of the group first, then its own name again: a task in a run's group is always
  // either that run's or named as a parked jail.
  if (init != 0 && born_inside) {
    try {
      jail.cg.leave_self();
    } catch (const std::exception& e) {
      // A supervisor left in the run's group would be killed with the run: end it now, as
      // the helper sees any supervisor that dies.
      if (init > 0) ::kill(init, SIGKILL);
      std::fprintf(stderr, "crucible-jail: cannot leave the run's cgroup: %s\n", e.what());
      ::_exit(1);
    }
  }
  if (init != 0) ::prctl(PR_SET_NAME, own_name);
  if (init < 0) {
    jail.setup_error =
        errno_message("jail: clone of the namespaces failed; run `crucible doctor`", errno);
    return jail;
  }
  if (init == 0) {
    // Keep only init's own ends: the helper's sockets are none of the jail's business.
    out.read.release(), err.read.release(), status.read.release(), error.read.release(),
        go.write.release(), files.read.release(), setup.release();
    close_all_except({go.read.get(), init_setup.get(), status.write.get(), error.write.get(),
                      out.write.get(), err.write.get(), files.write.get()});
    InitChannels ch{go.read.get(),   init_setup.get(), status.write.get(), error.write.get(),
                    out.write.get(), err.write.get(),  files.write.get()};
    run_init(ch, filter);
  }
  jail.init = init;
  out.write.reset(), err.write.reset(), status.write.reset(), error.write.reset(), go.read.reset(),
      files.write.reset(), init_setup.reset();
  jail.out = std::move(out), jail.err = std::move(err), jail.status = std::move(status);
  jail.error = std::move(error), jail.go = std::move(go), jail.files = std::move(files);
  jail.setup = std::move(setup);
  jail.setup_error = write_id_maps(init, init_uid, host_program_uid(self));
  if (jail.setup_error.empty() && !born_inside) {
    try {
      jail.cg.add(init);
    } catch (const std::exception& e) {
      jail.setup_error = e.what();
    }
  }
  char byte = 'g';
  if (jail.setup_error.empty() && ::write(jail.go.write.get(), &byte, 1) != 1)
    jail.setup_error = "jail: cannot release init";
  for (int fd : {jail.out.read.get(), jail.err.read.get(), jail.status.read.get(),
                 jail.error.read.get(), jail.files.read.get()})
    set_nonblocking(fd);
  return jail;
}

// The files init reads back after the run's end ('E'), within the drain timeout.
std::vector<FetchedFile> fetch_from_init(const JailSpec& spec, const Jail& jail) {
  constexpr uint64_t kNamesRoom = 1 << 20;  // names and framing beside the contents
  auto got = read_fetched(jail.files.read.get(), monotonic_ns() + kDrainTimeoutNs,
                          spec.limits.output_bytes + kNamesRoom);
  if (got && got->size() == spec.fetch_files.size()) return *got;
  std::vector<FetchedFile> none;
  for (const auto& name : spec.fetch_files)
    none.push_back({name, {}, "the jail did not send it back"});
  return none;
}

// One run: release init, then collect capped output and enforce wall and CPU time until the
// program's end (or the kill) is reported. A caller that hangs up (`caller`: its request
// socket; a CLI stopped by Ctrl-C or killed) has the run killed at once: nobody is left to
// read its answer, and its program must not outlive it until the wall limit.
JailReport watch_run(const JailSpec& spec, Jail& jail, Carried& carried, size_t run, int caller) {
  JailReport report;
  if (run == 0 && !jail.setup_error.empty()) {
    jail.kill_tree();
    report.setup_error = jail.setup_error;
  } else if (run > 0) {
    jail.cg.start_next_run();  // peak and OOM counted from here
    char byte = 'g';
    if (::write(jail.go.write.get(), &byte, 1) != 1)
      report.setup_error = "jail: cannot release init";
  }
  StatusMessage msg{};
  bool started = false, ended = false, out_open = true, err_open = true;
  long long deadline = monotonic_ns() + kSetupTimeoutNs, next_cpu_check = 0, program_start_ns = 0;
  long long init_cpu_at_start = carried.init_cpu_before;
  auto program_cpu = [&] {
    return jail.cg.cpu_seconds() - carried.cpu_before -
           (init_cpu_at_start - carried.init_cpu_before) / 1e9;
  };
  auto kill_and_drain = [&] {
    jail.kill_tree();
    deadline = monotonic_ns() + kDrainTimeoutNs;
  };
  while (!ended && report.setup_error.empty() && (out_open || err_open || carried.status_open)) {
    long long now = monotonic_ns();
    if (now >= deadline) {
      if (jail.killed) break;  // drained long enough after the kill
      if (!started)
        report.setup_error = "jail: setup did not finish in time";
      else
        report.wall_exceeded = true;
      kill_and_drain();
    }
    if (started && !jail.killed && now >= next_cpu_check) {
      if (program_cpu() > spec.limits.cpu_seconds) {
        report.cpu_exceeded = true;
        kill_and_drain();
      }
      next_cpu_check = now + kCpuPollNs;
    }
    pollfd fds[4];
    int n = 0, i_out = -1, i_err = -1, i_status = -1, i_caller = -1;
    if (out_open) fds[i_out = n++] = {jail.out.read.get(), POLLIN, 0};
    if (err_open) fds[i_err = n++] = {jail.err.read.get(), POLLIN, 0};
    if (carried.status_open) fds[i_status = n++] = {jail.status.read.get(), POLLIN, 0};
    // Only the hang-up: the caller sends nothing more after its request.
    if (caller >= 0 && !jail.killed) fds[i_caller = n++] = {caller, POLLRDHUP, 0};
    long long wait_ns = deadline - now;
    if (started && !jail.killed) wait_ns = std::min(wait_ns, next_cpu_check - now);
    int timeout_ms = static_cast<int>(std::max(0LL, (wait_ns + 999'999) / 1'000'000));
    int ready = ::poll(fds, n, timeout_ms);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    if (i_caller >= 0 && fds[i_caller].revents) kill_and_drain();
    if (i_out >= 0 && fds[i_out].revents) {
      out_open = drain(jail.out.read.get(), report.stdout_data, spec.limits.output_bytes,
                       report.stdout_exceeded);
      if (report.stdout_exceeded && !jail.killed) kill_and_drain();
    }
    if (i_err >= 0 && fds[i_err].revents) {
      err_open = drain(jail.err.read.get(), report.stderr_data, spec.limits.output_bytes,
                       report.stderr_exceeded);
      if (report.stderr_exceeded && !jail.killed) kill_and_drain();
    }
    if (i_status >= 0 && fds[i_status].revents) {
      bool ignored = false;
      carried.status_open = drain(jail.status.read.get(), carried.status_buf, 1 << 16, ignored);
      while (!ended && carried.status_buf.size() >= sizeof msg) {
        std::memcpy(&msg, carried.status_buf.data(), sizeof msg);
        carried.status_buf.erase(0, sizeof msg);
        if (msg.tag == 'S' && !started) {
          started = true;
          program_start_ns = msg.time_ns;
          init_cpu_at_start = msg.init_cpu_ns;
          if (!jail.killed)
            deadline = msg.time_ns + static_cast<long long>(spec.limits.wall_seconds * 1e9);
        } else if (msg.tag == 'E') {
          ended = true;
          report.wall_seconds = msg.time_ns / 1e9;
          report.exited = WIFEXITED(msg.wait_status);
          report.exit_code = report.exited ? WEXITSTATUS(msg.wait_status) : 0;
          report.term_signal = WIFSIGNALED(msg.wait_status) ? WTERMSIG(msg.wait_status) : 0;
          report.cpu_seconds = std::max(0.0, jail.cg.cpu_seconds() - carried.cpu_before -
                                                 (msg.init_cpu_ns - carried.init_cpu_before) / 1e9);
          carried.cpu_before = jail.cg.cpu_seconds();
          carried.init_cpu_before = msg.init_cpu_ns;
        }
      }
    }
  }
  if (ended) {
    // Every process of this run is gone: what it wrote is already in the pipes.
    if (out_open)
      drain(jail.out.read.get(), report.stdout_data, spec.limits.output_bytes,
            report.stdout_exceeded);
    if (err_open)
      drain(jail.err.read.get(), report.stderr_data, spec.limits.output_bytes,
            report.stderr_exceeded);
    if (!spec.fetch_files.empty()) report.fetched = fetch_from_init(spec, jail);
    if ((report.stdout_exceeded || report.stderr_exceeded) && !jail.killed) jail.kill_tree();
  } else {
    jail.kill_tree();
    for (const auto& name : spec.fetch_files)
      report.fetched.push_back(
          {name, {}, "the run was stopped before its end; its files are gone"});
    if (started) report.wall_seconds = std::max(0LL, jail.kill_ns - program_start_ns) / 1e9;
    report.cpu_seconds = std::max(0.0, program_cpu());
    report.exited = false;
    report.term_signal = SIGKILL;  // the supervisor's kill, or init died under it
  }
  std::string setup_message = read_all_nonblocking(jail.error.read.get());
  if (report.setup_error.empty() && !setup_message.empty()) report.setup_error = setup_message;
  // The cgroup's figure covers the whole tree but can come out low when an earlier run's
  // pages are freed late; the program's own RSS is an exact lower bound.
  report.peak_memory_bytes =
      std::max<uint64_t>(jail.cg.peak_memory_bytes(), ended ? msg.max_rss_bytes : 0);
  report.oom_kills = jail.cg.oom_kills();
  return report;
}

// The request reaches the parked jail: its limits on the cgroup (the counters start here),
// its box, data and extra read-only paths as detached trees, then the spec itself, which
// releases init.
// Failures become the first run's setup error.
void send_request(JailSpec& spec, Jail& jail, Carried& carried) {
  if (!jail.setup_error.empty()) return;
  try {
    jail.cg.prepare(spec.limits);
    carried.cpu_before = jail.cg.cpu_seconds();
    std::vector<unique_fd> trees;
    trees.push_back(detach_tree(spec.box_dir, spec.box_writable));
    if (!spec.data_dir.empty()) trees.push_back(detach_tree(spec.data_dir, false));
    // Init has no view of the host: each extra path the host has comes as a tree, and the
    // spec init reads names only those.
    if (spec.extra_ro_paths.size() > kMaxExtraRoPaths)
      throw SandboxFailure("jail: more than " + std::to_string(kMaxExtraRoPaths) +
                           " extra read-only paths");
    std::vector<std::string> present;
    for (const auto& path : spec.extra_ro_paths)
      if (::access(path.c_str(), F_OK) == 0) {
        trees.push_back(detach_tree(path, false));
        present.push_back(path);
      }
    spec.extra_ro_paths = std::move(present);
    std::vector<int> fds;
    for (const auto& t : trees) fds.push_back(t.get());
    if (!send_fds(jail.setup.get(), fds) || !write_spec(jail.setup.get(), spec))
      jail.setup_error = "jail: init ended before the request reached it";
  } catch (const std::exception& e) {
    jail.setup_error = e.what();
  }
  jail.setup.reset();
  // Init holds the inputs now; the caller counted them.
  spec.inputs.clear();
  spec.inputs.shrink_to_fit();
}

// Kills what is left of the jail and reaps init: afterwards its pid namespace is empty.
void end_jail(Jail& jail) {
  jail.go.write.reset();  // init sees EOF and exits, or was killed already
  jail.setup.reset();     // a parked init that never got a request exits too
  jail.kill_tree();
  int wstatus = 0;
  while (jail.init > 0 && ::waitpid(jail.init, &wstatus, 0) < 0 && errno == EINTR) {
  }
}

// The isolation order, second half: every input in turn (stopping at a run that hit a
// limit).
std::vector<JailReport> watch(JailSpec& spec, Jail& jail, int caller) {
  std::vector<JailReport> reports;
  Carried carried;
  size_t runs = std::max<size_t>(1, spec.inputs.size());
  send_request(spec, jail, carried);
  for (size_t run = 0; run < runs && !jail.killed; ++run)
    reports.push_back(watch_run(spec, jail, carried, run, caller));
  return reports;
}

// After the answer: what is left to do waits for idle CPU (kBackgroundNice).
void to_background(const Jail& jail) {
  ::setpriority(PRIO_PGRP, 0, kBackgroundNice);
  jail.cg.set_idle(true);
}

JailReport setup_failure(const std::string& why) {
  JailReport r;
  r.setup_error = why;
  return r;
}

}  // namespace

ParkedJail::ParkedJail(const CgroupHost& cgroups, int slot, const sock_fprog& filter)
    : state_(std::make_unique<State>(start(cgroups, slot, filter))) {}

ParkedJail::~ParkedJail() = default;

bool ParkedJail::run(JailSpec spec, int caller,
                     const std::function<void(const std::vector<JailReport>&)>& deliver,
                     bool teardown_awaited) {
  Jail& jail = *state_;
  if (spec.argv.empty()) jail.setup_error = "jail: empty argv";
  if (jail.init < 0) {
    deliver({setup_failure(jail.setup_error)});
    return jail.cg.release();
  }
  std::vector<JailReport> reports = watch(spec, jail, caller);
  if (jail.killed) {
    // The tree may still be dying: the answer waits until init is reaped, and with it its
    // pid namespace is empty.
    end_jail(jail);
    deliver(reports);
  } else {
    // Every run ended by itself, and init killed and reaped every other process of its
    // namespace before it reported each end: nothing of the run is left. Init's own exit (its
    // mounts and namespaces, ~0.8 ms) comes after the answer, in the background; when the
    // caller waits for it, init is let go first (it sent all it had before the last end),
    // so its exit overlaps the answer's way to the caller.
    if (teardown_awaited) jail.go.write.reset();
    deliver(reports);
    if (!teardown_awaited) to_background(jail);
    end_jail(jail);
  }
  return jail.cg.release();  // cleaning the slot is off the caller's path too
}

bool ParkedJail::abandon() {
  end_jail(*state_);
  return state_->cg.release();
}

}  // namespace crucible::sandbox::jail
