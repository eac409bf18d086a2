// One seed per (run seed, purpose, index): training runs are reproducible and each purpose
// (initialisation, rollouts, evaluation, repair, ...) draws from its own stream.
#pragma once

#include <cstdint>

namespace crucible::rollout {

inline uint64_t mix(uint64_t seed, uint64_t purpose, uint64_t index) {
  uint64_t x = seed * 0x9e3779b97f4a7c15ULL + purpose * 0xbf58476d1ce4e5b9ULL + index;
  x ^= x >> 31;
  return x * 0x94d049bb133111ebULL;
}

}  // namespace crucible::rollout
