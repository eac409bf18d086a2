#include "sandbox/jail/own_pages.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace crucible::sandbox::jail {
namespace {

// The regions a request's path writes to: the heap, the stack and the binary's own data.
// Anonymous mappings are left alone: in an instrumented build they are the sanitizer's
// allocator and shadow, tens of MiB that init would charge to the run's memory cgroup.
bool is_own_region(const char* rest) {
  if (std::strncmp(rest, " rw-p", 5) != 0) return false;
  const char* name = std::strrchr(rest, ' ');
  if (name == nullptr) return false;
  ++name;
  return std::strcmp(name, "[heap]") == 0 || std::strcmp(name, "[stack]") == 0 || name[0] == '/';
}

// Populating more than this is not warming a small process's pages (the helper's are a few
// hundred KiB); it is stopped there.
constexpr unsigned long kMostBytes = 4ul << 20;

// One line of /proc/self/maps; `budget` is what may still be populated.
void own_region(const char* line, unsigned long& budget) {
  char* rest = nullptr;
  unsigned long begin = std::strtoul(line, &rest, 16);
  if (!rest || *rest != '-') return;
  unsigned long end = std::strtoul(rest + 1, &rest, 16);
  if (!rest || end <= begin || !is_own_region(rest) || end - begin > budget) return;
  budget -= end - begin;
  ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
}

}  // namespace

void own_private_pages() {
  // Read in pieces on the stack without allocating: the heap is one of the regions, and a
  // process with many mappings (a sanitizer's) has a long list.
  int fd = ::open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  char text[4096];
  size_t held = 0;  // bytes of an unfinished line at the start of `text`
  unsigned long budget = kMostBytes;
  for (;;) {
    ssize_t n = ::read(fd, text + held, sizeof text - 1 - held);
    if (n <= 0) break;
    held += static_cast<size_t>(n);
    text[held] = '\0';
    char* line = text;
    for (char* nl; (nl = std::strchr(line, '\n')) != nullptr; line = nl + 1) {
      *nl = '\0';
      own_region(line, budget);
    }
    held = static_cast<size_t>(text + held - line);
    if (held == sizeof text - 1) held = 0;  // a line longer than the buffer: not a mapping we want
    std::memmove(text, line, held);
  }
  ::close(fd);
}

void own_private_pages_unless_waited_for(int request_fd) {
  pollfd waiting{request_fd, POLLIN, 0};
  if (::poll(&waiting, 1, 0) == 0) own_private_pages();
}

}  // namespace crucible::sandbox::jail
