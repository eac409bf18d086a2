// A run directory: its config, decided in one place for fresh and resumed runs; the files
// that grow by lines (metrics.jsonl, samples.jsonl, ...) trimmed back to what a checkpoint
// covers; metrics.csv for spreadsheets.
//
//   TrainConfig c = open_run(dir, config, resume, {{"iterations", 8}});
//   keep_iterations_up_to(dir / "samples.jsonl", 7);   // a resumed run redoes iteration 8
//   write_metrics_csv(dir / "metrics.jsonl", dir / "metrics.csv");
#pragma once

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "rollout/train/train_config.hpp"

namespace crucible::rollout {

// A fresh run (`resume` false) writes `fresh` to DIR/config.json and refuses a directory
// that already holds a run. A resumed run needs DIR's checkpoint and returns DIR's own
// config with `overrides` (e.g. more iterations) applied, written back.
TrainConfig open_run(const std::filesystem::path& dir, const TrainConfig& fresh, bool resume,
                     const nlohmann::json& overrides = nlohmann::json::object());

// Keeps the lines whose "iteration" is at most `last` (and drops a torn last line).
void keep_iterations_up_to(const std::filesystem::path& path, size_t last);
// One row per metrics line, fixed columns (a metric a line lacks is an empty cell).
void write_metrics_csv(const std::filesystem::path& metrics_jsonl,
                       const std::filesystem::path& csv);

}  // namespace crucible::rollout
