#include "base/error.hpp"

#include <cstring>

namespace crucible {

std::string errno_message(const std::string& what, int err) {
  return what + ": " + std::strerror(err);
}

}  // namespace crucible
