// Tokens to an expression tree. Reads LaTeX and plain text alike: fractions, roots,
// powers, implicit multiplication, functions, factorials, percent, ±, relations and
// chains, intervals and unions, sets, tuples, matrices, bare lists, and text answers.
// Trailing unit words ("5 apples", "12\text{ cm}") are dropped; "x \in S" reads as S.
//
//   Expr e = parse_answer("x = \\frac{-1 \\pm \\sqrt5}{2}", ParseLimits{});
//
// Throws ParseError naming what could not be read; never recurses past the limits.
#pragma once

#include <string_view>

#include "rewards/math/expr.hpp"
#include "rewards/math/lexer.hpp"

namespace crucible::rewards::math {

Expr parse_answer(std::string_view answer, const ParseLimits& limits);

}  // namespace crucible::rewards::math
