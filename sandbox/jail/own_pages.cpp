#include "sandbox/jail/own_pages.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace crucible::sandbox::jail {
namespace {

constexpr size_t kMaxRegions = 64;

struct Region {
  unsigned long begin, end;
};

// The private writable mappings ("rw-p") of /proc/self/maps, read without allocating: the
// heap is one of the regions being walked.
size_t writable_regions(Region* out) {
  int fd = ::open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char text[16384];
  size_t used = 0;
  for (;;) {
    ssize_t n = ::read(fd, text + used, sizeof text - 1 - used);
    if (n <= 0) break;
    used += static_cast<size_t>(n);
    if (used == sizeof text - 1) break;
  }
  ::close(fd);
  text[used] = '\0';
  size_t count = 0;
  for (char* line = text; *line && count < kMaxRegions;) {
    char* next = std::strchr(line, '\n');
    if (next) *next = '\0';
    char* rest = nullptr;
    unsigned long begin = std::strtoul(line, &rest, 16);
    if (rest && *rest == '-') {
      unsigned long end = std::strtoul(rest + 1, &rest, 16);
      // "[vvar]" and the like are not ours to write; "[stack]" and "[heap]" are.
      bool special = std::strstr(rest, "[v") != nullptr;
      if (rest && std::strncmp(rest, " rw-p", 5) == 0 && !special && end > begin)
        out[count++] = {begin, end};
    }
    if (!next) break;
    line = next + 1;
  }
  return count;
}

}  // namespace

void own_private_pages() {
  Region regions[kMaxRegions];
  size_t count = writable_regions(regions);
  for (size_t i = 0; i < count; ++i)
    ::madvise(reinterpret_cast<void*>(regions[i].begin), regions[i].end - regions[i].begin,
              MADV_POPULATE_WRITE);
}

void own_private_pages_unless_waited_for(int request_fd) {
  pollfd waiting{request_fd, POLLIN, 0};
  if (::poll(&waiting, 1, 0) == 0) own_private_pages();
}

}  // namespace crucible::sandbox::jail
