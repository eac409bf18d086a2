// Inside the answer parser (parser.cpp, parser_primary.cpp): the recursive-descent
// Parser over the lexer's tokens, and the token helpers both halves use. The grammar's
// upper levels (lists, unions, relations, sums, products, powers) are in parser.cpp; its
// primaries (arguments, functions, matrices, brackets, atoms) in parser_primary.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rewards/math/lexer.hpp"
#include "rewards/math/parser.hpp"

namespace crucible::rewards::math::parsing {

bool is_op(const Token& t, std::string_view op);
bool is_separator_word(const Token& t);
bool is_wordish(const Token& t);
// The tokens' words, lowercased and single-spaced (an answer that is text).
std::string lower_words(const std::vector<Token>& tokens);
// Drops unit words after a value ("5 apples", "12 \text{cm}") and turns "and"/"or" into
// commas, so what is left is math or nothing but words.
std::vector<Token> without_units(std::vector<Token> t);

class Parser {
 public:
  Parser(std::vector<Token> tokens, const ParseLimits& limits)
      : t_(std::move(tokens)), limits_(limits) {}

  Expr answer();

 private:
  struct DepthGuard {
    Parser& p;
    explicit DepthGuard(Parser& parser) : p(parser) {
      if (++p.depth_ > p.limits_.max_depth * 2) p.fail("expression nested too deeply");
    }
    ~DepthGuard() { --p.depth_; }
  };

  const Token& peek(size_t ahead = 0) const { return t_[std::min(i_ + ahead, t_.size() - 1)]; }
  Token take() { return t_[i_ < t_.size() - 1 ? i_++ : i_]; }

  static std::string describe(const Token& t);

  [[noreturn]] void fail(const std::string& what) const;

  void expect_close(std::string_view close);

  bool at_separator() const { return is_op(peek(), ",") || is_op(peek(), ";"); }

  Expr list();

  Expr union_expr();

  static bool relop(const Token& t, RelOp& op);

  Expr relation();

  Expr sum();

  bool starts_implicit_factor() const;

  static bool is_integer_literal(const Expr& e);

  static bool is_proper_fraction_literal(const Expr& e);

  Expr product();

  Expr unary();

  Expr power();

  Expr postfix(Expr e);

  std::string subscript_text();

  // A LaTeX argument: {group}, or one token ("\frac12" takes the digits one at a time).
  Expr argument();

  Expr function(const std::string& name);

  static bool arg_list_is_tuple(const Expr& e) { return e.kind == ExprKind::Tuple; }

  Expr matrix(const std::string& env);

  Expr bracketed(const Token& open);

  Expr primary();

  std::vector<Token> t_;
  const ParseLimits& limits_;
  size_t i_ = 0, depth_ = 0;
};

}  // namespace crucible::rewards::math::parsing
