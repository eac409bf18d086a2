// Serial groups (S-GRPO early exit): one full reasoning path "<think> T1..Tn </think>
// answer" is sampled; m exit positions are chosen among its thinking tokens (uniform
// random by default, or evenly spaced); at each exit the thinking prefix is kept (not
// re-generated), the answer-forcing text is appended and only the answer is decoded.
// Members are ordered from the earliest exit to the full path; a correct member gets
// 1/2^(k-1) with k counting correct members so far, a wrong one 0; advantage r - mean.
// Prefix and forced tokens are masked, so an exit's loss is on its answer tokens only.
//
//   SerialGroup g = run_serial_group(policy, task, prompt, options, scorer);
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "policy/policy.hpp"
#include "rewards/advantages.hpp"
#include "rewards/scorer.hpp"
#include "rollout/record.hpp"
#include "tasks/task.hpp"

namespace crucible::rollout {

// S-GRPO's text that ends the thinking at an exit, before the answer is decoded.
inline constexpr const char* kDefaultAnswerForcing =
    "Time is limited, stop thinking and start answering.\n</think>\n\n";

struct SerialOptions {
  size_t exits = 8;            // m
  bool evenly_spaced = false;  // else uniform random among the candidates (seeded)
  // Where an exit may cut: after any thinking token ("token") or only at the end of a line
  // of thinking ("line": after a finished step).
  std::string exit_at = "token";
  std::string answer_forcing = kDefaultAnswerForcing;
  // What of an exit the update trains on: "answer" (its answer only: the prefix it shares
  // with the full path and the forcing text are masked) or "path" (all of the earliest
  // correct exit, so it also raises the chance of ending the thinking there; every other
  // exit stays answer-only).
  std::string exit_loss = "answer";
  size_t answer_tokens = 64;        // budget of each exit's answer
  policy::SamplingParams sampling;  // for the full path (max_tokens is its budget)
  rewards::DecaySchedule decay;
};

struct SerialGroup {
  std::vector<SampleRecord> members;   // exits earliest first, then the full path
  std::vector<size_t> exit_positions;  // completion-token index where each exit cuts
  size_t full_path_tokens = 0;         // tokens sampled for the full path
  size_t exit_answer_tokens = 0;       // tokens sampled for all exits' answers together
};

SerialGroup run_serial_group(policy::Policy& policy, const tasks::Task& task,
                             const std::string& prompt, const SerialOptions& options,
                             const rewards::Scorer& score);

}  // namespace crucible::rollout
