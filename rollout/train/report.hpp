// `crucible report`: one self-contained HTML page (inline SVG, no network) with plots of
// held-out accuracy, reward, completion length, thinking length and entropy against
// iterations, every run given drawn on the same axes, and a table of first and last values.
//
//   std::string html = training_report({"runs/a", "runs/b"});   // reads metrics.jsonl
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace crucible::rollout {

// Throws InvalidRequest naming a directory without a readable metrics.jsonl.
std::string training_report(const std::vector<std::filesystem::path>& run_dirs);

}  // namespace crucible::rollout
