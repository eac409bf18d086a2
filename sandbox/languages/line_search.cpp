#include "sandbox/languages/line_search.hpp"

namespace crucible::sandbox::languages {

bool search_lines(const std::string& text, const std::regex& re, std::smatch* match,
                  std::string* line_storage) {
  std::string local;
  std::string& line = line_storage ? *line_storage : local;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    line.assign(text, start, std::min(end - start, kMaxLineBytes));
    std::smatch m;
    if (std::regex_search(line, m, re)) {
      if (match) *match = std::move(m);
      return true;
    }
    start = end + 1;
  }
  return false;
}

}  // namespace crucible::sandbox::languages
