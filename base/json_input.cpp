#include "base/json_input.hpp"

#include <string>
#include <unordered_set>
#include <vector>

#include "base/error.hpp"

namespace crucible {

std::string quoted_key(const std::string& key) {
  constexpr size_t kMax = 64;
  return key.size() <= kMax ? key : key.substr(0, kMax) + "...";
}

std::optional<size_t> json_depth_exceeded_at(std::string_view text, size_t max_depth) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

nlohmann::json parse_json_input_or_discarded(std::string_view text, std::string_view what,
                                             size_t max_depth) {
  if (auto at = json_depth_exceeded_at(text, max_depth))
    throw InvalidRequest(std::string(what) + ": JSON nested deeper than " +
                         std::to_string(max_depth) + " levels (at byte " + std::to_string(*at) +
                         ")");
  // A key given twice in one object would silently mean its last value: refuse it instead.
  std::vector<std::unordered_set<std::string>> keys_of_open_objects;
  auto no_duplicate_keys = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) {
      keys_of_open_objects.emplace_back();
    } else if (event == Event::object_end) {
      keys_of_open_objects.pop_back();
    } else if (event == Event::key && !keys_of_open_objects.back().insert(parsed).second) {
      throw InvalidRequest(std::string(what) + ": the key \"" +
                           quoted_key(parsed.get<std::string>()) +
                           "\" appears twice in one object");
    }
    return true;
  };
  return nlohmann::json::parse(text, no_duplicate_keys, false);
}

nlohmann::json parse_json_input(std::string_view text, std::string_view what, size_t max_depth) {
  nlohmann::json j = parse_json_input_or_discarded(text, what, max_depth);
  if (j.is_discarded()) throw InvalidRequest(std::string(what) + ": malformed JSON");
  return j;
}

}  // namespace crucible
