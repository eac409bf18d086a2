// A seeded random generator whose sequence is the same on every machine and library
// version (std:: distributions are implementation-defined, so they are not used): every
// sampler and generator takes a seed, and the same seed gives the same output. Seeds for
// the parts of a run come from derive_seed, one stream per (run seed, purpose, index).
//
//   Rng rng(42);
//   int d = rng.uniform(1, 6);   // inclusive
//   uint64_t s = derive_seed(run_seed, kPurposeEvaluation, iteration);
#pragma once

#include <cstdint>
#include <string_view>

namespace crucible {

// One seed per (run seed, purpose, index): a run is reproducible and each purpose
// (initialisation, rollouts, evaluation, repair, ...) draws from its own stream.
inline uint64_t derive_seed(uint64_t seed, uint64_t purpose, uint64_t index) {
  uint64_t x = seed * 0x9e3779b97f4a7c15ULL + purpose * 0xbf58476d1ce4e5b9ULL + index;
  x ^= x >> 31;
  return x * 0x94d049bb133111ebULL;
}

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
