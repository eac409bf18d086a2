#include "policy/model/tokenizer.hpp"

#include <nlohmann/json.hpp>

#include "base/error.hpp"

namespace crucible::policy {

namespace {
const std::vector<std::string> kSpecials = {"<pad>", "<bos>", "<eos>", "<think>", "</think>"};
}

Tokenizer::Tokenizer() : specials_(kSpecials) {}

Tokenizer Tokenizer::from_json(const nlohmann::json& j) {
  if (!j.is_object() || j.value("type", "") != "byte")
    throw InvalidRequest("tokenizer: expected {\"type\": \"byte\", \"specials\": [...]}");
  if (!j.contains("specials") || j["specials"] != nlohmann::json(kSpecials))
    throw InvalidRequest("tokenizer: specials must be " + nlohmann::json(kSpecials).dump());
  return Tokenizer();
}

std::vector<int> Tokenizer::encode(std::string_view text) const {
  std::vector<int> ids;
  ids.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    bool special = false;
    if (text[i] == '<') {
      for (size_t s = 0; s < specials_.size(); ++s)
        if (text.compare(i, specials_[s].size(), specials_[s]) == 0) {
          ids.push_back(static_cast<int>(256 + s));
          i += specials_[s].size();
          special = true;
          break;
        }
    }
    if (!special) ids.push_back(static_cast<unsigned char>(text[i++]));
  }
  return ids;
}

std::string Tokenizer::decode_one(int id) const {
  if (id >= 0 && id < 256) return std::string(1, static_cast<char>(id));
  size_t s = static_cast<size_t>(id - 256);
  if (id >= 256 && s < specials_.size()) return specials_[s];
  throw InvalidRequest("token id " + std::to_string(id) + " is outside the vocabulary");
}

std::string Tokenizer::decode(const std::vector<int>& ids) const {
  std::string out;
  for (int id : ids) out += decode_one(id);
  return out;
}

void to_json(nlohmann::json& j, const Tokenizer& t) {
  j = {{"type", "byte"}, {"specials", t.specials()}};
}

}  // namespace crucible::policy
