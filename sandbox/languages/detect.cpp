#include "sandbox/languages/detect.hpp"

#include <algorithm>
#include <filesystem>

#include "base/error.hpp"
#include "sandbox/languages/line_search.hpp"

namespace crucible::sandbox::languages {
namespace {

// libstdc++'s regex recurses per character: bound the text it sees.
constexpr size_t kMaxScanBytes = 16 << 10;

// "python3.11" matches the shebang word "python3" or "python"; "bash" matches "bash".
bool shebang_matches(const std::string& word, const std::string& candidate) {
  if (candidate.rfind(word, 0) != 0) return false;
  return std::all_of(candidate.begin() + word.size(), candidate.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
  });
}

// The interpreter named by "#!/usr/bin/env python3" or "#!/bin/bash -e".
std::string shebang_interpreter(const std::string& source) {
  if (source.rfind("#!", 0) != 0) return "";
  std::string line = source.substr(2, source.find('\n') - 2);
  std::vector<std::string> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    size_t j = i;
    while (j < line.size() && !std::isspace(static_cast<unsigned char>(line[j]))) ++j;
    if (j > i) words.push_back(line.substr(i, j - i));
    i = j;
  }
  if (words.empty()) return "";
  std::string prog = std::filesystem::path(words[0]).filename();
  if (prog == "env") {
    for (size_t k = 1; k < words.size(); ++k)
      if (words[k][0] != '-') return std::filesystem::path(words[k]).filename();
    return "";
  }
  return prog;
}

}  // namespace

Detection detect(const Registry& registry, const std::string& source, const std::string& filename) {
  Detection d;
  if (!filename.empty()) {
    std::string ext = std::filesystem::path(filename).extension();
    if (const Language* l = ext.empty() ? nullptr : registry.find_by_extension(ext)) {
      d.language = l;
      d.method = "extension";
      return d;
    }
  }
  if (std::string interp = shebang_interpreter(source); !interp.empty()) {
    for (const auto& l : registry.all())
      for (const auto& w : l.shebang_words)
        if (shebang_matches(w, interp)) {
          d.language = &l;
          d.method = "shebang";
          return d;
        }
  }
  std::string head = source.substr(0, kMaxScanBytes);
  double best = 0;
  for (const auto& l : registry.all()) {
    double score = 0;
    for (const auto& [re, weight] : l.detect_patterns.compiled())
      if (search_lines(head, re)) score += weight;
    d.scores.emplace_back(l.name, score);
    if (score > best) {
      best = score;
      d.language = &l;
    }
  }
  if (!d.language)
    throw InvalidRequest(
        "cannot detect the language of the source; pass --lang (or \"language\") explicitly");
  d.method = "patterns";
  return d;
}

}  // namespace crucible::sandbox::languages
