// Inside the equivalence check (equivalence.cpp, equivalence_numeric.cpp): the Comparer
// that walks gold and predicted answers together, and the expression helpers it uses.
// Structure and collections are compared in equivalence.cpp; relations and values (at
// sampled points for expressions in variables) in equivalence_numeric.cpp.
#pragma once

#include <complex>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rewards/math/equivalence.hpp"
#include "rewards/math/evaluate.hpp"

namespace crucible::rewards::math::comparing {

using C = std::complex<double>;

bool is_assignment(const Expr& e);

const Expr& assigned_name(const Expr& e);

const Expr& assigned_value(const Expr& e);

// A name for a value rather than a value: "AB", "(p, q)", "f(x)", "|AB|", "\\frac{NO}{BO}",
// "V_1 : V_2" (symbols under products, quotients, tuples and absolute value; no numbers).
bool is_label(const Expr& e);

// The value of "label = value" ("(p, q) = (3, 2)", "f(x) = 1", "AB = 4"): the right side
// when it uses fewer of the label's symbols than the label has ("y = 2x + 1" stays an
// equation).
const Expr* labelled_value(const Expr& e);

// "p=5, q=2; p=7, q=2" -> ((5, 2), (7, 2)): a list of labelled values in which a label
// comes back is a list of groups, one tuple per group.
Expr grouped_assignments(const Expr& e);

int infinity_sign(const Expr& e);

bool contains(const Expr& e, ExprKind kind);

// Replaces the first a ± b with a + b and a - b, recursively: every value it stands for.
void expand_plus_minus(const Expr& e, std::vector<Expr>& out, size_t cap);

Expr without_percent(const Expr& e);

std::string rounded(double v, int digits);

bool is_collection(const Expr& e);

bool interval_like(const Expr& e);

Expr infinity(int sign);

Expr interval(Expr lo, bool lo_closed, Expr hi, bool hi_closed);

// "x > 3" -> (3, inf); "1 <= x < 2" -> [1, 2); "x != 0" -> (-inf, 0) U (0, inf).
std::optional<Expr> inequality_as_set(const Expr& rel);

class Comparer {
 public:
  Comparer(const VerifyOptions& options, Budget& budget) : o_(options), budget_(budget) {}

  Comparison run(const Expr& gold, const Expr& pred);

 private:
  bool is_positive_reason() const;

  bool decide(bool equal, const char* reason);

  bool eq(const Expr& g, const Expr& p);

  // "label = ... = value" with at least three sides and a constant last side.
  static bool is_assignment_chain(const Expr& e);
  static const Expr* assignment_chain_value(const Expr& e);

  static bool is_equality_chain(const Expr& e);

  // "x = 3" and "3 \cdot 5 = 15" against a value: every side that is not a bare variable
  // must equal it (so a false equation never matches), and there must be such a side.
  bool chain_matches(const Expr& chain, const Expr& value, bool chain_is_gold);

  static Expr expanded(const Expr& e);

  // Every element of a has an equal in b and every element of b one in a.
  bool unordered(const std::vector<Expr>& a, const std::vector<Expr>& b);

  bool ordered(const std::vector<Expr>& a, const std::vector<Expr>& b);

  bool collection(const Expr& g, const Expr& p);

  bool relation(const Expr& g, const Expr& p);

  // Inequalities read left to right as "<" or "<=".
  static Expr canonical(const Expr& rel);

  std::vector<Point> points(const std::vector<std::string>& symbols) const;

  bool close(C a, C b, bool approx) const;

  // a = c * b for one constant c != 0 (c > 0 when `positive`), at every sampled point.
  bool proportional(const Expr& a, const Expr& b, bool positive);

  bool scalar(const Expr& g, const Expr& p);

  bool scalar_once(const Expr& g, const Expr& p);

  const VerifyOptions& o_;
  Budget& budget_;
  std::string reason_;
};

}  // namespace crucible::rewards::math::comparing
