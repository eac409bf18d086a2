// Calling off the current thread's work from outside: a service job whose client hung up.
// The job's thread installs the flag for as long as it works for that caller; code that
// waits a long time on the caller's behalf (a jailed run) checks it and throws Cancelled.
//
//   CancelScope scope(request.client_gone.get());   // on the job's thread
//   ...
//   if (const auto* flag = cancel_flag(); flag && *flag) throw Cancelled("...");
#pragma once

#include <atomic>

namespace crucible {

// Installs `flag` (may be null: nothing to watch) as this thread's for the scope's life.
class CancelScope {
 public:
  explicit CancelScope(const std::atomic<bool>* flag);
  ~CancelScope();
  CancelScope(const CancelScope&) = delete;
  CancelScope& operator=(const CancelScope&) = delete;

 private:
  const std::atomic<bool>* previous_;
};

// This thread's flag, or null when nothing can call its work off.
const std::atomic<bool>* cancel_flag();

}  // namespace crucible
