#include "rewards/composite.hpp"

#include <algorithm>

#include "base/error.hpp"
#include "rewards/math_reward.hpp"

namespace crucible::rewards {

using nlohmann::json;

Reward correctness_reward(const tasks::Task& task, std::string_view completion,
                          const RewardOptions& options, sandbox::judge::Judge* judge) {
  if (task.kind == tasks::Kind::Math) return math_reward(task.answer, completion, options.math);
  if (!judge) throw InvalidRequest("task " + task.id + ": a code task needs a judge to be scored");
  return code_task_reward(task, completion, *judge, options.code);
}

CompositeReward::CompositeReward() {
  terms_.push_back(Term{"correctness", 1, {}, {}});
}

CompositeReward CompositeReward::from_json(const json& config) {
  CompositeReward c;
  if (config.is_null()) return c;
  if (!config.is_object()) throw InvalidRequest("reward config: must be an object");
  c.terms_.clear();
  for (const auto& [key, value] : config.items()) {
    if (key == "terms") {
      if (!value.is_array() || value.empty())
        throw InvalidRequest("terms: must be a non-empty array");
      for (size_t i = 0; i < value.size(); ++i) {
        const json& t = value[i];
        std::string where = "terms[" + std::to_string(i) + "]";
        if (!t.is_object() || !t.contains("name") || !t["name"].is_string())
          throw InvalidRequest(where + ".name: required string");
        Term term;
        term.name = t["name"].get<std::string>();
        if (term.name != "correctness" && term.name != "format" && term.name != "overlong" &&
            term.name != "length")
          throw InvalidRequest(where + ".name: unknown term '" + term.name +
                               "' (known: correctness, format, overlong, length)");
        for (const auto& [field, v] : t.items()) {
          if (field == "name") continue;
          if (field == "weight") {
            if (!v.is_number()) throw InvalidRequest(where + ".weight: must be a number");
            term.weight = v.get<double>();
          } else if (field == "format" && term.name == "format") {
            term.format = FormatSpec::from_json(v);
          } else if (field == "overlong" && term.name == "overlong") {
            term.overlong = OverlongSpec::from_json(v);
          } else {
            throw InvalidRequest(where + "." + field + ": unknown field for term " + term.name);
          }
        }
        if (std::any_of(c.terms_.begin(), c.terms_.end(),
                        [&](const Term& x) { return x.name == term.name; }))
          throw InvalidRequest(where + ".name: term '" + term.name + "' appears twice");
        c.terms_.push_back(term);
      }
    } else if (key == "gate") {
      if (!value.is_array()) throw InvalidRequest("gate: must be an array of term names");
      for (const auto& g : value) {
        if (!g.is_string()) throw InvalidRequest("gate: must be an array of term names");
        c.gates_.push_back(g.get<std::string>());
      }
    } else if (key == "math") {
      c.options_.math = math::VerifyOptions::from_json(value);
    } else if (key == "code") {
      c.options_.code = CodeRewardOptions::from_json(value);
    } else {
      throw InvalidRequest(key + ": unknown field (known: terms, gate, math, code)");
    }
  }
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
