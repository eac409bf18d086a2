// The lexer's vocabulary: Unicode and LaTeX spellings rewritten to plain ones, the LaTeX
// commands it knows and what each does, words that name operators or constants, and
// two-letter runs that are units rather than products.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "rewards/math/lexer.hpp"

namespace crucible::rewards::math::lexing {

enum class Cmd {
  Ignore,
  Op,
  Ident,
  Func,
  TextArg,
  Text,
  SetOpen,
  SetClose,
  RowSep,
  Begin,
  End,
  Blackboard,
  Open,
  Close,
  Word
};

struct CmdInfo {
  Cmd cmd;
  const char* canon;
};

// The input with its Unicode and LaTeX spellings made plain.
std::string rewritten(std::string_view in);
const std::unordered_map<std::string_view, CmdInfo>& commands();
const std::unordered_map<std::string_view, std::pair<TokKind, const char*>>& named_words();
// Two-letter runs read as a word (a unit), not as a product of two variables.
bool two_letter_word(std::string_view w);

}  // namespace crucible::rewards::math::lexing
