#include "rollout/train/exports.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "base/files.hpp"
#include "rollout/verl_row.hpp"

namespace crucible::rollout {

namespace {

using json = nlohmann::json;

std::string line(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace

ExportCounts write_iteration_exports(
    const std::filesystem::path& run_dir, size_t iteration,
    const std::vector<std::vector<SampleRecord>>& groups,
    const std::vector<critique::TrainingExample>& repaired,
    const std::function<const tasks::Task&(const std::string&)>& task_of) {
  ExportCounts counts;
  std::string verl, sft;
  for (const auto& g : groups)
    for (const auto& rec : g) {
      if (!rec.reward.valid) continue;  // excluded from its group: nothing to learn from
      const tasks::Task& t = task_of(rec.task_id);
      std::string version = rec.versions.empty() ? "" : rec.versions.front().second;
      json row = verl_row(t, rec.prompt, rec.text, rec.reward.value);
      json& extra = row["extra_info"];
      extra["advantage"] = rec.advantage ? json(*rec.advantage) : json(nullptr);
      extra["group_id"] = rec.group_id;
      extra["policy_version"] = version;
      extra["iteration"] = iteration;
      verl += line(row);
      ++counts.verl_rows;
      if (rec.reward.passed()) {
        sft += line({{"prompt", rec.prompt}, {"completion", rec.text}, {"origin", "sampled"}});
        ++counts.sft_pairs;
      }
    }
  for (const auto& e : repaired) {
    sft += line({{"prompt", e.prompt},
                 {"completion", e.completion},
                 {"origin", e.origin},
                 {"masked_prefix_bytes", e.masked_prefix_bytes}});
    ++counts.sft_pairs;
  }
  auto dir = run_dir / "exports";
  std::filesystem::create_directories(dir);
  char name[32];
  std::snprintf(name, sizeof name, "iteration-%04zu", iteration);
  // Whole files, renamed into place: a reader never sees half an iteration, and a resumed
  // run rewrites an interrupted iteration's files.
  replace_file(dir / (std::string(name) + ".verl.jsonl"), verl);
  replace_file(dir / (std::string(name) + ".sft.jsonl"), sft);
  return counts;
}

}  // namespace crucible::rollout
