// What a math verification may do, and how it reads ambiguous answers. Every field has
// a default that suits graded datasets (GSM8K, MATH); `from_json` names a bad field.
#pragma once

#include <chrono>
#include <nlohmann/json_fwd.hpp>

#include "rewards/math/evaluate.hpp"
#include "rewards/math/lexer.hpp"

namespace crucible::rewards::math {

// How "50\%" is read: as 0.5, as 50, or as either (equal when one reading matches).
enum class PercentReading { Either, Fraction, Value };

struct VerifyOptions {
  // A value written with a decimal point matches when both round to this many
  // significant digits (0.333333 matches 1/3; 0.33 does not).
  int significant_digits = 6;
  // Relative tolerance for values that are not rational (radicals, pi, variables).
  double tolerance = 1e-9;
  int random_points = 5;  // for expressions in variables
  PercentReading percent = PercentReading::Either;
  bool join_boxes = false;  // all \boxed{} of the output, joined, instead of the last
  // A predicted inequality ("x > 3") against a gold interval ("(3, \infty)"): off by
  // default, because the prediction's variable cannot be checked against the question
  // (the gold interval may describe y while the model solved for x). The other way round,
  // a gold inequality names its variable and a predicted interval is always compared.
  bool inequality_for_interval = false;
  std::chrono::microseconds timeout{std::chrono::milliseconds(50)};
  uint64_t max_steps = 2'000'000;
  size_t max_output_bytes = 1 << 20;  // of free-form model output
  ParseLimits parse;
  EvalLimits eval;

  static VerifyOptions from_json(const nlohmann::json& j);
};

}  // namespace crucible::rewards::math
