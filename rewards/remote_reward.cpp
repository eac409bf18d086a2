#include "rewards/remote_reward.hpp"

#include <atomic>
#include <thread>

#include "base/error.hpp"
#include "base/json_fields.hpp"
#include "base/json_input.hpp"
#include "rewards/code_reward.hpp"
#include "rewards/math_reward.hpp"

namespace crucible::rewards {
namespace {

using nlohmann::json;

std::vector<std::string> strings(const json& body, const char* key) {
  if (!body.contains(key) || !body[key].is_array())
    throw InvalidRequest(std::string(key) + ": must be a list of strings");
  std::vector<std::string> out;
  for (const auto& v : body[key]) {
    if (!v.is_string()) throw InvalidRequest(std::string(key) + ": must be a list of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

// Code tests in a label, when it holds them.
std::optional<json> code_tests(const std::string& label) {
  if (label.find('{') == std::string::npos) return std::nullopt;
  json j;
  try {
    j = parse_json_input_or_discarded(label, "labels");
  } catch (const InvalidRequest&) {
    return std::nullopt;
  }
  if (!j.is_object() || !j.contains("inputs") || !j.contains("outputs")) return std::nullopt;
  return j;
}

std::string as_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string out;
    for (const auto& line : v)
      out += (line.is_string() ? line.get<std::string>() : line.dump()) + "\n";
    return out;
  }
  return v.dump();
}

}  // namespace

std::optional<sandbox::judge::JudgeResult> judge_against_tests(
    std::string_view completion, const json& tests, sandbox::judge::Judge& judge,
    const std::optional<sandbox::Limits>& limits) {
  auto code = extract_code(completion);
  if (!code) return std::nullopt;
  if (!tests.is_object() || !tests.contains("inputs") || !tests.contains("outputs") ||
      !tests["inputs"].is_array() || !tests["outputs"].is_array() ||
      tests["inputs"].size() != tests["outputs"].size() || tests["inputs"].empty())
    throw InvalidRequest("tests: need inputs and outputs of the same, non-zero length");
  const json& inputs = tests["inputs"];
  const json& outputs = tests["outputs"];
  sandbox::judge::Submission s;
  s.language = code->language.empty() ? "auto" : code->language;
  s.source = code->source;
  if (limits) s.limits = *limits;
  if (tests.contains("fn_name") && tests["fn_name"].is_string()) {
    sandbox::judge::HarnessSpec h;
    h.entry_point = tests["fn_name"];
    h.setup =
        "import json as _json\n"
        "def _same(got, want):\n"
        "    return got == want or [got] == want or (isinstance(got, tuple) and list(got) == "
        "want)\n";
    for (size_t i = 0; i < inputs.size(); ++i) {
      json args = inputs[i].is_array() ? inputs[i] : json::array({inputs[i]});
      h.items.push_back("assert _same(candidate(*_json.loads(" + json(args.dump()).dump() +
                        ")), _json.loads(" + json(outputs[i].dump()).dump() + "))");
    }
    if (s.language == "auto") s.language = "python3";
    s.harness = h;
  } else {
    for (size_t i = 0; i < inputs.size(); ++i)
      s.tests.push_back({as_text(inputs[i]), as_text(outputs[i])});
  }
  return judge.run(s);
}

json openrlhf_rewards(const json& body, sandbox::judge::Judge& judge, size_t threads) {
  JsonFields fields(body, "");
  for (const char* key : {"query", "prompts", "labels"}) fields.allow(key);
  fields.done();  // the fields are lists, read below
  auto queries = strings(body, "query");
  auto prompts = body.contains("prompts") ? strings(body, "prompts")
                                          : std::vector<std::string>(queries.size());
  auto labels = strings(body, "labels");
  if (prompts.size() != queries.size() || labels.size() != queries.size())
    throw InvalidRequest("query, prompts and labels must have the same length (" +
                         std::to_string(queries.size()) + ", " + std::to_string(prompts.size()) +
                         ", " + std::to_string(labels.size()) + ")");
  std::vector<double> rewards(queries.size(), 0.0);
  std::vector<std::string> errors(queries.size());
  std::atomic<size_t> next{0}, code{0};
  auto work = [&] {
    for (size_t i; (i = next++) < queries.size();) {
      const std::string& q = queries[i];
      std::string response =
          q.compare(0, prompts[i].size(), prompts[i]) == 0 ? q.substr(prompts[i].size()) : q;
      try {
        if (auto tests = code_tests(labels[i])) {
          ++code;
          auto result = judge_against_tests(response, *tests, judge);
          rewards[i] = result && result->verdict == sandbox::Verdict::Accepted ? 1.0 : 0.0;
        } else {
          Reward r = math_reward(labels[i], response, math::VerifyOptions{});
          rewards[i] = r.valid ? r.value : 0.0;
        }
      } catch (const InvalidRequest& e) {
        errors[i] = e.what();
      }
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < std::max<size_t>(1, std::min(threads, queries.size())); ++t)
    pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  for (size_t i = 0; i < errors.size(); ++i)
    if (!errors[i].empty()) throw InvalidRequest("labels[" + std::to_string(i) + "]: " + errors[i]);
  double correct = 0;
  for (double r : rewards) correct += r == 1.0;
  return {{"rewards", rewards},
          {"scores", rewards},
          {"extra_logs",
           {{"accuracy", rewards.empty() ? 0.0 : correct / static_cast<double>(rewards.size())},
            {"code", code.load()},
            {"math", queries.size() - code.load()}}}};
}

}  // namespace crucible::rewards
