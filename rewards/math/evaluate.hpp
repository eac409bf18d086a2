// Values of expression trees: exact rationals where the value is rational, complex
// doubles otherwise (radicals, pi, functions, variables at a chosen point).
//
//   Exact v = exact_value(e, limits, budget);   // v.status == ExactStatus::Ok -> v.value
//   std::complex<double> z = numeric_value(e, {{"x", 1.7}}, budget);
#pragma once

#include <complex>
#include <map>
#include <string>

#include "rewards/math/budget.hpp"
#include "rewards/math/expr.hpp"

namespace crucible::rewards::math {

struct EvalLimits {
  unsigned max_bits = 8192;      // of any exact intermediate numerator or denominator
  unsigned max_factorial = 500;  // largest n! computed exactly
};

enum class ExactStatus {
  Ok,
  NotRational,  // irrational, symbolic or not a scalar
  TooLarge,     // would exceed max_bits (e.g. 10^{10^{10}})
  Undefined,    // division by zero and the like
  OutOfBudget,
};

struct Exact {
  ExactStatus status = ExactStatus::NotRational;
  Rational value;
};

Exact exact_value(const Expr& e, const EvalLimits& limits, Budget& budget);

using Point = std::map<std::string, double, std::less<>>;

// NaN when undefined at the point or out of budget (budget.exhausted() tells which).
std::complex<double> numeric_value(const Expr& e, const Point& point, Budget& budget);

}  // namespace crucible::rewards::math
