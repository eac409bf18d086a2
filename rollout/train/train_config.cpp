#include "rollout/train/train_config.hpp"

#include <cstdio>
#include <limits>

#include "base/error.hpp"
#include "base/json_fields.hpp"

namespace crucible::rollout {

using nlohmann::json;

namespace {

std::vector<TaskSource> task_sources(const json& j, const std::string& where) {
  if (!j.is_array() || j.empty()) throw InvalidRequest(where + " must be a non-empty array");
  std::vector<TaskSource> out;
  for (size_t i = 0; i < j.size(); ++i) {
    JsonFields f(j[i], where + "[" + std::to_string(i) + "]: ");
    TaskSource s;
    f.text("family", s.family);
    f.text("file", s.file);
    size_t d = 1;
    f.count("difficulty", 1, 5, d);
    s.difficulty = static_cast<int>(d);
    f.count("count", 1, 1000000, s.count);
    f.done();
    if (s.family.empty() == s.file.empty())
      f.fail("", "needs exactly one of family (a generator) and file (a JSONL task file)");
    out.push_back(s);
  }
  return out;
}

json task_sources_json(const std::vector<TaskSource>& ss) {
  json a = json::array();
  for (const auto& s : ss)
    a.push_back(s.file.empty()
                    ? json{{"family", s.family}, {"difficulty", s.difficulty}, {"count", s.count}}
                    : json{{"file", s.file}});
  return a;
}

// Presets are data: a config applied over the defaults.
const json& presets() {
  static const json p = json::parse(R"j({
    "demo": {
      "seed": 1,
      "model": {"dim": 64, "layers": 2, "heads": 4, "mlp_dim": 176, "max_seq": 128},
      "warmup": {"steps": 1500, "batch": 32, "lr": 0.007, "tool_demos": 0.2,
                 "tasks": [{"family": "product", "difficulty": 3, "count": 3000}]},
      "tasks": [{"family": "product", "difficulty": 3, "count": 450}],
      "eval_tasks": [{"family": "product", "difficulty": 3, "count": 120}],
      "tools": {"languages": ["python3"], "max_turns": 2, "max_output_bytes": 64},
      "iterations": 10, "tasks_per_iteration": 16, "group_size": 8,
      "rule": "grpo", "lr": 0.0003, "minibatches": 2, "max_tokens": 96, "eval_every": 2
    },
    "expression": {
      "seed": 1,
      "model": {"dim": 64, "layers": 2, "heads": 4, "mlp_dim": 176, "max_seq": 96},
      "warmup": {"steps": 1400, "batch": 32, "lr": 0.007, "print_slips": 0.75,
                 "tasks": [{"family": "expression", "difficulty": 3, "count": 3000}]},
      "tasks": [{"family": "expression", "difficulty": 3, "count": 400}],
      "eval_tasks": [{"family": "expression", "difficulty": 3, "count": 100}],
      "iterations": 12, "tasks_per_iteration": 32, "group_size": 16,
      "rule": "grpo", "lr": 0.0003, "minibatches": 4, "max_tokens": 56, "eval_every": 4
    },
    "tiny": {
      "seed": 3,
      "model": {"dim": 32, "layers": 1, "heads": 2, "mlp_dim": 64, "max_seq": 64},
      "warmup": {"steps": 150, "batch": 16, "lr": 0.01,
                 "tasks": [{"family": "arithmetic", "difficulty": 1, "count": 200}]},
      "tasks": [{"family": "arithmetic", "difficulty": 1, "count": 40}],
      "eval_tasks": [{"family": "arithmetic", "difficulty": 1, "count": 20}],
      "iterations": 4, "tasks_per_iteration": 4, "group_size": 4,
      "rule": "grpo", "lr": 0.003, "max_tokens": 12, "eval_every": 2
    }
  })j");
  return p;
}

}  // namespace

