// The math answer verifier: extract the answer from a model's output, parse both it and
// the reference, and decide whether they are equal (see equivalence.hpp for what
// "equal" means). Exact, bounded (VerifyOptions: input sizes, nesting, exponent sizes,
// a step count and a deadline, all checked inside; never a signal) and thread-safe
// (no shared mutable state), so call it from as many threads as you like.
//
//   Verification v = verify("\\frac{1}{2}", "so the answer is $0.5$.", {});
//   v.correct == true; v.status == VerifyStatus::Correct; v.reason == "exact"
//
// A verification that could not be decided says so (status unparseable or timeout)
// instead of reporting a silent "wrong".
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "rewards/math/options.hpp"

namespace crucible::rewards::math {

enum class VerifyStatus {
  Correct,
  Wrong,
  NoAnswer,         // nothing answer-like in the output
  UnparseablePred,  // the predicted answer cannot be read (message says where)
  UnparseableGold,  // the reference cannot be read: a data problem, not the model's
  Timeout,          // the budget ran out before a decision
};

const char* status_name(VerifyStatus s);

struct Verification {
  VerifyStatus status = VerifyStatus::Wrong;
  bool correct = false;
  std::string gold_answer, pred_answer;  // the extracted strings
  std::string gold_parsed, pred_parsed;  // canonical forms (to_text), when parsed
  std::string extraction;                // how the prediction was found (extract.hpp)
  std::string reason;                    // equivalence.hpp's reason, or the status name
  std::string message;                   // a parse error or limit, naming the spot
};

Verification verify(std::string_view gold, std::string_view pred, const VerifyOptions& options);

void to_json(nlohmann::json& j, const Verification& v);

// Why a verification came out as it did, for a person: for the reference and the
// prediction, the extraction rule that fired, the piece of text it read, the answer it
// took and the parsed tree ({kind, value | name, kids}) or the parse error.
//   {"gold": {rule, source, answer, tree | error}, "pred": {...}}
nlohmann::json explain(std::string_view gold, std::string_view pred, const VerifyOptions& options);

}  // namespace crucible::rewards::math
