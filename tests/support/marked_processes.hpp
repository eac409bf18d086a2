// Finding a test's own program among the host's processes by a marker in its command line
// (a jailed `exec -a MARKER ...`), to check that it started and that nothing of it is left.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace crucible::testing {

// Processes whose command line holds `marker`.
inline int processes_marked(const std::string& marker) {
  int found = 0;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    std::ifstream cmdline(e.path() / "cmdline", std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    if (text.find(marker) != std::string::npos) ++found;
  }
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

}  // namespace crucible::testing
