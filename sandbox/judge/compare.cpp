#include "sandbox/judge/compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <vector>

#include "base/error.hpp"
#include "base/json_fields.hpp"

namespace crucible::sandbox::judge {
namespace {

constexpr const char* kNames[] = {
    "exact",           "whitespace",       "float",      "case_insensitive",
    "unordered_lines", "unordered_tokens", "exit_status"};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::vector<std::string_view> tokens(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    size_t j = i;
    while (j < s.size() && !is_space(s[j])) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// Lines as token lists, without trailing empty lines.
std::vector<std::vector<std::string_view>> lines(std::string_view s) {
  std::vector<std::vector<std::string_view>> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find('\n', start);
    if (end == std::string_view::npos) end = s.size();
    out.push_back(tokens(s.substr(start, end - start)));
    start = end + 1;
  }
  while (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

std::string clip(std::string_view s) {
  constexpr size_t kMax = 60;
  return s.size() <= kMax ? std::string(s) : std::string(s.substr(0, kMax)) + "...";
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

// A whole token parsed as a finite or infinite number.
bool parse_number(std::string_view token, double& value) {
  std::string text(token);
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size() && !std::isnan(value);
}

bool tokens_equal(std::string_view want, std::string_view got, const CompareOptions& o) {
  switch (o.kind) {
    case Comparator::CaseInsensitive:
      return lower(want) == lower(got);
    case Comparator::Float: {
      if (want == got) return true;
      double a, b;
      if (!parse_number(want, a) || !parse_number(got, b)) return false;
      if (std::isinf(a) || std::isinf(b)) return a == b;
      double diff = std::fabs(a - b);
      return diff <= o.abs_tol || diff <= o.rel_tol * std::fabs(a);
    }
    default:
      return want == got;
  }
}

CompareResult line_by_line(std::string_view expected, std::string_view actual,
                           const CompareOptions& o) {
  auto want = lines(expected), got = lines(actual);
  for (size_t i = 0; i < std::max(want.size(), got.size()); ++i) {
    if (i >= got.size())
      return {false, "line " + std::to_string(i + 1) + ": expected more output, got end of output"};
    if (i >= want.size())
      return {false, "line " + std::to_string(i + 1) + ": unexpected extra output"};
    const auto &w = want[i], &g = got[i];
    for (size_t k = 0; k < std::max(w.size(), g.size()); ++k) {
      std::string where =
          "line " + std::to_string(i + 1) + ", token " + std::to_string(k + 1) + ": ";
      if (k >= g.size()) return {false, where + "expected '" + clip(w[k]) + "', got end of line"};
      if (k >= w.size()) return {false, where + "unexpected '" + clip(g[k]) + "'"};
      if (!tokens_equal(w[k], g[k], o))
        return {false, where + "expected '" + clip(w[k]) + "', got '" + clip(g[k]) + "'"};
    }
  }
  return {true, ""};
}

template <typename Item>
CompareResult same_multiset(std::vector<Item> want, std::vector<Item> got, const char* what) {
  if (want.size() != got.size())
    return {false, "expected " + std::to_string(want.size()) + " " + what + ", got " +
                       std::to_string(got.size())};
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());
  if (want != got) return {false, std::string("the ") + what + " differ (compared in any order)"};
  return {true, ""};
}

// exit_status with an expected output: one line of the output (the end-of-tests line that a
// program of tests prints, ProgramEnd) is that output, less its line break.
CompareResult expected_line_present(std::string_view expected, std::string_view actual) {
  while (!expected.empty() && (expected.back() == '\n' || expected.back() == '\r'))
    expected.remove_suffix(1);
  if (expected.empty()) return {true, ""};
  while (!actual.empty()) {
    size_t cut = actual.find('\n');
    std::string_view line = actual.substr(0, cut);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line == expected) return {true, ""};
    actual = cut == std::string_view::npos ? std::string_view() : actual.substr(cut + 1);
  }
  return {false,
          "exited 0 without printing the end-of-tests line: the program ended before its tests "
          "ran to their end"};
}

}  // namespace

CompareResult compare(std::string_view expected, std::string_view actual, const CompareOptions& o) {
  switch (o.kind) {
    case Comparator::Exact: {
      if (expected == actual) return {true, ""};
      size_t i = 0;
      while (i < expected.size() && i < actual.size() && expected[i] == actual[i]) ++i;
      return {false, "outputs differ at byte " + std::to_string(i) + " (expected " +
                         std::to_string(expected.size()) + " bytes, got " +
                         std::to_string(actual.size()) + ")"};
    }
    case Comparator::UnorderedLines: {
      std::vector<std::vector<std::string_view>> w = lines(expected), g = lines(actual);
      return same_multiset(std::move(w), std::move(g), "lines");
    }
    case Comparator::UnorderedTokens:
      return same_multiset(tokens(expected), tokens(actual), "tokens");
    case Comparator::ExitStatus:  // a run that did not exit 0 never reaches the comparison
      return expected_line_present(expected, actual);
    default:
      return line_by_line(expected, actual, o);
  }
}

const char* comparator_name(Comparator c) {
  return kNames[static_cast<int>(c)];
}

Comparator comparator_from_name(const std::string& name) {
  for (size_t i = 0; i < std::size(kNames); ++i)
    if (name == kNames[i]) return static_cast<Comparator>(i);
  throw InvalidRequest(
      "unknown comparator '" + name +
      "'; use exact, whitespace, float, case_insensitive, unordered_lines, unordered_tokens or "
      "exit_status");
}

void to_json(nlohmann::json& j, const CompareOptions& o) {
  j = {{"comparator", comparator_name(o.kind)}, {"abs_tol", o.abs_tol}, {"rel_tol", o.rel_tol}};
}

void from_json(const nlohmann::json& j, CompareOptions& o) {
  if (!j.is_object()) throw InvalidRequest("compare must be an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() == "comparator") {
      if (!it->is_string()) throw InvalidRequest("compare.comparator must be a string");
      o.kind = comparator_from_name(it->get<std::string>());
    } else if (it.key() == "abs_tol" || it.key() == "rel_tol") {
      if (!it->is_number() || it->get<double>() < 0)
        throw InvalidRequest("compare." + it.key() + " must be a non-negative number");
      (it.key() == "abs_tol" ? o.abs_tol : o.rel_tol) = it->get<double>();
    }
  }
  JsonFields::only(j, "compare.", {"comparator", "abs_tol", "rel_tol"});
}

}  // namespace crucible::sandbox::judge
