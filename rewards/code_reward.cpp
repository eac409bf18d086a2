#include "rewards/code_reward.hpp"

#include <cctype>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/json_fields.hpp"

namespace crucible::rewards {

using sandbox::Verdict;

CodeRewardOptions CodeRewardOptions::from_json(const nlohmann::json& j) {
  CodeRewardOptions o;
  if (j.is_null()) return o;
  JsonFields f(j, "code.");
  std::string mode;
  if (f.text("mode", mode, {"binary", "fraction", "graded"}))
    o.mode = mode == "binary"     ? CodeRewardMode::Binary
             : mode == "fraction" ? CodeRewardMode::Fraction
                                  : CodeRewardMode::Graded;
  if (const nlohmann::json* graded = f.value("graded_values")) {
    if (!graded->is_object()) f.fail("graded_values", "must be an object of verdict: value");
    for (const auto& [name, v] : graded->items()) {
      Verdict verdict = sandbox::verdict_from_name(name);
      if (verdict == Verdict::SandboxError)
        throw InvalidRequest("code.graded_values.SandboxError: a sandbox error is never a reward");
      if (!v.is_number()) throw InvalidRequest("code.graded_values." + name + " must be a number");
      o.graded_values[verdict] = v.get<double>();
    }
  }
  f.done();
  return o;
}

namespace {

std::string lowercase_name(Verdict v) {
  std::string name = sandbox::verdict_name(v), out;
  for (char c : name) {
    if (std::isupper(static_cast<unsigned char>(c)) && !out.empty()) out += '_';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string fence_language(std::string info) {
  while (!info.empty() && std::isspace(static_cast<unsigned char>(info.back()))) info.pop_back();
  for (char& c : info) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::map<std::string, std::string> kAliases = {
      {"python", "python3"},
      {"py", "python3"},
      {"python3", "python3"},
      {"c", "c"},
      {"cpp", "cpp"},
      {"c++", "cpp"},
      {"cc", "cpp"},
      {"java", "java"},
      {"javascript", "javascript"},
      {"js", "javascript"},
      {"node", "javascript"},
      {"bash", "bash"},
      {"sh", "bash"},
      {"shell", "bash"},
      {"go", "go"},
      {"golang", "go"},
      {"rust", "rust"},
      {"rs", "rust"},
      {"ruby", "ruby"},
      {"rb", "ruby"},
      {"php", "php"},
      {"lua", "lua"},
      {"perl", "perl"},
  };
  auto it = kAliases.find(info);
  return it == kAliases.end() ? "" : it->second;
}

}  // namespace

Reward code_reward(const sandbox::judge::JudgeResult& result, const CodeRewardOptions& options) {
  nlohmann::json details = {{"passed", result.passed}, {"total", result.total}};
  if (result.first_failure) details["first_failure"] = *result.first_failure;
  if (result.verdict == Verdict::SandboxError)
    return Reward::invalid("sandbox_error", {{"message", result.message}});
  Reward r;
  r.verdict = lowercase_name(result.verdict);
  r.details = std::move(details);
  switch (options.mode) {
    case CodeRewardMode::Binary:
      r.value = result.verdict == Verdict::Accepted ? 1 : 0;
      r.reason = "binary";
      break;
    case CodeRewardMode::Fraction:
      r.value = result.verdict == Verdict::CompileError || result.total == 0
                    ? 0
                    : static_cast<double>(result.passed) / static_cast<double>(result.total);
      r.reason = "fraction";
      break;
    case CodeRewardMode::Graded: {
      auto it = options.graded_values.find(result.verdict);
      r.value = it == options.graded_values.end() ? 0 : it->second;
      r.reason = "graded";
      break;
    }
  }
  return r;
}

std::optional<ExtractedCode> extract_code(std::string_view completion) {
  size_t think_end = completion.rfind("</think>");
  if (think_end != std::string_view::npos) completion.remove_prefix(think_end + 8);
  std::optional<ExtractedCode> last;
  for (size_t i = 0; (i = completion.find("```", i)) != std::string_view::npos;) {
    size_t info_end = completion.find('\n', i + 3);
    if (info_end == std::string_view::npos) break;
    size_t close = completion.find("```", info_end + 1);
    // A closing fence sits at the start of a line; an unclosed block runs to the end.
    while (close != std::string_view::npos && completion[close - 1] != '\n')
      close = completion.find("```", close + 3);
    size_t body_end = close == std::string_view::npos ? completion.size() : close;
    ExtractedCode code{std::string(completion.substr(info_end + 1, body_end - info_end - 1)),
                       fence_language(std::string(completion.substr(i + 3, info_end - i - 3)))};
    // An "output" fence is a tool's observation (rollout/tool_turns.hpp), never a program.
    bool observation = completion.substr(i + 3, info_end - i - 3) == "output";
    if (!observation && code.source.find_first_not_of(" \t\r\n") != std::string::npos)
      last = std::move(code);
    if (close == std::string_view::npos) break;
    i = close + 3;
  }
  return last;
}

sandbox::judge::Submission code_submission(const tasks::Task& task, const ExtractedCode& code,
                                           const CodeRewardOptions& options) {
  nlohmann::json request = task.tests.is_object() ? task.tests : nlohmann::json::object();
  std::string language = !task.language.empty()   ? task.language
                         : !code.language.empty() ? code.language
                                                  : "auto";
  bool own_limits = request.contains("limits");
  request["language"] = language;
  request["source"] = code.source;
  sandbox::judge::Submission submission = sandbox::judge::Submission::from_json(request);
  if (!own_limits) submission.limits = options.limits;
  return submission;
}

Reward code_task_reward(const tasks::Task& task, std::string_view completion,
                        sandbox::judge::Judge& judge, const CodeRewardOptions& options) {
  if (task.kind != tasks::Kind::Code) throw InvalidRequest("task " + task.id + ": not a code task");
  auto code = extract_code(completion);
  if (!code) {
    Reward r;
    r.verdict = "no_code";
    r.reason = "no_code";
    return r;
  }
  sandbox::judge::Submission submission;
  try {
    submission = code_submission(task, *code, options);
  } catch (const InvalidRequest& e) {
    return Reward::invalid("bad_task_tests", {{"message", e.what()}, {"task", task.id}});
  }
  try {
    return code_reward(judge.run(submission), options);
  } catch (const SandboxFailure& e) {
    return Reward::invalid("sandbox_error", {{"message", e.what()}});
  }
}

}  // namespace crucible::rewards
