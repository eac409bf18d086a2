// crucible-jail: the pre-forked helper ("zygote") that runs every jailed program.
//
// Started once by JailClient with a control socket on fd 3. It pays the expensive setup
// once (the cgroup parent; its seccomp filter was compiled at build time) and stays small
// and single-threaded, so forking a supervisor per run is cheap and safe. Supervisors are forked
// ahead of their requests, each in its own network namespace (network.hpp), and prepare their jails
// while they wait (supervisor.hpp: ParkedJail). Each request arrives as a socket (SCM_RIGHTS)
// carrying one spec; the helper passes it on to a parked supervisor, which answers on it. With
// --one-at-a-time (a client that never has two requests out) the helper does a supervisor's
// work itself, request after request, and forks none. EOF on the control socket ends the helper.
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "base/error.hpp"
#include "base/unique_fd.hpp"
#include "sandbox/jail/cgroup.hpp"
#include "sandbox/jail/fd_passing.hpp"
#include "sandbox/jail/network.hpp"
#include "sandbox/jail/own_pages.hpp"
#include "sandbox/jail/protocol.hpp"
#include "sandbox/jail/seccomp_baked.hpp"
#include "sandbox/jail/supervisor.hpp"

namespace {

using namespace crucible;
using namespace crucible::sandbox::jail;

constexpr int kControlFd = 3;

// Jails kept prepared while no request needs them. Two, so a client that sends its next
// request the moment it has an answer still finds one ready while the replacement for the
// jail it used is prepared.
constexpr size_t kSpareJails = 2;

// Cgroup slots in use, by supervisor pid; a slot is free again once its supervisor is reaped.
class SlotPool {
 public:
  int acquire() {
    reap(WNOHANG);
    for (size_t i = 0; i < busy_.size(); ++i)
      if (!busy_[i]) return take(static_cast<int>(i));
    busy_.push_back(false);
    return take(static_cast<int>(busy_.size() - 1));
  }
  void assign(pid_t pid, int slot) { owner_[pid] = slot; }
  // A slot whose supervisor could not empty it is retired, never handed out again.
  void release_unassigned(int slot) { busy_[slot] = false; }
  // Reaps finished supervisors; with flags 0, waits for all of them.
  void reap(int flags) {
    for (;;) {
      int status;
      pid_t pid = ::waitpid(-1, &status, flags);
      if (pid <= 0) return;
      if (auto it = owner_.find(pid); it != owner_.end()) {
        bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        busy_[it->second] = !clean;
        owner_.erase(it);
      }
    }
  }
  int size() const { return static_cast<int>(busy_.size()); }

 private:
  int take(int i) {
    busy_[i] = true;
    return i;
  }
  std::vector<bool> busy_;
  std::map<pid_t, int> owner_;
};

// A supervisor forked ahead of its request, waiting on `channel` for it. Once it has a
// request the helper keeps the channel only to learn of its end (EOF: the supervisor exited).
struct Parked {
  unique_fd channel;
};

// What serving one request came to.
struct Served {
  bool clean = true;     // false: the slot could not be cleaned
  bool request = false;  // false: the channel closed instead
  bool last = false;     // the client said it was its last
};

// Serves the next request on `channel` in this process: its own network namespace
// (network.hpp; this process enters it, and the jail is cloned inside), then a jail prepared
// before the request is read, then the run.
Served serve_one(int channel, const CgroupHost& cgroups, int slot, const sock_fprog& filter,
                 bool teardown_awaited) {
  Served served;
  try {
    enter_loopback_network();
  } catch (const std::exception& e) {
    // Reported to the request: nothing runs without its namespace.
    auto request = receive_fds(channel);
    JailReport report;
    report.setup_error = e.what();
    served.request = request.has_value();
    if (request && request->size() == 1) write_reports((*request)[0].get(), {report});
    return served;
  }
  ParkedJail jail(cgroups, slot, filter);
  own_private_pages_unless_waited_for(channel);  // the request path copies no shared page
  char tag = kRequestTag;
  auto request = receive_fds(channel, &tag);
  served.request = request.has_value();
  served.last = tag == kLastRequestTag;
  if (!request || request->size() != 1) {
    served.clean = jail.abandon();
    return served;
  }
  int fd = (*request)[0].release();
  try {
    JailSpec spec = read_spec(fd);
    auto deliver = [fd](const std::vector<JailReport>& reports) {
      write_reports(fd, reports);
      ::close(fd);  // the caller has its answer; cleaning the slot happens after
    };
    served.clean = jail.run(std::move(spec), fd, deliver, teardown_awaited || served.last);
  } catch (const std::exception& e) {
    JailReport report;
    report.setup_error = e.what();
    write_reports(fd, {report});
    served.clean = jail.abandon();
  }
  return served;
}

// A supervisor forked ahead of its request. Exit status 3 tells the helper that the slot
// could not be cleaned.
[[noreturn]] void serve_parked(int channel, const CgroupHost& cgroups, int slot,
                               const sock_fprog& filter) {
  ::setpgid(0, 0);  // its jail's processes join its group (kBackgroundNice)
  ::_exit(serve_one(channel, cgroups, slot, filter, false).clean ? 0 : 3);
}

// Whether the control socket has a request queued (blocks until it has one or is closed).
bool request_comes(int fd) {
  char byte;
  for (;;) {
    ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK);
    if (n > 0) return true;
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

// --one-at-a-time: a client that never has two requests out at once (a one-shot command)
// has each served in this process, one after the other: no supervisor is forked per request.
// On a 2-vCPU VM that fork and the new process's first page touches cost `crucible run` of a
// new Python source ~1.5 ms before its program started. Its caller waits for each teardown
// anyway (the next request cannot start before it), so none is put in the background. Until
// the client's last request the next jail is prepared as soon as a run ends, as the parked
// ones are; after it, only when another request comes.
void serve_one_at_a_time(const CgroupHost& cgroups, const sock_fprog& filter) {
  int slot = 0, used = 0;  // a slot that could not be cleaned is retired, never reused
  bool prepare_ahead = true;
  for (;;) {
    if (!prepare_ahead && !request_comes(kControlFd)) break;
    Served served = serve_one(kControlFd, cgroups, slot, filter, true);
    used = std::max(used, slot + 1);
    if (!served.clean) ++slot;
    if (!served.request) break;
    prepare_ahead = !served.last;
  }
  cgroups.sweep_stale();  // groups a dead helper left behind
  cgroups.remove_parent(used);
}

// Forks the next request's supervisor, which prepares its jail at once (off the request
// path). A failure here is reported to that request.
Parked park(SlotPool& slots, const CgroupHost& cgroups, const sock_fprog& filter) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) return {};
  unique_fd mine(pair[0]), theirs(pair[1]);
  int slot = slots.acquire();
  pid_t pid = ::fork();
  if (pid == 0) {
    // Stdio, its channel and its network: no supervisor holds another's request or channel.
    close_all_except({0, 1, 2, theirs.get()});
    serve_parked(theirs.get(), cgroups, slot, filter);
  }
  if (pid < 0) {
    slots.release_unassigned(slot);
    return {};
  }
  slots.assign(pid, slot);
  return {std::move(mine)};
}

