#include "critique/execution_critic.hpp"

#include <algorithm>
#include <regex>

#include "base/error.hpp"
#include "sandbox/judge/feedback.hpp"
#include "sandbox/languages/registry.hpp"

namespace crucible::critique {

namespace {

namespace judge = sandbox::judge;

constexpr size_t kShownBytes = 600;  // of each input/expected/actual/stderr in feedback

std::string capped(const std::string& s) {
  if (s.size() <= kShownBytes) return s;
  return s.substr(0, kShownBytes) + "... (" + std::to_string(s.size()) + " bytes)";
}

// One step per line of the program, spans in the completion's bytes.
std::vector<StepVerdict> program_lines(const std::string& completion, const std::string& source) {
  size_t base = completion.rfind(source);  // the block is the completion's last
  if (base == std::string::npos) base = 0;
  std::vector<StepVerdict> steps;
  size_t start = 0;
  while (start <= source.size()) {
    size_t end = source.find('\n', start);
    if (end == std::string::npos) end = source.size();
    if (end == source.size() && start == end && !steps.empty()) break;  // final newline
    StepVerdict v;
    v.index = steps.size();
    v.begin = base + start;
    v.end = base + end;
    v.text = source.substr(start, end - start);
    steps.push_back(std::move(v));
    start = end + 1;
  }
  return steps;
}

void flag(std::vector<StepVerdict>& steps, int line, bool wrong, const std::string& why) {
  if (line < 1 || static_cast<size_t>(line) > steps.size()) return;
  StepVerdict& s = steps[static_cast<size_t>(line) - 1];
  if (wrong) s.ok = false;
  if (!s.feedback.empty()) s.feedback += "; ";
  s.feedback += why;
}

// The line of the program a runtime error's trace names: Python's innermost frame in the
// program ('File ".../main.py", line N', the last such line), otherwise the first
// "<file>:N" (node, ruby, go, java traces list the innermost frame first).
int runtime_error_line(const std::string& stderr_text, const std::string& source_file) {
  std::string name = std::regex_replace(source_file, std::regex(R"([.^$|()\[\]*+?\\])"), "\\$&");
  name = std::regex_replace(name, std::regex(R"(\\\{entry\\\}|\{entry\})"), R"(\w+)");
  std::smatch m;
  std::regex python("File \"[^\"]*" + name + "\", line (\\d+)");
  int line = 0;
  for (auto it = std::sregex_iterator(stderr_text.begin(), stderr_text.end(), python);
       it != std::sregex_iterator(); ++it)
    line = std::stoi((*it)[1]);
  if (line) return line;
  if (std::regex_search(stderr_text, m, std::regex(name + ":(\\d+)"))) return std::stoi(m[1]);
  return 0;
}

// The line of stderr that states the error: the last one naming an error, exception or
// panic (node ends with its version, Python with the error itself), else the last line.
std::string error_line(const std::string& text) {
  static const std::regex named(R"(^.*(Error|Exception|panic|error)\b.*$)");
  std::string last, last_named;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    last = line;
    if (std::regex_match(line, named) && line.find("    at ") != 0) last_named = line;
  }
  return last_named.empty() ? last : last_named;
}

}  // namespace

Critique critique_judged(const std::string& completion, const rewards::ExtractedCode& code,
                         const judge::JudgeResult& result, const std::string& source_file) {
  Critique c;
  c.critic = "execution";
  c.show_only_findings = true;
  c.steps = program_lines(completion, code.source);
  c.final_correct = result.verdict == sandbox::Verdict::Accepted;
  std::string verdict = sandbox::verdict_name(result.verdict);
  if (result.verdict == sandbox::Verdict::CompileError) {
    auto diagnostics = judge::parse_diagnostics("compiler", result.compile.compile_output);
    bool placed = false;
    for (const auto& d : diagnostics) {
      if (d.line < 1 || static_cast<size_t>(d.line) > c.steps.size()) continue;
      flag(c.steps, d.line, d.severity == "error", d.severity + ": " + d.message);
      placed = placed || d.severity == "error";
    }
    c.final_feedback = "the program does not compile";
    if (!placed) c.final_feedback += ":\n" + capped(result.compile.compile_output);
  } else if (result.first_failure && *result.first_failure < result.tests.size()) {
    const judge::TestResult& t = result.tests[*result.first_failure];
    c.final_feedback = "test " + std::to_string(t.index + 1) + " of " +
                       std::to_string(result.total) + ": " + sandbox::verdict_name(t.verdict);
    if (!t.message.empty()) c.final_feedback += " (" + capped(t.message) + ")";
    c.final_feedback += "\ninput:\n" + capped(t.input);
    if (t.verdict == sandbox::Verdict::WrongAnswer)
      c.final_feedback += "\nexpected:\n" + capped(t.expected) + "\nactual:\n" + capped(t.actual);
    if (t.verdict == sandbox::Verdict::RuntimeError) {
      std::string error = error_line(t.stderr_data);
      if (!error.empty()) c.final_feedback += "\nerror: " + capped(error);
      int line = runtime_error_line(t.stderr_data, source_file);
      flag(c.steps, line, true,
           "raises at run time on test " + std::to_string(t.index + 1) +
               (error.empty() ? "" : ": " + capped(error)));
    }
  } else if (result.verdict != sandbox::Verdict::Accepted) {
    c.final_feedback = verdict + (result.message.empty() ? "" : ": " + capped(result.message));
  }
  // Analyzers guess (shellcheck calls a missing shebang an error): their findings are notes
  // on the lines; only what the run showed marks a line wrong.
  for (const auto& d : result.analysis)
    flag(c.steps, d.line, false, d.tool + " " + d.severity + ": " + d.message);
  for (const auto& s : c.steps)
    if (!s.ok) {
      c.first_wrong = s.index;
      break;
    }
  return c;
}

Critique critique_execution(const tasks::Task& task, const std::string& completion,
                            judge::Judge& judge, const ExecutionCriticOptions& options) {
  if (task.kind != tasks::Kind::Code)
    throw InvalidRequest("the execution critic reads code tasks; task " + task.id + " is math");
  auto code = rewards::extract_code(completion);
  if (!code) {
    Critique c;
    c.critic = "execution";
    c.final_correct = false;
    c.final_feedback = "the completion has no fenced code block";
    return c;
  }
  judge::Submission submission = rewards::code_submission(task, *code, options.code);
  submission.options.analysis = options.analysis;
  judge::JudgeResult result = judge.run(submission);
  if (result.verdict == sandbox::Verdict::SandboxError)
    throw SandboxFailure("the sandbox failed while judging task " + task.id + ": " +
                         result.message);
  std::string source_file =
      result.language.empty()
          ? ""
          : sandbox::languages::Registry::builtin().find(result.language).source_file;
  return critique_judged(completion, *code, result, source_file);
}

}  // namespace crucible::critique
