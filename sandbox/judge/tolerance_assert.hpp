// Asserts that compare a float within a tolerance, as HumanEval's float tests do in Go and
// Java (`math.Abs(TruncateNumber(1.33)-0.33) < 1e-6`, `Math.abs(s.f(x) - 2.0/3.0) < 1e-6`).
// The value harnesses split them like an equality: the call's value is printed by the answer's
// program, the expected value by the task's, and the judge compares the two numbers within the
// tolerance, so the expected value never enters the answer's program.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>

namespace crucible::sandbox::judge {

struct AbsDifference {
  std::string first, second;  // ABS(first - second), each trimmed
  double tolerance = 0;       // < tolerance: finite and above 0
};

// `expression` read as `ABS(A - B) < EPS`, where `abs` are the tokens naming the absolute value
// ({"math", ".", "Abs"}) and EPS is a positive number literal; nullopt for any other shape,
// including a difference with further additive terms (`A - B - C`), `<=`, or anything after EPS.
std::optional<AbsDifference> abs_difference_below(const std::string& expression,
                                                  std::initializer_list<const char*> abs);

// Whether `text` is arithmetic on number literals only (`2.0/3.0`, `-0.5`, `(1 + 2) * 0.1`).
bool is_constant_arithmetic(const std::string& text);

// Whether the numbers `actual` and `expected` (canonical value texts, perhaps quoted) differ by
// less than `tolerance`; false when either is not a number.
bool within_tolerance(const std::string& actual, const std::string& expected, double tolerance);

}  // namespace crucible::sandbox::judge
