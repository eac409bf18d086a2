// crucible refine --tasks T.jsonl --policy native:CKPT|openai:URL [--model NAME]
//                 --critic arithmetic|execution|model:SPEC [--chains 2] [--rounds 2]
//                 [--max-tokens 256] [--temperature 1] [--seed 1] [--template plain]
//                 [--no-critique-in-prompt] [--no-restart] [--stop-on-verified]
//                 [--critic-without-reference] [--sandbox URL[,URL...]] [--out R.jsonl]
//
// Test-time critique in the loop against plain repeated sampling at the same number of
// policy calls per task (chains x rounds): prints both summaries (voted accuracy, coverage,
// calls per task), overall and per difficulty; --out keeps every attempt and critique.
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "cli/commands.hpp"
#include "cli/flags.hpp"
#include "cli/judge_spec.hpp"
#include "cli/policy_spec.hpp"
#include "critique/refine.hpp"
#include "policy/native_policy.hpp"
#include "sandbox/judge/judge.hpp"
#include "tasks/jsonl.hpp"

namespace crucible::cli {
namespace {

using nlohmann::json;

constexpr const char* kHelp =
    "usage: crucible refine --tasks T.jsonl --policy native:CKPT|openai:URL [--model NAME]\n"
    "                       --critic arithmetic|execution|model:SPEC [--chains 2] [--rounds 2]\n"
    "                       [--max-tokens 256] [--temperature 1] [--seed 1] [--template plain]\n"
    "                       [--no-critique-in-prompt] [--no-restart] [--stop-on-verified]\n"
    "                       [--critic-without-reference] [--sandbox URL[,URL...]] [--out R.jsonl]\n"
    "Sample, critique, refine; compared with plain sampling at the same policy calls.\n";

json by_difficulty(const std::vector<tasks::Task>& task_list,
                   const std::vector<critique::RefineResult>& results) {
  std::map<std::string, std::vector<critique::RefineResult>> groups;
  for (size_t i = 0; i < task_list.size(); ++i) {
    const auto& t = task_list[i];
    std::string key = t.difficulty ? "difficulty " + std::to_string(static_cast<int>(*t.difficulty))
                      : t.difficulty_bucket.empty() ? "all"
                                                    : t.difficulty_bucket;
    groups[key].push_back(results[i]);
  }
  json out = json::object();
  for (const auto& [key, rs] : groups) out[key] = critique::summarize(rs);
  return out;
}

}  // namespace

int refine_command(const Args& args) {
  Flags f(args,
          {"tasks", "policy", "model", "critic", "chains", "rounds", "max-tokens", "temperature",
           "seed", "template", "out", "sandbox"},
          {"help", "no-critique-in-prompt", "no-restart", "stop-on-verified",
           "critic-without-reference"});
  if (f.has("help")) {
    std::cout << kHelp;
    return 0;
  }
  for (const char* required : {"tasks", "policy", "critic"})
    if (!f.has(required))
      throw InvalidRequest(std::string("--") + required + " is required\n" + kHelp);
  critique::RefineOptions o;
  auto count = [&](const char* flag, size_t fallback, size_t max) {
    auto v = f.number(flag);
    if (!v) return fallback;
    if (*v < 1 || *v > static_cast<double>(max))
      throw InvalidRequest(std::string("--") + flag + ": must be between 1 and " +
                           std::to_string(max));
    return static_cast<size_t>(*v);
  };
  o.chains = count("chains", 2, 64);
  o.rounds = count("rounds", 2, 16);
  o.sampling.max_tokens = count("max-tokens", 256, 1 << 16);
  o.sampling.temperature = f.number("temperature").value_or(1.0);
  if (o.sampling.temperature < 0) throw InvalidRequest("--temperature: must be >= 0");
  o.sampling.seed = static_cast<uint64_t>(f.number("seed").value_or(1));
  o.prompt_template = f.get("template").value_or("plain");
  o.critique_in_prompt = !f.has("no-critique-in-prompt");
  o.restart_at_first_wrong = !f.has("no-restart");
  o.stop_when_verified = f.has("stop-on-verified");

  auto task_list = tasks::read_tasks(*f.get("tasks"));
  auto actor = make_policy(*f.get("policy"), f.get("model").value_or(""));
  if (auto* native = dynamic_cast<policy::NativePolicy*>(actor.get())) {
    o.sampling.stop_tokens = {native->tokenizer().eos()};
    size_t context = native->model().config().max_seq;
    o.fits = [native, context](const std::string& prompt) {
      return native->tokenizer().encode(prompt).size() + 9 <= context;
    };
  }
  JudgeSpec judged = make_judge(has_code(task_list), f.get("sandbox"));
  sandbox::judge::Judge* judge = judged.judge.get();
  std::string critic_name = *f.get("critic");
  critique::CriticResources resources{judge, nullptr, !f.has("critic-without-reference")};
  std::unique_ptr<policy::Policy> critic_model;
  if (critic_name.rfind("model:", 0) == 0) {
    critic_model = make_policy(critic_name.substr(6), f.get("model").value_or(""));
    resources.model = critic_model.get();
    critic_name = "model";
  }
  auto critic = critique::make_critic(critic_name, resources);

  const rewards::Scorer score({}, judge);  // correctness, the judge for code
  auto refined = critique::refine(*actor, *critic, task_list, o, score);
  auto baseline = critique::sample_repeatedly(*actor, task_list, o, score);
  if (auto out_path = f.get("out")) {
    std::ofstream out(*out_path, std::ios::trunc);
    if (!out) throw InvalidRequest("--out: cannot write " + *out_path);
    for (size_t i = 0; i < refined.size(); ++i)
      out << json{{"refine", refined[i]}, {"baseline", baseline[i]}}.dump(
                 -1, ' ', false, json::error_handler_t::replace)
          << "\n";
  }
  json summary = {{"critic", critic->name()},
                  {"chains", o.chains},
                  {"rounds", o.rounds},
                  {"refine", critique::summarize(refined)},
                  {"baseline", critique::summarize(baseline)},
                  {"refine_by_difficulty", by_difficulty(task_list, refined)},
                  {"baseline_by_difficulty", by_difficulty(task_list, baseline)}};
  std::cout << summary.dump() << "\n";
  return 0;
}

}  // namespace crucible::cli
