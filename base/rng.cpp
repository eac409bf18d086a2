#include "base/rng.hpp"

namespace crucible {

Rng::Rng(uint64_t seed, std::string_view stream) : state_(seed) {
  // FNV-1a of the stream name, mixed into the seed: independent streams per name.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : stream) h = (h ^ c) * 1099511628211ull;
  state_ ^= h;
  next();
}

uint64_t Rng::next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

int64_t Rng::uniform(int64_t lo, int64_t hi) {
  if (hi <= lo) return lo;
  uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
  // Reject the top partial bucket so every value is equally likely.
  uint64_t limit = span == 0 ? 0 : (UINT64_MAX / span) * span;
  uint64_t v;
  do v = next();
  while (limit && v >= limit);
  return lo + static_cast<int64_t>(span ? v % span : v);
}

double Rng::uniform01() {
  return (next() >> 11) * (1.0 / 9007199254740992.0);
}

}  // namespace crucible
