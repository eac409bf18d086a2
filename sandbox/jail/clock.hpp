// The jail's one clock: CLOCK_MONOTONIC in nanoseconds (init and supervisor compare times).
#pragma once

#include <time.h>

namespace crucible::sandbox::jail {

inline long long monotonic_ns() {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

}  // namespace crucible::sandbox::jail
