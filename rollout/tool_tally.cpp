#include "rollout/tool_tally.hpp"

namespace crucible::rollout {

namespace {

double ratio(size_t a, size_t b) {
  return b ? static_cast<double>(a) / static_cast<double>(b) : 0.0;
}

}  // namespace

void ToolTally::add(const SampleRecord& r) {
  ++samples;
  calls += r.tool_calls.size();
  samples_with_calls += !r.tool_calls.empty();
  for (const auto& call : r.tool_calls) {
    std::string verdict = call.value("verdict", "");
    errors += verdict != "Accepted";
    timeouts += verdict == "TimeLimit";
  }
}

double ToolTally::call_rate() const {
  return ratio(samples_with_calls, samples);
}

double ToolTally::calls_per_sample() const {
  return ratio(calls, samples);
}

void to_json(nlohmann::json& j, const ToolTally& t) {
  j = {{"calls", t.calls},
       {"calls_per_sample", t.calls_per_sample()},
       {"samples_with_calls", t.samples_with_calls},
       {"errors", t.errors},
       {"timeouts", t.timeouts}};
}

}  // namespace crucible::rollout
