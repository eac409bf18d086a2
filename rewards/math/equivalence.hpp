// Whether two parsed answers mean the same thing.
//
// Rational values compare exactly (arbitrary precision). A value written as a decimal
// matches to VerifyOptions::significant_digits. Values that are not rational (pi,
// radicals, functions) compare numerically with a relative tolerance; expressions in
// variables must have the same variables and agree at several seeded random points.
// Sets and bare lists compare unordered, tuples ordered, intervals by ends and
// brackets, matrices by shape and entries, equations up to a non-zero factor, and
// inequalities after turning both to the same direction. "x = 3" matches "3".
//
//   Budget budget(options.timeout, options.max_steps);
//   Comparison c = compare(gold, pred, options, budget);   // c.equal, c.reason
#pragma once

#include <string>

#include "rewards/math/budget.hpp"
#include "rewards/math/expr.hpp"
#include "rewards/math/options.hpp"

namespace crucible::rewards::math {

struct Comparison {
  bool equal = false;
  // How it was decided: exact, rounded, numeric, structural, text, choice (when equal);
  // not_equal, shape_mismatch, variables_differ, too_large, undefined (when not).
  std::string reason;
};

Comparison compare(const Expr& gold, const Expr& pred, const VerifyOptions& options,
                   Budget& budget);

}  // namespace crucible::rewards::math
