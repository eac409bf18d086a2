// Automatic language detection (--lang auto): a file extension if one is given, else a
// shebang, else the highest total weight of each language's distinctive patterns.
//
//   Detection d = detect(registry, source, "sol.py");
//   d.language->name;   // "python3"
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sandbox/languages/registry.hpp"

namespace crucible::sandbox::languages {

struct Detection {
  const Language* language = nullptr;
  std::string method;                                  // "extension", "shebang" or "patterns"
  std::vector<std::pair<std::string, double>> scores;  // per language, for "patterns"
};

// Throws InvalidRequest when nothing points to a language.
Detection detect(const Registry& registry, const std::string& source,
                 const std::string& filename = "");

}  // namespace crucible::sandbox::languages
