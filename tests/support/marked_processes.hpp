// Finding a test's own program among the host's processes by a marker in its command line
// (a jailed `exec -a MARKER ...`), to check that it started and that nothing of it is left;
// and a process's children (a command's jail helper, a helper's jail).
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <sys/types.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace crucible::testing {

// A process's command line, or "" when it has gone. Plain read(2): a process that exits while
// it is read fails with ESRCH, which an ifstream turns into an exception.
inline std::string command_line_of(const std::filesystem::path& proc_entry) {
  std::string text;
  const int fd = ::open((proc_entry / "cmdline").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return text;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return text;
}

// Processes whose command line holds `marker`.
inline int processes_marked(const std::string& marker) {
  int found = 0;
  std::error_code ec;
  for (std::filesystem::directory_iterator it("/proc", ec), end; !ec && it != end; it.increment(ec))
    if (command_line_of(it->path()).find(marker) != std::string::npos) ++found;
  return found;
}

// Waits up to `seconds` for `want` (true: some process is marked; false: none is).
inline bool await_marked(const std::string& marker, bool want, int seconds) {
  for (int i = 0; i < seconds * 20; ++i) {
    if ((processes_marked(marker) > 0) == want) return true;
    ::usleep(50'000);
  }
  return false;
}

// Waits up to `ms` for process `pid` to be gone from /proc.
inline bool exited_within(pid_t pid, int ms) {
  for (int waited = 0; waited < ms; waited += 10) {
    if (!std::filesystem::exists("/proc/" + std::to_string(pid))) return true;
    ::usleep(10'000);
  }
  return false;
}

// The children of `parent`'s main thread, from /proc (empty once it has gone).
inline std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> out;
  std::ifstream in("/proc/" + std::to_string(parent) + "/task/" + std::to_string(parent) +
                   "/children");
  for (pid_t pid; in >> pid;) out.push_back(pid);
  return out;
}

}  // namespace crucible::testing
