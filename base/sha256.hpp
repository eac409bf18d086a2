// SHA-256 of a byte string as lowercase hex; used for content-addressed caches, where a
// weak hash would let one submission poison another's cached build.
#pragma once

#include <string>
#include <string_view>

namespace crucible {

std::string sha256_hex(std::string_view data);

}  // namespace crucible
