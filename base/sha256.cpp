#include "base/sha256.hpp"

#include <nettle/sha2.h>

namespace crucible {

// Nettle's SHA-256 rather than OpenSSL's: OpenSSL 3 routes every digest through its
// provider framework, which linked in cost each `crucible` process ~100 page faults at load
// and its initialisation on the first digest (3-5 ms on a cold start, a tenth of a
// one-shot `crucible run`); Nettle's is the digest alone.
std::string sha256_hex(std::string_view data) {
  sha256_ctx context;
  sha256_init(&context);
  sha256_update(&context, data.size(), reinterpret_cast<const std::uint8_t*>(data.data()));
  std::uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_digest(&context, SHA256_DIGEST_SIZE, digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * SHA256_DIGEST_SIZE);
  for (std::uint8_t byte : digest) {
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 15]);
  }
  return out;
}

}  // namespace crucible
