// Base64 (RFC 4648, standard alphabet, '=' padding) for request payloads that carry files.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crucible {

std::string base64_encode(std::string_view data);
// nullopt on any character outside the alphabet or bad padding.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace crucible
