// crucible-jail: the pre-forked helper ("zygote") that runs every jailed program.
//
// Started once by JailClient with a control socket on fd 3. It pays the expensive setup
// once (the cgroup parent, the compiled seccomp filter), makes each run's network namespace
// ahead of its request (network.hpp) and stays small and single-threaded, so forking a supervisor
// per run is cheap and safe. Each request arrives as a socket (SCM_RIGHTS) carrying one spec; the
// supervisor answers on that socket. EOF on the control socket ends the helper.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sys/wait.h>

#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "base/error.hpp"
#include "base/unique_fd.hpp"
#include "sandbox/jail/cgroup.hpp"
#include "sandbox/jail/network.hpp"
#include "sandbox/jail/protocol.hpp"
#include "sandbox/jail/seccomp_rules.hpp"
#include "sandbox/jail/supervisor.hpp"

namespace {

using namespace crucible;
using namespace crucible::sandbox::jail;

constexpr int kControlFd = 3;

// Receives one descriptor; returns -1 on EOF or error.
int receive_fd(int control) {
  char byte;
  iovec iov{&byte, 1};
  alignas(cmsghdr) char cbuf[CMSG_SPACE(sizeof(int))];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = cbuf;
  msg.msg_controllen = sizeof cbuf;
  for (;;) {
    ssize_t n = ::recvmsg(control, &msg, MSG_CMSG_CLOEXEC);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    if (!c || c->cmsg_type != SCM_RIGHTS) return -2;
    int fd;
    std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return fd;
  }
}

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

// Exit status 3 tells the helper that the slot could not be cleaned.
[[noreturn]] void serve_one(int fd, const CgroupHost& cgroups, int slot, const sock_fprog& filter,
                            int network) {
  bool clean = true;
  try {
    JailSpec spec = read_spec(fd);
    // The submission's own network namespace (network.hpp): the run is cloned inside it.
    if (network < 0) throw SandboxFailure("jail: no network namespace for this run");
    join_network(network);
    clean = supervise(spec, cgroups, slot, filter, [fd](const std::vector<JailReport>& reports) {
      write_reports(fd, reports);
      ::close(fd);  // the caller has its answer; cleaning the slot happens after
    });
  } catch (const std::exception& e) {
    JailReport report;
    report.setup_error = e.what();
    write_reports(fd, {report});
  }
  ::_exit(clean ? 0 : 3);
}

}  // namespace

int main() {
  ::close_range(kControlFd + 1, ~0U, 0);
  ::signal(SIGPIPE, SIG_IGN);
  ::prctl(PR_SET_NAME, "crucible-jail");
  nlohmann::json hello = {{"ok", true}};
  std::vector<sock_filter> program;
  CgroupHost cgroups;
  try {
    // The helper itself sits in an empty network namespace; runs get their own.
    if (::unshare(CLONE_NEWNET) != 0)
      throw SandboxFailure(
          errno_message("cannot create the empty network namespace; run `crucible doctor`", errno));
    cgroups = CgroupHost::detect();
    cgroups.sweep_stale();
    program = compile_seccomp_program();
  } catch (const std::exception& e) {
    hello = {{"ok", false}, {"error", e.what()}};
  }
  if (!write_frame(kControlFd, hello, {}) || !hello["ok"].get<bool>()) return 1;

  // Each supervisor owns its run; the helper only hands out cgroup slots and reaps.
  sock_fprog filter{static_cast<unsigned short>(program.size()), program.data()};
  SlotPool slots;
  // The next run's network namespace, made ahead of its request (off the request path).
  auto next_network = [] {
    try {
      return make_loopback_network();
    } catch (const std::exception&) {
      return unique_fd();  // that run reports the failure; the next request tries again
    }
  };
  unique_fd network = next_network();
  for (;;) {
    int fd = receive_fd(kControlFd);
    if (fd == -1) break;
    if (fd < 0) continue;
    int slot = slots.acquire();
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(kControlFd);
      serve_one(fd, cgroups, slot, filter, network.get());
    }
    if (pid > 0)
      slots.assign(pid, slot);
    else
      slots.release_unassigned(slot);
    ::close(fd);
    network = next_network();
  }
  slots.reap(0);
  cgroups.remove_parent(slots.size());
  return 0;
}
