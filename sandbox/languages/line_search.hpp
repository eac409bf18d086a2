// Regular expressions over untrusted source, bounded. libstdc++'s std::regex recurses once
// per character a repetition consumes, so one long line ("class " and 40,000 letters)
// overflows the stack. The patterns of languages.json describe single lines, so they run
// line by line, on at most kMaxLineBytes of each line.
//
//   std::smatch m;
//   if (search_lines(source, pattern, &m)) use(m[1].str());
#pragma once

#include <cstddef>
#include <regex>
#include <string>

namespace crucible::sandbox::languages {

inline constexpr size_t kMaxLineBytes = 1024;

// True when `re` matches within one line of `text` (each line cut at kMaxLineBytes);
// `match`, when given, holds the first match. Its sub-matches refer to `line_storage`.
bool search_lines(const std::string& text, const std::regex& re, std::smatch* match = nullptr,
                  std::string* line_storage = nullptr);

}  // namespace crucible::sandbox::languages
