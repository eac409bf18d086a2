#include "python/bridge.hpp"

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/json_fields.hpp"
#include "base/json_input.hpp"
#include "policy/native_policy.hpp"
#include "policy/remote/http_policy.hpp"
#include "rewards/advantages.hpp"
#include "rewards/code_reward.hpp"
#include "rewards/composite.hpp"
#include "rewards/math/verifier.hpp"
#include "rewards/math_reward.hpp"
#include "rewards/remote_reward.hpp"
#include "rewards/scorer.hpp"
#include "rewards/shaping.hpp"
#include "rollout/dataset.hpp"
#include "rollout/tool_env.hpp"
#include "sandbox/judge/formats.hpp"
#include "sandbox/service/access.hpp"
#include "tasks/generators.hpp"
#include "tasks/jsonl.hpp"
#include "tasks/loaders.hpp"

namespace crucible::python {
namespace {

using nlohmann::json;

json arg(const std::string& text, const char* what) {
  return parse_json_input(text.empty() ? "{}" : text, what);
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::string verify(const std::string& gold, const std::string& pred, const std::string& options) {
  auto o = rewards::math::VerifyOptions::from_json(arg(options, "options"));
  return dump(json(rewards::math::verify(gold, pred, o)));
}

std::string explain(const std::string& gold, const std::string& pred, const std::string& options) {
  auto o = rewards::math::VerifyOptions::from_json(arg(options, "options"));
  json j = rewards::math::verify(gold, pred, o);
  j["explain"] = rewards::math::explain(gold, pred, o);
  return dump(j);
}

std::string math_reward(const std::string& reference, const std::string& completion,
                        const std::string& options) {
  auto o = rewards::math::VerifyOptions::from_json(arg(options, "options"));
  return dump(json(rewards::math_reward(reference, completion, o)));
}

std::string format_reward(const std::string& completion, const std::string& spec) {
  return dump(
      json(rewards::format_reward(completion, rewards::FormatSpec::from_json(arg(spec, "spec")))));
}

double overlong_penalty(size_t completion_tokens, const std::string& spec) {
  return rewards::overlong_penalty(completion_tokens,
                                   rewards::OverlongSpec::from_json(arg(spec, "spec")));
}

std::string group_advantages(const std::string& rewards_json, const std::string& mode) {
  json r = arg(rewards_json, "rewards");
  if (!r.is_array()) throw InvalidRequest("rewards: must be a list of numbers");
  std::vector<double> values;
  for (const auto& v : r) {
    if (!v.is_number()) throw InvalidRequest("rewards: must be a list of numbers");
    values.push_back(v.get<double>());
  }
  rewards::AdvantageMode m;
  if (mode == "standard")
    m = rewards::AdvantageMode::Standard;
  else if (mode == "no_std")
    m = rewards::AdvantageMode::NoStd;
  else if (mode == "leave_one_out")
    m = rewards::AdvantageMode::LeaveOneOut;
  else
    throw InvalidRequest("mode: must be \"standard\", \"no_std\" or \"leave_one_out\", not \"" +
                         mode + "\"");
  return dump(json(rewards::group_advantages(values, m)));
}

std::string serial_rewards(const std::string& correct, const std::string& schedule) {
  json c = arg(correct, "correct");
  if (!c.is_array()) throw InvalidRequest("correct: must be a list of booleans");
  std::vector<bool> flags;
  for (const auto& v : c) {
    if (!v.is_boolean()) throw InvalidRequest("correct: must be a list of booleans");
    flags.push_back(v.get<bool>());
  }
  return dump(json(rewards::serial_rewards(
      flags, rewards::DecaySchedule::from_json(arg(schedule, "schedule")))));
}

std::string generate_tasks(const std::string& family, size_t count, int difficulty,
                           unsigned long long seed) {
  tasks::GeneratorOptions o;
  o.family = family;
  o.count = count;
  o.difficulty = difficulty;
  o.seed = seed;
  return dump(json(tasks::generate(o)));
}

std::string load_tasks(const std::string& format, const std::string& path) {
  if (format == "crucible" || format.empty()) return dump(json(tasks::read_tasks(path)));
  json out = json::array();
  size_t line = 0;
  tasks::for_each_line(path, [&](size_t number, const std::string& text) {
    line = number;
    out.push_back(tasks::load_record(
        format, parse_json_input(text, path + ":" + std::to_string(line)), number));
  });
  return dump(out);
}

SandboxHandle::SandboxHandle(const std::string& cache_dir) {
  sandbox::SandboxOptions o;
  o.cache_dir = cache_dir;
  sandbox_ = std::make_unique<sandbox::Sandbox>(o);
  judge_ = std::make_unique<sandbox::judge::Judge>(*sandbox_);
}

std::string SandboxHandle::run(const std::string& request) {
  json j = arg(request, "request");
  if (!j.is_object()) throw InvalidRequest("request: must be an object");
  sandbox::RunRequest r;
  for (const auto& [key, value] : j.items()) {
    if (key == "language")
      r.language = value.get<std::string>();
    else if (key == "source")
      r.source = value.get<std::string>();
    else if (key == "stdin")
      r.stdin_data = value.get<std::string>();
    else if (key == "filename")
      r.filename = value.get<std::string>();
    else if (key == "limits")
      r.limits = value.get<sandbox::Limits>();
    else
      throw InvalidRequest(key +
                           ": unknown argument (known: language, source, stdin, limits, filename)");
  }
  return dump(json(sandbox_->run(r)));
}

std::string SandboxHandle::judge(const std::string& submission) {
  auto record = sandbox::judge::record_from_json(arg(submission, "submission"));
  json out = judge_->run(record.submission);
  if (!record.id.empty()) out["id"] = record.id;
  return dump(out);
}

std::string SandboxHandle::code_reward(const std::string& task, const std::string& completion,
                                       const std::string& options) {
  tasks::Task t = tasks::Task::from_json(arg(task, "task"));
  auto o = rewards::CodeRewardOptions::from_json(arg(options, "options"));
  return dump(json(rewards::code_task_reward(t, completion, *judge_, o)));
}

std::string SandboxHandle::judge_tests(const std::string& completion, const std::string& tests,
                                       const std::string& limits) {
  json l = arg(limits, "limits");
  std::optional<sandbox::Limits> run_limits;
  if (!l.empty()) run_limits = l.get<sandbox::Limits>();
  auto result = rewards::judge_against_tests(completion, arg(tests, "tests"), *judge_, run_limits);
  return result ? dump(json(*result)) : "null";
}

std::string SandboxHandle::label(const std::string& tasks_json, const std::string& policy_json,
                                 const std::string& options, const std::string& reward,
                                 const std::string& out_path) {
  json tj = arg(tasks_json, "tasks");
  if (!tj.is_array()) throw InvalidRequest("tasks: must be a list of tasks");
  std::vector<tasks::Task> tasks;
  for (const auto& t : tj) tasks.push_back(tasks::Task::from_json(t));
  json pj = arg(policy_json, "policy");
  std::unique_ptr<policy::Policy> policy;
  if (pj.contains("checkpoint")) {
    policy = std::make_unique<policy::NativePolicy>(pj["checkpoint"].get<std::string>());
  } else if (pj.contains("url") && pj.contains("model")) {
    policy::HttpPolicyOptions o;
    o.base_url = pj["url"].get<std::string>();
    o.model = pj["model"].get<std::string>();
    policy = std::make_unique<policy::HttpPolicy>(o);
  } else {
    throw InvalidRequest("policy: give {\"checkpoint\": dir} or {\"url\": ..., \"model\": ...}");
  }
  auto o = rollout::LabelOptions::from_json(arg(options, "options"));
  json rj = arg(reward, "reward");
  rewards::CompositeReward r =
      rj.empty() ? rewards::CompositeReward() : rewards::CompositeReward::from_json(rj);
  return dump(json(rollout::label_dataset(*policy, rewards::Scorer(std::move(r), judge_.get()),
                                          tasks, o, out_path)));
}

EnvHandle::EnvHandle(SandboxHandle& sandbox, const std::string& options) : box_(sandbox) {
  json j = arg(options, "options");
  rollout::EnvOptions o;
  JsonFields f(j, "env: ");
  f.count("max_turns", 1, 64, o.tools.max_turns);
  f.count("max_output_bytes", 1, 1 << 20, o.tools.max_output_bytes);
  f.count("max_sessions", 1, 1000000, o.max_sessions);
  size_t ttl = static_cast<size_t>(o.ttl.count());
  f.count("ttl_seconds", 1, 86400, ttl);
  o.ttl = std::chrono::seconds(ttl);
  f.names("languages", o.tools.languages);
  f.done();
  o.tools.default_language = o.tools.languages.front();
  env_ = std::make_unique<rollout::ToolEnvironment>(o);
  run_ = sandbox::service::sandbox_access({}, box_.sandbox_.get()).tool_calls;
}

EnvHandle::~EnvHandle() = default;

std::string EnvHandle::reset(const std::string& request) {
  return env_->reset(arg(request, "request")).dump();
}

std::string EnvHandle::step(const std::string& request) {
  return env_->step(arg(request, "request"), rewards::Scorer({}, box_.judge_.get()), run_).dump();
}

}  // namespace crucible::python
