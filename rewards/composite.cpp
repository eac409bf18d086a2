#include "rewards/composite.hpp"

#include <algorithm>

#include "base/error.hpp"
#include "base/json_fields.hpp"
#include "rewards/math_reward.hpp"

namespace crucible::rewards {

using nlohmann::json;

Reward correctness_reward(const tasks::Task& task, std::string_view completion,
                          const RewardOptions& options, sandbox::judge::Judge* judge) {
  if (task.kind == tasks::Kind::Math) return math_reward(task.answer, completion, options.math);
  if (!judge) throw InvalidRequest("task " + task.id + ": a code task needs a judge to be scored");
  return code_task_reward(task, completion, *judge, options.code);
}

CompositeReward::Term CompositeReward::read_term(const json& t, size_t i,
                                                 const std::vector<Term>& earlier) {
  std::string where = "terms[" + std::to_string(i) + "]";
  if (!t.is_object() || !t.contains("name") || !t["name"].is_string())
    throw InvalidRequest(where + ".name: required string");
  Term term;
  term.name = t["name"].get<std::string>();
  if (term.name != "correctness" && term.name != "format" && term.name != "overlong" &&
      term.name != "length")
    throw InvalidRequest(where + ".name: unknown term '" + term.name +
                         "' (known: correctness, format, overlong, length)");
  if (std::any_of(earlier.begin(), earlier.end(),
                  [&](const Term& x) { return x.name == term.name; }))
    throw InvalidRequest(where + ".name: term '" + term.name + "' appears twice");
  JsonFields f(t, where + ".");
  f.allow("name");
  f.number("weight", -1e9, 1e9, term.weight);
  // A term's own options, under its name.
  if (term.name == "format")
    if (const json* v = f.value("format")) term.format = FormatSpec::from_json(*v);
  if (term.name == "overlong")
    if (const json* v = f.value("overlong")) term.overlong = OverlongSpec::from_json(*v);
  f.done();
  return term;
}

CompositeReward::CompositeReward() {
  terms_.push_back(Term{"correctness", 1, {}, {}});
}

CompositeReward CompositeReward::from_json(const json& config) {
  CompositeReward c;
  if (config.is_null()) return c;
  JsonFields f(config, "reward config: ");
  c.terms_.clear();
  if (const json* terms = f.value("terms")) {
    if (!terms->is_array() || terms->empty())
      throw InvalidRequest("terms: must be a non-empty array");
    for (size_t i = 0; i < terms->size(); ++i)
      c.terms_.push_back(read_term((*terms)[i], i, c.terms_));
  }
  if (const json* gate = f.value("gate")) {
    if (!gate->is_array()) throw InvalidRequest("gate: must be an array of term names");
    for (const auto& g : *gate) {
      if (!g.is_string()) throw InvalidRequest("gate: must be an array of term names");
      c.gates_.push_back(g.get<std::string>());
    }
  }
  if (const json* math = f.value("math")) c.options_.math = math::VerifyOptions::from_json(*math);
  if (const json* code = f.value("code")) c.options_.code = CodeRewardOptions::from_json(*code);
  f.done();
  if (c.terms_.empty()) throw InvalidRequest("terms: required");
  for (const auto& g : c.gates_)
    if (std::none_of(c.terms_.begin(), c.terms_.end(), [&](const Term& t) { return t.name == g; }))
      throw InvalidRequest("gate: '" + g + "' is not one of the terms");
  return c;
}

Reward CompositeReward::score(const tasks::Task& task, const Completion& completion,
                              sandbox::judge::Judge* judge) {
  bool needs_correctness = std::any_of(terms_.begin(), terms_.end(), [](const Term& t) {
    return t.name == "correctness" || t.name == "length";
  });
  Reward correctness;
  if (needs_correctness) {
    correctness = correctness_reward(task, completion.text, options_, judge);
    if (!correctness.valid) return correctness;
  }
  json terms = json::object();
  std::vector<std::pair<const Term*, double>> values;
  for (const auto& t : terms_) {
    double v = 0;
    if (t.name == "correctness") {
      v = correctness.value;
    } else if (t.name == "format") {
      Reward f = format_reward(completion.text, t.format);
      v = f.value;
      terms["format_reason"] = f.reason;
    } else if (t.name == "overlong") {
      v = overlong_penalty(completion.tokens, t.overlong);
    } else if (t.name == "length") {
      v = history_->reward(task.id, completion.tokens, correctness.value >= 1).value;
    }
    terms[t.name] = v;
    values.push_back({&t, v});
  }
  std::string failed_gate;
  for (const auto& g : gates_)
    for (const auto& [t, v] : values)
      if (t->name == g && v < 1 && failed_gate.empty()) failed_gate = g;
  Reward r;
  for (const auto& [t, v] : values) {
    bool is_gate = std::find(gates_.begin(), gates_.end(), t->name) != gates_.end();
    if (failed_gate.empty() || is_gate) r.value += t->weight * v;
  }
  r.verdict = needs_correctness ? correctness.verdict : "scored";
  r.reason = failed_gate.empty() ? (needs_correctness ? correctness.reason : "composite")
                                 : "gated:" + failed_gate;
  r.details = {{"terms", terms}};
  if (needs_correctness) r.details["correctness"] = correctness.details;
  return r;
}

}  // namespace crucible::rewards