TrainConfig TrainConfig::from_json(const json& j) {
  TrainConfig c;
  JsonFields f(j, "train config: ");
  size_t seed = c.seed;
  f.count("seed", 0, std::numeric_limits<uint32_t>::max(), seed);
  c.seed = seed;
  if (const json* m = f.value("model")) c.model = policy::ModelConfig::from_json(*m);
  f.text("init", c.init);
  if (const json* w = f.value("warmup")) {
    JsonFields wf(*w, "train config: warmup: ");
    wf.count("steps", 0, 1000000, c.warmup_steps);
    wf.count("batch", 1, 4096, c.warmup_batch);
    wf.number("lr", 1e-7, 1, c.warmup_lr);
    wf.boolean("rationale", c.warmup_rationale);
    wf.number("sign_slips", 0, 1, c.warmup_sign_slips);
    wf.number("print_slips", 0, 1, c.warmup_print_slips);
    wf.number("tool_demos", 0, 1, c.warmup_tool_demos);
    wf.number("rechecks", 0, 1, c.warmup_rechecks);
    if (const json* t = wf.value("tasks")) c.warmup_tasks = task_sources(*t, "warmup.tasks");
    wf.done();
    if (c.warmup_steps > 0 && c.warmup_tasks.empty()) wf.fail("tasks", "are needed when steps > 0");
  }
  if (const json* t = f.value("tasks")) c.tasks = task_sources(*t, "train config: tasks");
  if (const json* t = f.value("eval_tasks"))
    c.eval_tasks = task_sources(*t, "train config: eval_tasks");
  f.count("iterations", 1, 1000000, c.iterations);
  f.count("tasks_per_iteration", 1, 100000, c.tasks_per_iteration);
  f.count("group_size", 1, 1024, c.group_size);
  f.text("mode", c.mode, {"parallel", "serial"});
  f.text("kernels", c.kernels, {"blas", "naive"});
  f.count("exits", 1, 64, c.exits);
  const bool forcing_given = f.text("answer_forcing", c.answer_forcing);
  const bool exit_loss_given = f.text("exit_loss", c.exit_loss, {"answer", "path"});
  const bool exit_at_given = f.text("exit_at", c.exit_at, {"token", "line"});
  f.count("segments", 1, 64, c.segments);
  std::string rule = policy::update_rule_name(c.update.rule);
  f.text("rule", rule, {"rft", "grpo", "dr_grpo", "dapo", "cispo", "s_grpo"});
  c.update = policy::UpdateOptions::defaults_for(policy::update_rule_from_name(rule));
  c.dynamic_sampling = c.update.rule == policy::UpdateRule::Dapo;
  f.number("eps_low", 0, 1, c.update.eps_low);
  f.number("eps_high", 0, 10, c.update.eps_high);
  f.count("minibatches", 1, 1024, c.update.minibatches);
  f.boolean("mask_mastered", c.update.mask_mastered);
  f.number("mastered_tau", 0, 1, c.update.mastered_tau);
  f.number("mastered_sigma", 0, 100, c.update.mastered_sigma);
  f.number("lr", 1e-8, 1, c.lr);
  f.count("max_tokens", 1, 65536, c.max_tokens);
  f.number("temperature", 0.01, 10, c.temperature);
  f.text("template", c.prompt_template);
  f.boolean("dynamic_sampling", c.dynamic_sampling);
  f.count("max_rounds", 1, 100, c.max_rounds);
  f.boolean("balance", c.balance);
  f.number("mastered_pass_rate", 0, 1, c.mastered_pass_rate);
  f.count("extra_samples", 0, 1024, c.extra_samples);
  f.count("max_accepted_per_task", 1, 1024, c.max_accepted_per_task);
  f.count("eval_every", 1, 1000000, c.eval_every);
  f.count("pass_k", 1, 1024, c.pass_k);
  if (const json* k = f.value("critique")) {
    JsonFields cf(*k, "train config: critique: ");
    cf.text("critic", c.critique.critic, {"arithmetic", "execution"});
    cf.count("refinements", 1, 64, c.critique.refinements);
    cf.count("max_kept", 1, 64, c.critique.max_kept);
    cf.number("shortcut_ratio", 0, 1, c.critique.shortcut_ratio);
    cf.boolean("in_prompt", c.critique.in_prompt);
    cf.boolean("restart", c.critique.restart);
    cf.boolean("conditioned", c.critique.conditioned);
    cf.done();
    if (c.critique.critic.empty()) cf.fail("critic", "is required (arithmetic or execution)");
  }
  if (const json* g = f.value("guidance")) {
    JsonFields gf(*g, "train config: guidance: ");
    gf.text("strategy", c.guidance.strategy,
            {"none", "answer", "rationale", "critique", "state_reset"});
    gf.count("rounds", 1, 64, c.guidance.rounds);
    gf.count("samples", 1, 1024, c.guidance.samples);
    gf.count("min_correct", 1, 1024, c.guidance.min_correct);
    gf.done();
    if (c.guidance.strategy.empty()) gf.fail("strategy", "is required");
  }
  if (const json* t = f.value("tools")) {
    JsonFields tf(*t, "train config: tools: ");
    tf.names("languages", c.tools.languages);
    tf.count("max_turns", 1, 64, c.tools.max_turns);
    tf.count("max_output_bytes", 1, 65536, c.tools.max_output_bytes);
    tf.done();
    if (c.tools.languages.empty()) tf.fail("languages", "are required");
  }
  if (const json* r = f.value("remote")) {
    JsonFields rf(*r, "train config: remote: ");
    rf.text("policy", c.remote.policy_url);
    rf.text("model", c.remote.policy_model);
    if (const json* endpoints = rf.value("sandbox")) {
      const json& e = *endpoints;
      if (!e.is_array() || e.empty())
        rf.fail("sandbox", "must be a non-empty array of \"http://host:port\" endpoints");
      for (const auto& x : e) {
        if (!x.is_string() || x.get<std::string>().rfind("http://", 0) != 0)
          rf.fail("sandbox", "entries must be \"http://host:port\" strings");
        c.remote.sandbox_endpoints.push_back(x);
      }
    }
    rf.done();
    if (!c.remote.policy_url.empty() && c.remote.policy_url.rfind("http://", 0) != 0)
      rf.fail("policy", "must be an http:// URL of an OpenAI-compatible server");
    if (!c.remote.policy_url.empty() && c.remote.policy_model.empty())
      rf.fail("model", "is required with a remote policy (the served model's name)");
  }
  f.done();
  if (c.remote_policy()) {
    if (c.warmup_steps > 0 || !c.init.empty())
      throw InvalidRequest(
          "train config: remote.policy: the served policy is trained elsewhere; warmup and init "
          "apply to the native policy only");
    if (c.mode != "parallel")
      throw InvalidRequest("train config: remote.policy: serial groups need the native policy");
  }
  bool rft = c.update.rule == policy::UpdateRule::Rft;
  if (!rft && !c.critique.critic.empty())
    throw InvalidRequest("train config: critique: refinements are trained by rule rft only");
  if (!rft && !c.guidance.strategy.empty())
    throw InvalidRequest("train config: guidance: guided solutions are trained by rule rft only");
  if (c.guidance.strategy == "critique" && c.critique.critic.empty())
    throw InvalidRequest("train config: guidance \"critique\" needs critique.critic");
  if (c.tasks.empty()) throw InvalidRequest("train config: tasks are required");
  if (c.eval_tasks.empty()) throw InvalidRequest("train config: eval_tasks are required");
  if ((c.mode == "serial") != (c.update.rule == policy::UpdateRule::SGrpo))
    throw InvalidRequest("train config: rule s_grpo goes with mode \"serial\", and only it");
  if (c.update.rule != policy::UpdateRule::Rft && c.group_size < 2)
    throw InvalidRequest("train config: group_size must be at least 2 for group advantages");
  if (c.pass_k > c.group_size) throw InvalidRequest("train config: pass_k must be <= group_size");
  if (c.segments > 1 && c.mode != "parallel")
    throw InvalidRequest("train config: segments apply to parallel groups (mode \"parallel\")");
  if (forcing_given && c.mode != "serial")
    throw InvalidRequest("train config: answer_forcing applies to serial groups (mode \"serial\")");
  if ((exit_loss_given || exit_at_given) && c.mode != "serial")
    throw InvalidRequest(std::string("train config: ") +
                         (exit_loss_given ? "exit_loss" : "exit_at") +
                         " applies to serial groups (mode \"serial\")");
  if (c.answer_forcing.empty())
    throw InvalidRequest("train config: answer_forcing must not be empty");
  if (c.segments > 1 && c.dynamic_sampling)
    throw InvalidRequest(
        "train config: segments and dynamic_sampling do not combine (dynamic sampling "
        "replaces whole groups within an iteration)");
  if (c.use_tools() && (c.mode != "parallel" || c.segments > 1))
    throw InvalidRequest(
        "train config: tools: tool turns run in parallel groups without segments (mode "
        "\"parallel\", segments 1)");
  if (c.use_tools() && (!c.critique.critic.empty() || !c.guidance.strategy.empty()))
    throw InvalidRequest(
        "train config: tools: critique and guidance resample without tools; they do not "
        "combine with tools yet");
  if (c.segments > c.max_tokens)
    throw InvalidRequest("train config: segments must be at most max_tokens");
  return c;
}

