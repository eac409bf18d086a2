// The library's handle on the jail helper: starts `crucible-jail` once, hands it one
// request per run, and restarts it if it died. Thread-safe; runs proceed in parallel (one
// after another for a client made with Requests::OneAtATime).
//
//   JailClient jail;                         // finds the helper beside the executable
//   JailReport r = jail.run(spec);           // throws SandboxFailure if the helper fails
//   std::vector<JailReport> rs = jail.run_all(spec);   // one per input; may stop early
#pragma once

#include <sys/types.h>

#include <mutex>
#include <string>
#include <vector>

#include "base/unique_fd.hpp"
#include "sandbox/jail/spec.hpp"

namespace crucible::sandbox::jail {

class JailClient {
 public:
  // `helper_path` empty: $CRUCIBLE_JAIL_HELPER, then beside /proc/self/exe, then the
  // build tree's path.
  explicit JailClient(std::string helper_path = "");
  // The same, then prestart() at once.
  enum class Start { Now };
  // How requests come: any number at once (the helper forks a supervisor per request, ahead
  // of it), or one at a time (a one-shot command: the helper serves each in its own process,
  // which saves a fork per request; concurrent calls then wait for each other here).
  enum class Requests { Concurrent, OneAtATime };
  JailClient(std::string helper_path, Start, Requests requests = Requests::Concurrent);
  JailClient(const JailClient&) = delete;
  JailClient& operator=(const JailClient&) = delete;
  ~JailClient();

  // Starts the helper now without waiting for it, so its setup (and the first jail it
  // prepares) overlaps the caller's own work. Never throws: a helper that cannot start is
  // reported by the first run.
  void prestart();

  // For a one-shot command, called from its first constructor: starts the helper (found as
  // the constructor finds it) before the rest of the process initialises, which takes
  // milliseconds on a slow VM; the first client then made with that helper and `requests`
  // adopts it instead of starting its own. Never throws: when this cannot start one, that
  // client does, or reports why. One nobody adopts is ended (and waited for) at exit.
  static void start_early(Requests requests) noexcept;

  // The next request is this client's last (a one-shot command): the helper then prepares
  // no further jail after it, which nobody would use and whose teardown the caller would
  // wait for when it ends. Later requests still run, each paying for its own jail.
  void last_request_next();

  // One report per input of `spec`, in order; fewer when a run hit a limit (the jail
  // ends there). Never empty.
  std::vector<JailReport> run_all(const JailSpec& spec);
  // A spec with at most one input: its one report.
  JailReport run(const JailSpec& spec);
  const std::string& helper_path() const { return helper_path_; }
  pid_t helper_pid() const { return helper_pid_; }

 private:
  void start_locked();
  void spawn_locked();
  bool adopt_early_locked();
  void await_hello_locked();
  void stop_locked();
  int send_request_locked();
  static void await_reports_or_cancel(unique_fd& conn);

  std::string helper_path_;
  Requests requests_ = Requests::Concurrent;
  std::mutex mu_;
  std::mutex one_at_a_time_;  // held for a whole run when requests_ is OneAtATime
  unique_fd control_;
  pid_t helper_pid_ = -1;
  bool hello_pending_ = false;  // spawned by prestart(), its hello not read yet
  bool last_request_next_ = false;
};

// Resolves the helper's path as the constructor does; throws SandboxFailure if absent.
std::string find_jail_helper();

}  // namespace crucible::sandbox::jail
