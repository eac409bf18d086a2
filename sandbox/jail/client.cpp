#include "sandbox/jail/client.hpp"

#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>

#include "base/cancel.hpp"
#include "base/error.hpp"
#include "sandbox/jail/fd_passing.hpp"
#include "sandbox/jail/protocol.hpp"

extern char** environ;

namespace crucible::sandbox::jail {
namespace fs = std::filesystem;

std::string find_jail_helper() {
  if (const char* env = std::getenv("CRUCIBLE_JAIL_HELPER"); env && *env) {
    if (::access(env, X_OK) != 0)
      throw SandboxFailure(std::string("CRUCIBLE_JAIL_HELPER=") + env + " is not an executable");
    return env;
  }
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (fs::path candidate :
         {self.parent_path() / "crucible-jail", self.parent_path() / "../bin/crucible-jail"})
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.lexically_normal();
  }
#ifdef CRUCIBLE_JAIL_HELPER_PATH
  if (::access(CRUCIBLE_JAIL_HELPER_PATH, X_OK) == 0) return CRUCIBLE_JAIL_HELPER_PATH;
#endif
  throw SandboxFailure("cannot find the crucible-jail helper beside " + self.string() +
                       "; set CRUCIBLE_JAIL_HELPER or rebuild");
}

namespace {

// Starts `path` with the control socket as its fd 3; the client's end goes to `mine`.
pid_t spawn_helper(const std::string& path, JailClient::Requests requests, unique_fd& mine) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    throw SandboxFailure(errno_message("jail: socketpair", errno));
  unique_fd ours(sv[0]), theirs(sv[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, theirs.get(), 3);
  const bool one_at_a_time = requests == JailClient::Requests::OneAtATime;
  char* argv[] = {const_cast<char*>(path.c_str()),
                  one_at_a_time ? const_cast<char*>(kOneAtATimeFlag) : nullptr, nullptr};
  pid_t pid;
  int rc = ::posix_spawn(&pid, path.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw SandboxFailure(errno_message("jail: cannot start " + path, rc));
  mine = std::move(ours);
  return pid;
}

// The helper start_early() started, until a client adopts it. Plain data, constant-
// initialised: it is written before the program's dynamic initialisation has run. `pid` is
// exchanged atomically, so one client at most adopts it.
struct EarlyHelper {
  std::atomic<pid_t> pid{-1};
  int control = -1;
  JailClient::Requests requests = JailClient::Requests::Concurrent;
  char path[4096] = {};
};
constinit EarlyHelper early_helper;

void end_unadopted_early_helper() {
  pid_t pid = early_helper.pid.exchange(-1);
  if (pid <= 0) return;
  ::close(early_helper.control);  // EOF: the helper removes its groups and exits
  while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace

void JailClient::start_early(Requests requests) noexcept {
  try {
    std::string path = find_jail_helper();
    if (path.size() >= sizeof early_helper.path || early_helper.pid.load() > 0) return;
    unique_fd control;
    pid_t pid = spawn_helper(path, requests, control);
    std::memcpy(early_helper.path, path.c_str(), path.size() + 1);
    early_helper.requests = requests;
    early_helper.control = control.release();
    early_helper.pid.store(pid);
    std::atexit(end_unadopted_early_helper);
  } catch (...) {
    // The client started later tries again and reports what fails.
  }
}

bool JailClient::adopt_early_locked() {
  if (early_helper.pid.load() <= 0 || early_helper.requests != requests_ ||
      helper_path_ != early_helper.path)
    return false;
  pid_t pid = early_helper.pid.exchange(-1);
  if (pid <= 0) return false;
  control_.reset(early_helper.control);
  helper_pid_ = pid;
  hello_pending_ = true;
  return true;
}

JailClient::JailClient(std::string helper_path)
    : helper_path_(helper_path.empty() ? find_jail_helper() : std::move(helper_path)) {}

JailClient::JailClient(std::string helper_path, Start, Requests requests)
    : JailClient(std::move(helper_path)) {
  requests_ = requests;
  prestart();
}

JailClient::~JailClient() {
  std::lock_guard lock(mu_);
  stop_locked();
}

void JailClient::stop_locked() {
  control_.reset();  // EOF tells the helper to exit
  hello_pending_ = false;
  if (helper_pid_ > 0) {
    int status;
    while (::waitpid(helper_pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  helper_pid_ = -1;
}

void JailClient::prestart() {
  std::lock_guard lock(mu_);
  if (control_) return;
  try {
    spawn_locked();
  } catch (const std::exception&) {
    // The first run starts it again and reports why it cannot.
  }
}

void JailClient::start_locked() {
  spawn_locked();
  await_hello_locked();
}

void JailClient::spawn_locked() {
  if (adopt_early_locked()) return;
  helper_pid_ = spawn_helper(helper_path_, requests_, control_);
  hello_pending_ = true;
}

void JailClient::await_hello_locked() {
  hello_pending_ = false;
  Frame hello;
  try {
    hello = read_frame(control_.get(), 1 << 20);
  } catch (const std::exception&) {
    stop_locked();
    throw SandboxFailure("jail: the helper " + helper_path_ +
                         " exited at start; run `crucible doctor`");
  }
  if (!hello.header.value("ok", false)) {
    std::string why = hello.header.value("error", std::string("unknown error"));
    stop_locked();
    throw SandboxFailure("jail: " + why);
  }
}

int JailClient::send_request_locked() {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    throw SandboxFailure(errno_message("jail: socketpair", errno));
  unique_fd mine(sv[0]), theirs(sv[1]);
  const char tag = std::exchange(last_request_next_, false) ? kLastRequestTag : kRequestTag;
  if (!send_fds(control_.get(), {theirs.get()}, tag)) return -1;
  return mine.release();
}

void JailClient::last_request_next() {
  std::lock_guard lock(mu_);
  last_request_next_ = true;
}

JailReport JailClient::run(const JailSpec& spec) {
  if (spec.inputs.size() > 1) throw SandboxFailure("jail: run() takes one input; use run_all()");
  return run_all(spec).front();
}

std::vector<JailReport> JailClient::run_all(const JailSpec& spec) {
  std::unique_lock<std::mutex> serial(one_at_a_time_, std::defer_lock);
  if (requests_ == Requests::OneAtATime) serial.lock();
  unique_fd conn;
  {
    std::lock_guard lock(mu_);
    for (int attempt = 0; attempt < 2 && !conn; ++attempt) {
      if (!control_)
        start_locked();
      else if (hello_pending_)
        await_hello_locked();
      int fd = send_request_locked();
      if (fd >= 0) {
        conn.reset(fd);
      } else {
        stop_locked();  // the helper died: start a fresh one and retry once
      }
    }
    if (!conn) throw SandboxFailure("jail: the helper does not accept requests");
  }
  // The supervisor enforces the wall limits; this bound only guards against a stuck helper.
  size_t runs = std::max<size_t>(1, spec.inputs.size());
  timeval tv{static_cast<time_t>(spec.limits.wall_seconds * runs) + 60, 0};
  ::setsockopt(conn.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (!write_spec(conn.get(), spec)) {
    // A supervisor that refused the request says why before it closes: read that first.
    try {
      auto reports = read_reports(conn.get());
      if (!reports.empty()) return reports;
    } catch (const std::exception&) {
    }
    throw SandboxFailure("jail: the supervisor closed the connection");
  }
  await_reports_or_cancel(conn);
  auto reports = read_reports(conn.get());
  if (reports.empty()) throw SandboxFailure("jail: the supervisor sent no report");
  return reports;
}

// A caller that can be called off (base/cancel.hpp) is checked while the run goes on; when
// it is, closing the request socket makes the supervisor kill the run at once.
void JailClient::await_reports_or_cancel(unique_fd& conn) {
  const std::atomic<bool>* cancel = cancel_flag();
  if (!cancel) return;
  constexpr int kCheckEveryMs = 50;
  pollfd p{conn.get(), POLLIN, 0};
  for (;;) {
    if (cancel->load()) {
      conn.reset();
      throw Cancelled("the caller went away; its run was stopped");
    }
    int ready = ::poll(&p, 1, kCheckEveryMs);
    if (ready > 0 || (ready < 0 && errno != EINTR)) return;  // read_reports says what came
  }
}

}  // namespace crucible::sandbox::jail
