#include "rollout/train/run_files.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/files.hpp"

namespace crucible::rollout {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::vector<std::string>& csv_columns() {
  static const std::vector<std::string> c = {"iteration",
                                             "heldout_accuracy",
                                             "reward_mean",
                                             "accept_rate",
                                             "pass_at_k",
                                             "completion_tokens",
                                             "thinking_tokens",
                                             "entropy",
                                             "policy_entropy",
                                             "loss",
                                             "clipped_fraction",
                                             "masked_mastered",
                                             "trained_sequences",
                                             "samples",
                                             "samples_per_second",
                                             "tasks_solved",
                                             "ever_solved",
                                             "mastered_tasks",
                                             "dropped_groups",
                                             "seconds",
                                             "elapsed",
                                             "critique_wrong",
                                             "critique_refined_correct",
                                             "critique_shortcuts",
                                             "critique_kept",
                                             "critique_calls",
                                             "guided_tasks",
                                             "guided_solved",
                                             "guided_calls",
                                             "unsolved_tasks",
                                             "unsolved_gaining",
                                             "tasks_with_solution"};
  return c;
}

}  // namespace

void keep_iterations_up_to(const fs::path& path, size_t last) {
  if (!fs::exists(path)) return;
  std::istringstream in(read_whole_lines(path));
  std::string kept;
  for (std::string line; std::getline(in, line);) {
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("iteration")) continue;
    if (j["iteration"].get<size_t>() <= last) kept += line + "\n";
  }
  write_file(path, kept);
}

void write_metrics_csv(const fs::path& metrics_jsonl, const fs::path& csv) {
  std::string out;
  for (const auto& c : csv_columns()) out += (out.empty() ? "" : ",") + c;
  out += "\n";
  std::ifstream in(metrics_jsonl);
  for (std::string line; std::getline(in, line);) {
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded()) continue;
    std::string row;
    for (size_t i = 0; i < csv_columns().size(); ++i) {
      if (i) row += ",";
      const json& v = j.contains(csv_columns()[i]) ? j[csv_columns()[i]] : json();
      if (v.is_number()) row += v.dump();
    }
    out += row + "\n";
  }
  write_file(csv, out);
}

TrainConfig open_run(const fs::path& dir, const TrainConfig& fresh, bool resume,
                     const json& overrides) {
  const fs::path file = dir / "config.json";
  if (!resume) {
    if (fs::exists(file))
      throw InvalidRequest(dir.string() +
                           " already holds a run; pass --resume to continue it, or another --out");
    fs::create_directories(dir);
    write_file(file, fresh.to_json().dump(2) + "\n");
    return fresh;
  }
  if (!fs::exists(file))
    throw InvalidRequest("--resume: " + dir.string() + " holds no run (no config.json)");
  if (!fs::exists(dir / "checkpoint"))
    throw InvalidRequest("--resume: " + dir.string() + " has no checkpoint to resume from");
  json saved = json::parse(read_file(file), nullptr, false);
  if (saved.is_discarded() || !saved.is_object())
    throw InvalidRequest("--resume: " + file.string() + " is not a JSON object");
  saved.merge_patch(overrides);
  TrainConfig config = TrainConfig::from_json(saved);
  write_file(file, config.to_json().dump(2) + "\n");
  return config;
}

}  // namespace crucible::rollout
