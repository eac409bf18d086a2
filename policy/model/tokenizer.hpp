// Byte-level tokenizer: ids 0-255 are bytes, then special tokens. Any byte string
// round-trips exactly (decode(encode(s)) == s); special tokens are recognised in text by
// their spelling ("<think>"), so they round-trip too.
//
//   Tokenizer tok;                       // <pad> <bos> <eos> <think> </think>
//   std::vector<int> ids = tok.encode("<think>2+2</think>4");
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace crucible::policy {

class Tokenizer {
 public:
  Tokenizer();
  static Tokenizer from_json(const nlohmann::json& j);  // the definition saved with a checkpoint

  std::vector<int> encode(std::string_view text) const;
  std::string decode(const std::vector<int>& ids) const;
  std::string decode_one(int id) const;

  size_t vocab_size() const { return 256 + specials_.size(); }
  int pad() const { return 256; }
  int bos() const { return 257; }
  int eos() const { return 258; }
  int think() const { return 259; }
  int end_think() const { return 260; }
  const std::vector<std::string>& specials() const { return specials_; }

 private:
  std::vector<std::string> specials_;
};

void to_json(nlohmann::json& j, const Tokenizer& t);

}  // namespace crucible::policy