TrainConfig TrainConfig::preset(const std::string& name, const json& overrides) {
  if (!presets().contains(name))
    throw InvalidRequest("unknown preset '" + name + "'; known: demo, expression, tiny");
  json j = presets()[name];
  if (!overrides.is_null()) {
    if (!overrides.is_object()) throw InvalidRequest("train config: must be a JSON object");
    j.merge_patch(overrides);
  }
  return from_json(j);
}

json TrainConfig::to_json() const {
  json model_json = model;
  if (model.vocab == 0) model_json.erase("vocab");  // set from the tokenizer at start
  json j = {{"seed", seed},
            {"model", model_json},
            {"warmup", {{"steps", warmup_steps}, {"batch", warmup_batch}, {"lr", warmup_lr}}},
            {"tasks", task_sources_json(tasks)},
            {"eval_tasks", task_sources_json(eval_tasks)},
            {"iterations", iterations},
            {"tasks_per_iteration", tasks_per_iteration},
            {"group_size", group_size},
            {"mode", mode},
            {"exits", exits},
            {"segments", segments},
            {"rule", policy::update_rule_name(update.rule)},
            {"eps_low", update.eps_low},
            {"eps_high", update.eps_high},
            {"minibatches", update.minibatches},
            {"mask_mastered", update.mask_mastered},
            {"mastered_tau", update.mastered_tau},
            {"mastered_sigma", update.mastered_sigma},
            {"lr", lr},
            {"max_tokens", max_tokens},
            {"temperature", temperature},
            {"template", prompt_template},
            {"dynamic_sampling", dynamic_sampling},
            {"max_rounds", max_rounds},
            {"balance", balance},
            {"mastered_pass_rate", mastered_pass_rate},
            {"extra_samples", extra_samples},
            {"max_accepted_per_task", max_accepted_per_task},
            {"kernels", kernels},
            {"eval_every", eval_every},
            {"pass_k", pass_k}};
  if (!warmup_tasks.empty()) j["warmup"]["tasks"] = task_sources_json(warmup_tasks);
  if (warmup_rationale) j["warmup"]["rationale"] = true;
  if (warmup_sign_slips > 0) j["warmup"]["sign_slips"] = warmup_sign_slips;
  if (warmup_print_slips > 0) j["warmup"]["print_slips"] = warmup_print_slips;
  if (warmup_tool_demos > 0) j["warmup"]["tool_demos"] = warmup_tool_demos;
  if (warmup_rechecks > 0) j["warmup"]["rechecks"] = warmup_rechecks;
  if (mode == "serial") {
    j["answer_forcing"] = answer_forcing;
    j["exit_loss"] = exit_loss;
    j["exit_at"] = exit_at;
  }
  if (use_tools())
    j["tools"] = {{"languages", tools.languages},
                  {"max_turns", tools.max_turns},
                  {"max_output_bytes", tools.max_output_bytes}};
  if (!critique.critic.empty())
    j["critique"] = {
        {"critic", critique.critic},          {"refinements", critique.refinements},
        {"max_kept", critique.max_kept},      {"shortcut_ratio", critique.shortcut_ratio},
        {"in_prompt", critique.in_prompt},    {"restart", critique.restart},
        {"conditioned", critique.conditioned}};
  if (remote_policy() || !remote.sandbox_endpoints.empty()) {
    j["remote"] = json::object();
    if (remote_policy()) {
      j["remote"]["policy"] = remote.policy_url;
      j["remote"]["model"] = remote.policy_model;
    }
    if (!remote.sandbox_endpoints.empty()) j["remote"]["sandbox"] = remote.sandbox_endpoints;
  }
  if (!guidance.strategy.empty())
    j["guidance"] = {{"strategy", guidance.strategy},
                     {"rounds", guidance.rounds},
                     {"samples", guidance.samples},
                     {"min_correct", guidance.min_correct}};
  if (!init.empty()) j["init"] = init;
  return j;
}

}  // namespace crucible::rollout
