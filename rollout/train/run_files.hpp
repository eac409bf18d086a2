// The files of a run directory that grow by lines (metrics.jsonl, samples.jsonl, ...):
// trimming them back to what a checkpoint covers, and metrics.csv for spreadsheets.
//
//   keep_iterations_up_to(dir / "samples.jsonl", 7);   // a resumed run redoes iteration 8
//   write_metrics_csv(dir / "metrics.jsonl", dir / "metrics.csv");
#pragma once

#include <cstddef>
#include <filesystem>

namespace crucible::rollout {

// Keeps the lines whose "iteration" is at most `last` (and drops a torn last line).
void keep_iterations_up_to(const std::filesystem::path& path, size_t last);
// One row per metrics line, fixed columns (a metric a line lacks is an empty cell).
void write_metrics_csv(const std::filesystem::path& metrics_jsonl,
                       const std::filesystem::path& csv);

}  // namespace crucible::rollout
