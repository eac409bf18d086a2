// Character classes of the math verifier's scanners: ASCII only, never the C locale's.
#pragma once

namespace crucible::rewards::math {

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace crucible::rewards::math
