// crucible critique --tasks T.jsonl --samples S.jsonl
//                   --critic arithmetic|execution|model:native:CKPT|model:openai:URL
//                   --out C.jsonl [--model NAME] [--only-failed] [--sandbox URL[,URL...]]
//
// Critiques every sample (records with "task_id" and "text", as `crucible label` writes
// them, or "completion" in place of "text"): each record is written back with "critique"
// (per-step verdicts, first wrong step, final verdict) and "critique_text" (what a policy
// reads) added. A model critic's unreadable output is kept as such ("malformed").
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "cli/commands.hpp"
#include "cli/flags.hpp"
#include "cli/judge_spec.hpp"
#include "cli/policy_spec.hpp"
#include "critique/critic.hpp"
#include "sandbox/judge/judge.hpp"
#include "tasks/jsonl.hpp"

namespace crucible::cli {
namespace {

using nlohmann::json;

constexpr FlagSpec kFlags[] = {
    {"tasks", "T.jsonl", "the tasks the samples answer", true},
    {"samples", "S.jsonl", "sample records (`crucible label`'s output)", true},
    {"critic", "arithmetic|execution|model:native:CKPT|model:openai:URL", "the critic", true},
    {"out", "C.jsonl", "the critiqued records", true},
    {"model", "NAME", "the served critic model's name"},
    {"only-failed", "", "critique only samples whose reward is below 1"},
    {"sandbox", "URL[,URL...]", "run programs on `crucible serve` endpoints"}};
constexpr CommandSpec kCommand{
    "critique",
    {},
    "Writes each sample record back with \"critique\" and \"critique_text\" added.\n"
    "--only-failed critiques only records whose reward is below 1 (others are copied).",
    kFlags};

std::string completion_of(const json& record, size_t line) {
  for (const char* key : {"text", "completion"})
    if (record.contains(key) && record[key].is_string()) return record[key];
  throw InvalidRequest("--samples line " + std::to_string(line) +
                       ": no \"text\" or \"completion\" string");
}

}  // namespace

int critique_command(const Args& args) {
  auto parsed = parse_command(args, kCommand);
  if (!parsed) return 0;
  const Flags& f = *parsed;
  std::map<std::string, tasks::Task> by_id;
  for (auto& t : tasks::read_tasks(*f.get("tasks"))) by_id.emplace(t.id, std::move(t));

  std::string critic_name = *f.get("critic");
  critique::CriticResources resources;
  std::unique_ptr<policy::Policy> model;
  JudgeSpec judged = make_judge(critic_name == "execution", f.get("sandbox"));
  resources.judge = judged.judge.get();
  if (critic_name.rfind("model:", 0) == 0) {
    model = make_policy(critic_name.substr(6), f.get("model").value_or(""));
    resources.model = model.get();
    critic_name = "model";
  }
  auto critic = critique::make_critic(critic_name, resources);

  std::ifstream in(*f.get("samples"));
  if (!in) throw InvalidRequest("--samples: cannot read " + *f.get("samples"));
  std::ofstream out(*f.get("out"), std::ios::trunc);
  if (!out) throw InvalidRequest("--out: cannot write " + *f.get("out"));
  size_t records = 0, critiqued = 0, wrong_found = 0, malformed = 0;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json record = json::parse(line, nullptr, false);
    if (record.is_discarded() || !record.is_object())
      throw InvalidRequest("--samples line " + std::to_string(number) + ": not a JSON object");
    if (!record.contains("task_id") || !record["task_id"].is_string())
      throw InvalidRequest("--samples line " + std::to_string(number) + ": no \"task_id\"");
    auto task = by_id.find(record["task_id"]);
    if (task == by_id.end())
      throw InvalidRequest("--samples line " + std::to_string(number) + ": task \"" +
                           record["task_id"].get<std::string>() + "\" is not in --tasks");
    std::string completion = completion_of(record, number);
    ++records;
    bool passed = record.contains("reward") && record["reward"].is_object() &&
                  record["reward"].value("value", 0.0) >= 1;
    if (!(f.has("only-failed") && passed)) {
      critique::Critique c = critic->critique(task->second, completion);
      record["critique"] = c;
      record["critique_text"] = c.render();
      ++critiqued;
      wrong_found += c.first_wrong.has_value() || c.final_correct == std::optional<bool>(false);
      malformed += !c.usable();
    }
    out << record.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
  }
  out.flush();
  if (!out) throw Error("--out: write failed");
  std::cout << json{{"records", records},
                    {"critiqued", critiqued},
                    {"found_wrong", wrong_found},
                    {"malformed", malformed},
                    {"critic", critic->name()}}
                   .dump()
            << "\n";
  return 0;
}

}  // namespace crucible::cli
