#include "base/number_text.hpp"

#include <cmath>
#include <cstdio>
#include <exception>

namespace crucible {

std::optional<double> finite_number(const std::string& text) {
  size_t used = 0;
  double d = 0;
  try {
    d = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used != text.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

std::string short_number(double x) {
  char b[32];
  // Whole numbers in full (1048576 bytes), others and huge ones in %g (0.25, 1e+30).
  bool whole = std::abs(x) < 1e15 && x == std::floor(x);
  std::snprintf(b, sizeof b, whole ? "%.0f" : "%g", x);
  return b;
}

}  // namespace crucible
