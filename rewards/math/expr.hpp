// The expression tree every math answer is parsed into, and its canonical text.
//
//   Expr e = parse_answer("\\frac{1}{2}x + \\sqrt{3}", limits);
//   to_text(e)  -> "((1/2)*x)+sqrt(3)"
//
// One node type with a kind keeps the tree a plain value (copyable, no ownership
// puzzles); each kind uses only the fields its comment names.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <string>
#include <vector>

namespace crucible::rewards::math {

using Rational = boost::multiprecision::cpp_rational;
using Integer = boost::multiprecision::cpp_int;

enum class ExprKind {
  Number,     // value; decimal when written with a decimal point or exponent
  Symbol,     // name: a variable ("x", "theta")
  Constant,   // name: "pi", "e", "i", "inf"
  Add,        // kids: summands
  Neg,        // kids[0]
  Mul,        // kids: factors
  Div,        // kids[0] / kids[1]
  Pow,        // kids[0] ^ kids[1]
  Func,       // name(kids...): sqrt, root (kids: radicand, index), sin, log, abs, ...
  Factorial,  // kids[0]!
  Percent,    // kids[0] % (read as value/100 or value, per option)
  PlusMinus,  // kids[0] ± kids[1]: two values
  Relation,   // kids[0] op0 kids[1] op1 kids[2] ...; ops in `ops`
  List,       // a bare comma list: "1, 2, 3"
  Tuple,      // (a, b, ...) or [a, b, ...]; `open`/`close` keep the brackets
  Set,        // \{a, b, ...\}
  Interval,   // kids[0], kids[1]; left_closed, right_closed
  Union,      // kids: intervals or sets
  Matrix,     // kids row-major; rows x cols
  Text,       // name: normalised words
  Choice,     // name: a multiple-choice letter "A".."J"
};

enum class RelOp { Eq, Ne, Lt, Le, Gt, Ge };

struct Expr {
  ExprKind kind = ExprKind::Number;
  Rational value;
  std::string name;
  std::vector<Expr> kids;
  std::vector<RelOp> ops;  // Relation only: ops[i] sits between kids[i] and kids[i+1]
  bool decimal = false;    // Number only
  bool left_closed = false, right_closed = false;  // Interval only
  char open = 0, close = 0;                        // Tuple only
  int rows = 0, cols = 0;                          // Matrix only

  static Expr number(Rational v, bool decimal = false);
  static Expr symbol(std::string name);
  static Expr constant(std::string name);
  static Expr text(std::string words);
  static Expr node(ExprKind kind, std::vector<Expr> kids);
  static Expr func(std::string name, std::vector<Expr> kids);
};

// Canonical, fully parenthesised text: equal trees print equal, and it is what
// `crucible verify` reports as gold_parsed / pred_parsed.
std::string to_text(const Expr& e);

const char* relop_text(RelOp op);
// The operator seen from the other side: "<" becomes ">".
RelOp flipped(RelOp op);

// True when any number in the tree was written as a decimal (so equality is judged to
// the configured significant digits, not exactly).
bool has_decimal(const Expr& e);

// Free variable names, sorted and unique.
std::vector<std::string> free_symbols(const Expr& e);

// Number of nodes (the verifier bounds work by it).
size_t node_count(const Expr& e);

}  // namespace crucible::rewards::math
