// Reading JSON that comes from outside (request bodies, dataset lines, files a user
// names) without letting its shape hurt the process: nesting is bounded before the
// document is built, because deep nesting costs stack in every later walk over it
// (dump, copy, comparison) and 100,000 '[' overflow it.
//
//   nlohmann::json j = parse_json_input(body, "the body");  // InvalidRequest on bad input
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace crucible {

// Untrusted keys and values can be long: a message quotes at most 64 characters of one.
std::string quoted_key(const std::string& key);

// Deepest nesting of arrays and objects accepted in outside JSON.
inline constexpr size_t kMaxJsonDepth = 128;

// Byte offset of the bracket that takes the nesting past max_depth, if any (strings and
// their escapes are skipped; the text need not be valid JSON).
std::optional<size_t> json_depth_exceeded_at(std::string_view text, size_t max_depth);

// Parses outside JSON: throws InvalidRequest naming `what` when it nests deeper than
// max_depth, repeats a key within one object, or is not valid JSON.
nlohmann::json parse_json_input(std::string_view text, std::string_view what,
                                size_t max_depth = kMaxJsonDepth);

// As parse_json_input, but a malformed document comes back discarded (is_discarded())
// instead of throwing; only the nesting bound and a repeated key throw.
nlohmann::json parse_json_input_or_discarded(std::string_view text, std::string_view what,
                                             size_t max_depth = kMaxJsonDepth);

}  // namespace crucible