// A request that found no supervisor ready (forking one failed): its answer says so.
void refuse(int fd) {
  JailReport report;
  report.setup_error = errno_message("jail: cannot start a supervisor", errno);
  write_reports(fd, {report});
}

}  // namespace

int main(int argc, char** argv) {
  ::close_range(kControlFd + 1, ~0U, 0);
  ::signal(SIGPIPE, SIG_IGN);
  // Out of the client's process group: Ctrl-C at a terminal ends the client, and the helper,
  // seeing its control socket close, ends the runs and removes its groups. Killed with the
  // client instead, it left its cgroups behind.
  ::setpgid(0, 0);
  ::prctl(PR_SET_NAME, "crucible-jail");
  nlohmann::json hello = {{"ok", true}};
  std::vector<sock_filter> program;
  CgroupHost cgroups;
  const bool one_at_a_time = argc == 2 && std::strcmp(argv[1], kOneAtATimeFlag) == 0;
  try {
    if (argc > 2 || (argc == 2 && !one_at_a_time))
      throw SandboxFailure(std::string("crucible-jail takes no argument but ") + kOneAtATimeFlag +
                           "; got " + argv[1]);
    cgroups = CgroupHost::detect();
    program = baked_seccomp_program();
  } catch (const std::exception& e) {
    hello = {{"ok", false}, {"error", e.what()}};
  }
  if (!write_frame(kControlFd, hello, {}) || !hello["ok"].get<bool>()) {
    cgroups.remove_parent(0);  // a client gone before the hello leaves no group behind
    return 1;
  }
  sock_fprog filter{static_cast<unsigned short>(program.size()), program.data()};
  if (one_at_a_time) {
    serve_one_at_a_time(cgroups, filter);
    return 0;
  }

  // Each supervisor owns its run; the helper only hands out cgroup slots, parks supervisors
  // and reaps. A jail is prepared when a run has ended, in the client's time between
  // requests: one prepared while a run executes slowed that run (on a 2-core VM a trivial
  // static program by ~2.5 ms, `python3 -c pass` by ~5 ms). A request that finds no jail
  // ready gets one prepared for it at once.
  SlotPool slots;
  std::deque<Parked> spares;
  std::vector<unique_fd> running;  // channels of supervisors that have a request
  bool client_done = false;        // its last request came: nothing more to prepare
  spares.push_back(park(slots, cgroups, filter));
  // Groups a dead helper left behind, removed while the first jail is prepared.
  cgroups.sweep_stale();
  for (;;) {
    std::vector<pollfd> fds{{kControlFd, POLLIN, 0}};
    for (const auto& r : running) fds.push_back({r.get(), POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    bool ended = false;
    for (size_t i = fds.size() - 1; i >= 1; --i)
      if (fds[i].revents) {
        running.erase(running.begin() + static_cast<long>(i - 1));
        ended = true;
      }
    if (ended && !client_done)
      while (spares.size() < kSpareJails) spares.push_back(park(slots, cgroups, filter));
    if (!fds[0].revents) continue;

    char tag = 0;
    auto request = receive_fds(kControlFd, &tag);
    if (!request) break;
    if (request->size() != 1) continue;
    int fd = (*request)[0].get();
    // After a client's last request a prepared jail would only be torn down, on its time.
    if (tag == kLastRequestTag) client_done = true;
    // The first prepared jail that takes the request; one prepared now if none is ready.
    unique_fd taken;
    auto hand_over = [&](Parked jail) {
      if (jail.channel && send_fds(jail.channel.get(), {fd}, tag)) taken = std::move(jail.channel);
    };
    while (!taken && !spares.empty()) {
      Parked next = std::move(spares.front());
      spares.pop_front();
      hand_over(std::move(next));
    }
    if (!taken) hand_over(park(slots, cgroups, filter));
    if (taken)
      running.push_back(std::move(taken));
    else
      refuse(fd);
  }
  spares.clear();  // the parked supervisors end their jails and exit
  running.clear();
  slots.reap(0);
  cgroups.remove_parent(slots.size());
  return 0;
}
