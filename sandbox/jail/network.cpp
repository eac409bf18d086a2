#include "sandbox/jail/network.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "base/error.hpp"
#include "base/unique_fd.hpp"

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

void enter_loopback_network() {
  if (::unshare(CLONE_NEWNET) != 0)
    throw SandboxFailure(
        errno_message("jail: create a network namespace; run `crucible doctor`", errno));
  bring_loopback_up();
}

}  // namespace crucible::sandbox::jail
