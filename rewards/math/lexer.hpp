// LaTeX and plain-text math to tokens. Typesetting that carries no value (\left,
// \displaystyle, spacing, currency signs, degree marks) is dropped here, and aliases
// (\dfrac, \leq, unicode ≤, ×, π, ...) become one canonical token, so the parser sees a
// small language.
//
//   std::vector<Token> t = lex("\\dfrac{1}{2}\\cdot 7{,}425", limits);
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "rewards/math/expr.hpp"

namespace crucible::rewards::math {

// Why an answer could not be read; the message names the spot.
class ParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bounds every parse: inputs beyond them are refused with a ParseError, never worked on.
struct ParseLimits {
  size_t max_chars = 8192;  // of one extracted answer
  size_t max_tokens = 4096;
  size_t max_depth = 64;     // nesting of brackets, braces and operators
  size_t max_digits = 2000;  // of one number literal
  // "12,5" alone reads as 12.5. The verifier turns this off to read "2,3" as a list when
  // the reference is a list.
  bool decimal_comma = true;
};

enum class TokKind {
  Number,    // value, decimal
  Ident,     // a one-letter variable or a named one: "x", "theta", "x_1"; or "pi", "e", "i", "inf"
  Word,      // a run of letters that is not math: "apples", "and", "monday"
  Text,      // the raw content of \text{...} / \mbox{...}
  Func,      // a named function: sqrt, frac, sin, log, ...; also begin/end environments
  Op,        // + - * / ^ _ ! = < > <= >= != , ; | % pm U in
  Open,      // ( [ {
  Close,     // ) ] }
  SetOpen,   // \{
  SetClose,  // \}
  Amp,       // & (matrix column)
  RowSep,    // \\ (matrix row)
  End,
};

struct Token {
  TokKind kind = TokKind::End;
  std::string text;  // canonical spelling
  Rational value;    // Number only
  bool decimal = false;
  bool space_before = false;
  size_t pos = 0;  // byte offset in the input, for messages
};

std::vector<Token> lex(std::string_view input, const ParseLimits& limits);

}  // namespace crucible::rewards::math
