// Strict reading of one JSON object's fields, the one way every config and request parser
// reads its options: each read checks type and range and names the field in its error, and
// done() rejects any field nobody read, naming it and the known ones. Errors read alike
// everywhere, prefixed by where the object is:
//   "train config: lr must be a number from 0 to 10"
//   "train config: itertions is not a known field (known: seed, model, ...)"
//   "tests[2].output must be a string"                       (where = "tests[2].")
//
//   JsonFields f(j, "label config: ");
//   f.count("n", 1, 1024, o.n);
//   f.text("mode", o.mode, {"parallel", "serial"});
//   f.done();
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace crucible {

class JsonFields {
 public:
  // `where` prefixes every message ("train config: ", "compare.", "" for a request body).
  JsonFields(const nlohmann::json& j, std::string where);

  [[noreturn]] void fail(const std::string& key, const std::string& what) const;

  // Each reader returns whether the field was present; absent fields leave `out` as it is.
  bool count(const char* key, size_t lo, size_t hi, size_t& out);
  bool integer(const char* key, int64_t lo, int64_t hi, int64_t& out);
  bool number(const char* key, double lo, double hi, double& out);
  bool boolean(const char* key, bool& out);
  // A string; when `allowed` is given, one of those.
  bool text(const char* key, std::string& out, const std::vector<std::string>& allowed = {});
  // A non-empty array of non-empty strings (language names, say); `out` is replaced.
  bool names(const char* key, std::vector<std::string>& out);
  // The field's raw value, for nested objects and arrays (null when absent).
  const nlohmann::json* value(const char* key);
  // A field known but not read here (another layer reads it).
  void allow(const char* key);

  // Every field must have been read: a misspelt one is an error, not a silent default.
  void done() const;

  // For parsers that read fields their own way: refuses fields outside `known`.
  static void only(const nlohmann::json& j, const std::string& where,
                   std::initializer_list<const char*> known);

 private:
  bool take(const char* key);
  const nlohmann::json& j_;
  std::string where_;
  std::vector<std::string> known_;
};

}  // namespace crucible
