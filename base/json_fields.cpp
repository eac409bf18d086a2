#include "base/json_fields.hpp"

#include <algorithm>

#include "base/error.hpp"
#include "base/json_input.hpp"
#include "base/number_text.hpp"

namespace crucible {

using nlohmann::json;

JsonFields::JsonFields(const json& j, std::string where) : j_(j), where_(std::move(where)) {
  if (!j_.is_object()) {
    // "train config: must be ...", "tests[2] must be ...", "the body must be ..."
    std::string w = where_.empty() ? "the body " : where_;
    if (w.back() == '.') w.back() = ' ';
    throw InvalidRequest(w + "must be a JSON object");
  }
}

void JsonFields::fail(const std::string& key, const std::string& what) const {
  throw InvalidRequest(where_ + (key.empty() ? "" : quoted_key(key) + " ") + what);
}

bool JsonFields::take(const char* key) {
  known_.emplace_back(key);
  return j_.contains(key);
}

bool JsonFields::count(const char* key, size_t lo, size_t hi, size_t& out) {
  if (!take(key)) return false;
  const json& v = j_[key];
  bool ok = v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0);
  if (!ok || v.get<uint64_t>() < lo || v.get<uint64_t>() > hi)
    fail(key, "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
  out = v.get<size_t>();
  return true;
}

bool JsonFields::integer(const char* key, int64_t lo, int64_t hi, int64_t& out) {
  if (!take(key)) return false;
  const json& v = j_[key];
  bool in_range = v.is_number_integer() &&
                  !(v.is_number_unsigned() && v.get<uint64_t>() > INT64_MAX) &&
                  v.get<int64_t>() >= lo && v.get<int64_t>() <= hi;
  if (!in_range)
    fail(key, "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
  out = v.get<int64_t>();
  return true;
}

bool JsonFields::number(const char* key, double lo, double hi, double& out) {
  if (!take(key)) return false;
  const json& v = j_[key];
  if (!v.is_number() || !(v.get<double>() >= lo) || !(v.get<double>() <= hi))
    fail(key, "must be a number from " + short_number(lo) + " to " + short_number(hi));
  out = v.get<double>();
  return true;
}

bool JsonFields::boolean(const char* key, bool& out) {
  if (!take(key)) return false;
  if (!j_[key].is_boolean()) fail(key, "must be true or false");
  out = j_[key].get<bool>();
  return true;
}

bool JsonFields::text(const char* key, std::string& out, const std::vector<std::string>& allowed) {
  if (!take(key)) return false;
  if (!j_[key].is_string()) fail(key, "must be a string");
  std::string v = j_[key].get<std::string>();
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    fail(key, "must be one of " + list + " (got \"" + quoted_key(v) + "\")");
  }
  out = std::move(v);
  return true;
}

bool JsonFields::names(const char* key, std::vector<std::string>& out) {
  if (!take(key)) return false;
  const json& v = j_[key];
  if (!v.is_array() || v.empty())
    fail(key, "must be a non-empty array of names, e.g. [\"python3\"]");
  std::vector<std::string> read;
  for (const auto& x : v) {
    if (!x.is_string() || x.get<std::string>().empty())
      fail(key, "entries must be non-empty strings (names such as \"python3\")");
    read.push_back(x.get<std::string>());
  }
  out = std::move(read);
  return true;
}

const json* JsonFields::value(const char* key) {
  return take(key) ? &j_[key] : nullptr;
}

void JsonFields::allow(const char* key) {
  known_.emplace_back(key);
}

void JsonFields::done() const {
  for (const auto& [key, v] : j_.items()) {
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::string list;
    for (auto k = known_.begin(); k != known_.end(); ++k)
      if (std::find(known_.begin(), k, *k) == k) list += (list.empty() ? "" : ", ") + *k;
    fail(key, "is not a known field (known: " + list + ")");
  }
}

void JsonFields::only(const json& j, const std::string& where,
                      std::initializer_list<const char*> known) {
  JsonFields f(j, where);
  for (const char* k : known) f.allow(k);
  f.done();
}

}  // namespace crucible
