#include "rollout/train/run_files.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

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

}  // namespace crucible::rollout
