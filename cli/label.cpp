// crucible label --tasks T.jsonl --policy native:CKPT|openai:URL --out D.jsonl [--n 8]
//                [--mode parallel|serial] [--segments S] [--config C.json] [--model NAME]
//                [--max-tokens N] [--temperature T] [--seed S] [--template NAME]
//                [--export-sft F] [--export-verl F] [--sandbox URL[,URL...]]
//
// Samples every task, rewards every sample (math: the verifier; code: the judge in the
// sandbox), and appends one JSONL record per sample, a whole task at a time; rerunning
// the same command resumes. Ends with a JSON summary on stdout.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/files.hpp"
#include "base/progress.hpp"
#include "cli/commands.hpp"
#include "cli/flags.hpp"
#include "cli/judge_spec.hpp"
#include "cli/policy_spec.hpp"
#include "policy/model/tokenizer.hpp"
#include "rollout/dataset.hpp"
#include "sandbox/judge/judge.hpp"
#include "tasks/jsonl.hpp"

namespace crucible::cli {
namespace {

using nlohmann::json;

constexpr FlagSpec kFlags[] = {
    {"tasks", "T.jsonl", "the tasks to label", true},
    {"policy", "native:CKPT|openai:URL", "the policy that samples", true},
    {"out", "D.jsonl", "the dataset (appended; a rerun resumes)", true},
    {"n", "N", "samples per task (default 8)"},
    {"mode", "parallel|serial", "independent samples, or S-GRPO serial groups"},
    {"segments", "S", "UloRL segmented generation (parallel mode)"},
    {"config", "C.json", "the label settings as JSON"},
    {"model", "NAME", "the served model's name (openai: policies)"},
    {"max-tokens", "N", "tokens per completion"},
    {"temperature", "T", "sampling temperature, 0 to 10"},
    {"seed", "S", "sampling seed"},
    {"template", "NAME", "prompt template (plain, boxed, ...)"},
    {"export-sft", "F", "also write the accepted samples as SFT pairs"},
    {"export-verl", "F", "also write the accepted samples as verl rows"},
    {"tools", "python3[,bash...]", "the policy may run code in these languages mid-answer"},
    {"tool-turns", "N", "tool calls per sample at most (default 4)"},
    {"sandbox", "URL[,URL...]", "judge code (and run tool calls) on `crucible serve` endpoints"}};
constexpr CommandSpec kCommand{
    "label",
    {},
    "Samples and rewards every task; one JSONL record per sample, appended a task at a time;\n"
    "rerunning resumes. --config takes the same settings as JSON (flags win).\n"
    "With --tools the policy may run code while it answers: it writes a fenced block, then\n"
    "```output on its own line; the sandbox's output is inserted (masked from training) and\n"
    "generation resumes. Records carry the calls; the summary counts them.",
    kFlags};

}  // namespace

int label_command(const Args& args) {
  auto parsed = parse_command(args, kCommand);
  if (!parsed) return 0;
  const Flags& f = *parsed;
  json config = json::object();
  if (auto c = f.get("config")) {
    config = json::parse(read_file(*c), nullptr, false);
    if (config.is_discarded() || !config.is_object())
      throw InvalidRequest("--config: not a JSON object");
  }
  if (auto v = f.whole("n", 1, 1024)) config["n"] = *v;
  if (auto v = f.whole("segments", 1, 64)) config["segments"] = *v;
  if (auto v = f.whole("max-tokens", 1, 1 << 20)) config["max_tokens"] = *v;
  if (auto v = f.whole("seed", 0, uint64_t{1} << 52)) config["seed"] = *v;
  if (auto v = f.real("temperature", 0, 10)) config["temperature"] = *v;
  if (auto v = f.get("mode")) config["mode"] = *v;
  if (auto v = f.get("template")) config["template"] = *v;
  if (auto v = f.get("tools")) config["tools"] = split_list(*v);
  if (auto v = f.whole("tool-turns", 1, 64)) config["tool_turns"] = *v;
  rollout::LabelOptions options = rollout::LabelOptions::from_json(config);
  options.policy_id = *f.get("policy");
  options.sampling.stop_tokens = {policy::Tokenizer().eos()};

  auto task_list = tasks::read_tasks(*f.get("tasks"));
  auto pol = make_policy(*f.get("policy"), f.get("model").value_or(""));
  JudgeSpec judged = make_judge(has_code(task_list) || !options.tools.empty(), f.get("sandbox"));
  const rewards::Scorer score({}, judged.judge.get());  // correctness, the judge for code
  Progress progress("label", task_list.size());
  size_t samples = 0, accepted = 0;
  auto summary = rollout::label_dataset(
      *pol, score, task_list, options, *f.get("out"),
      [&](const std::vector<rollout::SampleRecord>& group) {
        for (const auto& r : group) {
          ++samples;
          accepted += r.reward.passed();
        }
        progress.advance("accepted " + std::to_string(samples ? 100 * accepted / samples : 0) +
                         "%");
      },
      judged.tool_calls);
  progress.finish();
  json out = summary;
  if (auto e = f.get("export-sft")) out["exported_sft"] = rollout::export_sft(*f.get("out"), *e);
  if (auto e = f.get("export-verl"))
    out["exported_verl"] = rollout::export_verl(*f.get("out"), task_list, *e);
  std::cout << out.dump() << "\n";
  return 0;
}

}  // namespace crucible::cli
