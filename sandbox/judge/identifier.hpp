// Identifier characters in the languages whose records the judge reads (C++, Java, JavaScript,
// Python, Go): letters, digits, '_', and the '$' that JavaScript (and GCC's C++) allow.
#pragma once

#include <cctype>

namespace crucible::sandbox::judge {

inline bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

}  // namespace crucible::sandbox::judge
