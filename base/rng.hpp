// A seeded random generator whose sequence is the same on every machine and library
// version (std:: distributions are implementation-defined, so they are not used): every
// sampler and generator takes a seed, and the same seed gives the same output.
//
//   Rng rng(42);
//   int d = rng.uniform(1, 6);   // inclusive
#pragma once

#include <cstdint>
#include <string_view>

namespace crucible {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  // A generator for a named stream derived from `seed` (e.g. one per task family).
  Rng(uint64_t seed, std::string_view stream);

  uint64_t next();  // splitmix64
  // Uniform integer in [lo, hi], without modulo bias.
  int64_t uniform(int64_t lo, int64_t hi);
  // Uniform in [0, 1).
  double uniform01();
  bool chance(double p) { return uniform01() < p; }

 private:
  uint64_t state_;
};

}  // namespace crucible
