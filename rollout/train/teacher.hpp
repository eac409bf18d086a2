// An imperfect teacher for the warm start: demonstrations with a systematic slip that a
// verifier catches and imitation does not. A real warm start learns from a weaker model's
// or a person's solutions; self-training on verified rewards is meant to outgrow them.
//
//   slip_signs("print(58 + 98 - 40)", 0.6, rng);    // "- 40" -> "+ 40" at 60%
//   quote_prints("print(58 + 98 - 40)", 0.75, rng);  // print("58 + 98 - 40") at 75%
//   with_recheck("units: 3 + 5 = 8, ...\nSo 23 + 45 = 68.");  // ..., "\nCheck:\n", again
#pragma once

#include <string>

#include "base/rng.hpp"

namespace crucible::rollout {

// Each binary minus (" - ") becomes " + " with probability `rate`: the teacher drops signs.
std::string slip_signs(const std::string& demonstration, double rate, Rng& rng);

// With probability `rate`, every Python `print(expression)` line of the demonstration prints
// the expression's text instead (`print("58 + 98")`): a beginner's slip that only running
// the program shows. Lines printing a string already, or anything else, stay as they are.
std::string quote_prints(const std::string& demonstration, double rate, Rng& rng);

// A rationale followed by "\nCheck:\n" and the same rationale again: a verification that
// repeats the computation after the answer is known, thinking that is never needed.
std::string with_recheck(const std::string& rationale);

}  // namespace crucible::rollout
