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

constexpr const char* kHelp =
    "usage: crucible label --tasks T.jsonl --policy native:CKPT|openai:URL --out D.jsonl [--n 8]\n"
    "                      [--mode parallel|serial] [--segments S] [--config C.json] [--model "
    "NAME]\n"
    "                      [--max-tokens N] [--temperature T] [--seed S] [--template NAME]\n"
    "                      [--export-sft F] [--export-verl F] [--sandbox URL[,URL...]]\n"
    "Samples and rewards every task; one JSONL record per sample, appended a task at a time;\n"
    "rerunning resumes. --config takes the same settings as JSON (flags win).\n";

}  // namespace

int label_command(const Args& args) {
  Flags f(args,
          {"tasks", "policy", "out", "n", "mode", "segments", "config", "model", "max-tokens",
           "temperature", "seed", "template", "export-sft", "export-verl", "sandbox"},
          {"help"});
  if (f.has("help")) {
    std::cout << kHelp;
    return 0;
  }
  for (const char* required : {"tasks", "policy", "out"})
    if (!f.has(required))
      throw InvalidRequest(std::string("--") + required + " is required\n" + kHelp);
  json config = json::object();
  if (auto c = f.get("config")) {
    config = json::parse(read_file(*c), nullptr, false);
    if (config.is_discarded() || !config.is_object())
      throw InvalidRequest("--config: not a JSON object");
  }
  auto set_count = [&](const char* flag, const char* key) {
    if (auto v = f.number(flag)) config[key] = static_cast<int64_t>(*v);
  };
  set_count("n", "n");
  set_count("segments", "segments");
  set_count("max-tokens", "max_tokens");
  set_count("seed", "seed");
  if (auto v = f.get("temperature")) config["temperature"] = std::stod(*v);
  if (auto v = f.get("mode")) config["mode"] = *v;
  if (auto v = f.get("template")) config["template"] = *v;
  rollout::LabelOptions options = rollout::LabelOptions::from_json(config);
  options.policy_id = *f.get("policy");
  options.sampling.stop_tokens = {policy::Tokenizer().eos()};

  auto task_list = tasks::read_tasks(*f.get("tasks"));
  auto pol = make_policy(*f.get("policy"), f.get("model").value_or(""));
  JudgeSpec judged = make_judge(has_code(task_list), f.get("sandbox"));
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
      });
  progress.finish();
  json out = summary;
  if (auto e = f.get("export-sft")) out["exported_sft"] = rollout::export_sft(*f.get("out"), *e);
  if (auto e = f.get("export-verl"))
    out["exported_verl"] = rollout::export_verl(*f.get("out"), task_list, *e);
  std::cout << out.dump() << "\n";
  return 0;
}

}  // namespace crucible::cli
