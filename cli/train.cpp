// crucible train [--preset demo|expression|tiny] [--config C.json] [--out RUN_DIR] [--resume]
//                [--iterations N] [--seed S]
//
// Self-training: warm start, then iterations of roll out, reward, update, evaluate; a
// live line per iteration, metrics.jsonl/.csv, samples.jsonl, a checkpoint per iteration
// and report.html in RUN_DIR. --config applies over the preset (or the defaults).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/files.hpp"
#include "cli/commands.hpp"
#include "cli/flags.hpp"
#include "cli/train_progress.hpp"
#include "policy/model/kernels.hpp"
#include "rollout/train/report.hpp"
#include "rollout/train/run_files.hpp"
#include "rollout/train/self_train.hpp"
#include "sandbox/sandbox.hpp"
#include "sandbox/service/access.hpp"

namespace crucible::cli {
namespace {

using nlohmann::json;

constexpr FlagSpec kTrainFlags[] = {
    {"preset", "demo|expression|tiny",
     "a named recipe (demo: the main job, products through a tool)"},
    {"config", "C.json", "a config applied over the preset (or the defaults)"},
    {"out", "RUN_DIR", "the run directory (default runs/<preset>)"},
    {"resume", "", "continue the run in RUN_DIR"},
    {"iterations", "N", "iterations in total"},
    {"seed", "S", "the run's seed"}};
constexpr CommandSpec kTrainCommand{
    "train",
    {},
    "Self-trains the native policy on verified rewards (or, with \"remote\" in the config, "
    "rolls\n"
    "out a served policy and exports each iteration for its trainer); writes metrics, samples,\n"
    "checkpoints, exports/ and report.html into RUN_DIR.",
    kTrainFlags};

constexpr std::string_view kReportUsage[] = {"report RUN_DIR [RUN_DIR ...] [--out report.html]"};
constexpr FlagSpec kReportFlags[] = {
    {"out", "FILE", "where to write it (default RUN_DIR/report.html)"}};
constexpr CommandSpec kReportCommand{"report", kReportUsage,
                                     "An HTML report (SVG plots) of one or more training runs.",
                                     kReportFlags};

bool needs_sandbox(const rollout::TrainConfig& c) {
  if (!c.remote.sandbox_endpoints.empty()) return false;  // the service's jails run them
  if (c.use_tools()) return true;                         // the policy's tool calls
  auto code = [](const std::vector<rollout::TaskSource>& ss) {
    for (const auto& s : ss)
      if (s.family == "code" || s.family == "expression" || !s.file.empty()) return true;
    return false;
  };
  return code(c.tasks) || code(c.eval_tasks);
}

}  // namespace

int train_command(const Args& args) {
  auto parsed = parse_command(args, kTrainCommand);
  if (!parsed) return 0;
  const Flags& f = *parsed;
  json overrides = json::object();
  if (auto c = f.get("config")) {
    overrides = json::parse(read_file(*c), nullptr, false);
    if (overrides.is_discarded() || !overrides.is_object())
      throw InvalidRequest("--config " + *c + ": not a JSON object");
  }
  if (auto n = f.whole("iterations", 1, 1000000)) overrides["iterations"] = *n;
  if (auto s = f.whole("seed", 0, std::numeric_limits<uint32_t>::max())) overrides["seed"] = *s;
  std::string preset = f.get("preset").value_or("");
  std::string out = f.get("out").value_or("runs/" + (preset.empty() ? "train" : preset));
  // A resumed run reads its own config (open_run), with the flags and --config over it.
  const bool resume = f.has("resume");
  rollout::TrainConfig config =
      resume ? rollout::open_run(out, {}, true, overrides)
             : (preset.empty() ? rollout::TrainConfig::from_json(overrides)
                               : rollout::TrainConfig::preset(preset, overrides));
  policy::set_policy_threads(2);
  std::unique_ptr<sandbox::Sandbox> sandbox;
  if (needs_sandbox(config)) sandbox = std::make_unique<sandbox::Sandbox>();
  std::fprintf(stderr, "train: preparing tasks%s\n",
               sandbox ? " (expected outputs of code tasks come from the sandbox)" : "");
  auto access = sandbox::service::sandbox_access(config.remote.sandbox_endpoints, sandbox.get());
  rollout::SelfTrainer trainer(config, out, resume,
                               {access.judge.get(), access.reference_outputs, access.tool_calls});
  std::fprintf(stderr, "train: %zu training tasks, %zu held out, rule %s, %zu iterations -> %s\n",
               trainer.train_tasks(), trainer.eval_tasks(),
               policy::update_rule_name(trainer.config().update.rule).c_str(),
               trainer.config().iterations, out.c_str());
  TrainProgress progress(trainer.config().warmup_steps, trainer.config().iterations);
  trainer.on_warmup([&](size_t step, double loss) { progress.warmup_step(step, loss); });
  rollout::TrainSummary s = trainer.run([&](const json& m) { progress.iteration_done(m); });
  write_file(std::filesystem::path(out) / "report.html",
             rollout::training_report({std::filesystem::path(out)}));
  json summary = {{"iterations", s.iterations},
                  {"heldout_accuracy_before", s.accuracy_before},
                  {"heldout_accuracy_after", s.accuracy_after},
                  {"heldout_tasks", s.eval_tasks},
                  {"heldout_by_source_after", s.by_source_after},
                  {"seconds", s.seconds},
                  {"report", out + "/report.html"}};
  std::fprintf(stderr, "held-out accuracy: %.1f%% before self-training, %.1f%% after (%zu tasks)\n",
               100 * s.accuracy_before, 100 * s.accuracy_after, s.eval_tasks);
  std::cout << summary.dump() << "\n";
  return 0;
}

int report_command(const Args& args) {
  auto parsed = parse_command(args, kReportCommand);
  if (!parsed) return 0;
  const Flags& f = *parsed;
  if (f.positionals().empty()) throw InvalidRequest("expected a RUN_DIR\n" + kReportCommand.help());
  std::vector<std::filesystem::path> dirs(f.positionals().begin(), f.positionals().end());
  std::string out = f.get("out").value_or((dirs.front() / "report.html").string());
  write_file(out, rollout::training_report(dirs));
  std::cout << out << "\n";
  return 0;
}

}  // namespace crucible::cli
