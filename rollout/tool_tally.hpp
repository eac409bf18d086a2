// Counts of a rollout's tool use, from its sample records: what `crucible label`'s summary
// and the training loop's metrics report.
//
//   ToolTally t;
//   for (const auto& r : records) t.add(r);
//   json j = t;  // {"calls", "calls_per_sample", "samples_with_calls", "errors", "timeouts"}
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>

#include "rollout/record.hpp"

namespace crucible::rollout {

struct ToolTally {
  size_t samples = 0, calls = 0, samples_with_calls = 0;
  size_t errors = 0;    // calls that did not run cleanly: an error, a limit, a refused language
  size_t timeouts = 0;  // of those, calls that ran out of time

  void add(const SampleRecord& record);
  double call_rate() const;         // samples with a call / samples
  double calls_per_sample() const;  // calls / samples
};

void to_json(nlohmann::json& j, const ToolTally& t);

}  // namespace crucible::rollout
