#include "sandbox/jail/network.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "base/error.hpp"

namespace crucible::sandbox::jail {
namespace {

void bring_loopback_up() {
  unique_fd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!s) throw SandboxFailure(errno_message("jail: socket for the loopback device", errno));
  ifreq request{};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  if (::ioctl(s.get(), SIOCGIFFLAGS, &request) != 0)
    throw SandboxFailure(errno_message("jail: read the loopback device's flags", errno));
  request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP);
  if (::ioctl(s.get(), SIOCSIFFLAGS, &request) != 0)
    throw SandboxFailure(errno_message("jail: bring the loopback device up", errno));
}

}  // namespace

unique_fd make_loopback_network() {
  unique_fd home(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
  if (!home) throw SandboxFailure(errno_message("jail: open our network namespace", errno));
  if (::unshare(CLONE_NEWNET) != 0)
    throw SandboxFailure(
        errno_message("jail: create a network namespace; run `crucible doctor`", errno));
  unique_fd made(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
  int made_errno = errno;
  try {
    bring_loopback_up();
  } catch (...) {
    join_network(home.get());
    throw;
  }
  join_network(home.get());
  if (!made)
    throw SandboxFailure(errno_message("jail: open the new network namespace", made_errno));
  return made;
}

void join_network(int fd) {
  if (::setns(fd, CLONE_NEWNET) != 0)
    throw SandboxFailure(errno_message("jail: join a network namespace", errno));
}

}  // namespace crucible::sandbox::jail
