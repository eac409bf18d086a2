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

constexpr FlagSpec kFlags[] = {
    {"tasks", "T.jsonl", "the tasks", true},
    {"policy", "native:CKPT|openai:URL", "the actor", true},
    {"critic", "arithmetic|execution|model:SPEC", "the critic", true},
    {"model", "NAME", "the served model's name (openai: policies)"},
    {"chains", "N", "independent chains per task (default 2)"},
    {"rounds", "N", "attempts per chain (default 2)"},
    {"max-tokens", "N", "tokens per attempt (default 256)"},
    {"temperature", "T", "sampling temperature, 0 to 10 (default 1)"},
    {"seed", "S", "sampling seed (default 1)"},
    {"template", "NAME", "prompt template (default plain)"},
    {"no-critique-in-prompt", "", "the actor does not read the critique"},
    {"no-restart", "", "refinements start over instead of after the last right step"},
    {"stop-on-verified", "", "stop a chain on the verifier (an oracle), not the critic"},
    {"critic-without-reference", "", "the arithmetic critic does not see the answer"},
    {"sandbox", "URL[,URL...]", "judge code on `crucible serve` endpoints"},
    {"out", "R.jsonl", "every chain, refined and baseline"}};
constexpr CommandSpec kCommand{
    "refine",
    {},
    "Sample, critique, refine; compared with plain sampling at the same policy calls.",
    kFlags};

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
  auto parsed = parse_command(args, kCommand);
  if (!parsed) return 0;
  const Flags& f = *parsed;
  critique::RefineOptions o;
  o.chains = f.whole("chains", 1, 64).value_or(2);
  o.rounds = f.whole("rounds", 1, 16).value_or(2);
  o.sampling.max_tokens = f.whole("max-tokens", 1, 1 << 16).value_or(256);
  o.sampling.temperature = f.real("temperature", 0, 10).value_or(1.0);
  o.sampling.seed = f.whole("seed", 0, uint64_t{1} << 52).value_or(1);
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
