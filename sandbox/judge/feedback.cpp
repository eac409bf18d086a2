#include "sandbox/judge/feedback.hpp"

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "sandbox/sandbox.hpp"

namespace crucible::sandbox::judge {
namespace {

std::string normalise_severity(std::string s) {
  if (s == "fatal error") return "error";
  if (s == "portability" || s == "performance" || s == "style") return "style";
  if (s == "information") return "info";
  return s;
}

std::string basename_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::vector<Diagnostic> parse_diagnostics(const std::string& tool, const std::string& text) {
  static const std::regex gcc(
      R"re(^([^:\s][^:]*):(\d+):(?:(\d+):)?\s*(?:(fatal error|error|warning|note|style|performance|portability|information):\s*)?(.*)$)re");
  static const std::regex rust_head(R"re(^(error|warning)(?:\[\w+\])?:\s*(.*)$)re");
  static const std::regex rust_loc(R"re(^\s*-->\s*([^:]+):(\d+):(\d+))re");
  static const std::regex py_loc(R"re(^\s*File "([^"]+)", line (\d+))re");
  static const std::regex py_error(R"re(^(\w+(?:Error|Exception|Warning)):\s*(.*)$)re");
  std::vector<Diagnostic> out;
  std::istringstream in(text);
  std::string line;
  Diagnostic pending_rust;
  bool have_rust = false;
  Diagnostic py;
  bool have_py_loc = false;
  std::smatch m;
  while (std::getline(in, line)) {
    if (line.size() > 2000) continue;
    if (std::regex_match(line, m, rust_head)) {
      pending_rust = {tool, "", 0, 0, m[1], m[2]};
      have_rust = true;
      continue;
    }
    if (have_rust && std::regex_search(line, m, rust_loc)) {
      pending_rust.file = basename_of(m[1]);
      pending_rust.line = std::stoi(m[2]);
      pending_rust.column = std::stoi(m[3]);
      out.push_back(pending_rust);
      have_rust = false;
      continue;
    }
    if (std::regex_search(line, m, py_loc)) {
      py = {tool, basename_of(m[1]), std::stoi(m[2]), 0, "error", ""};
      have_py_loc = true;
      continue;
    }
    if (have_py_loc && std::regex_match(line, m, py_error)) {
      py.message = std::string(m[1]) + ": " + std::string(m[2]);
      out.push_back(py);
      have_py_loc = false;
      continue;
    }
    if (std::regex_match(line, m, gcc)) {
      std::string severity = m[4].matched ? normalise_severity(m[4]) : "warning";
      int column = m[3].matched ? std::stoi(m[3]) : 0;
      out.push_back({tool, basename_of(m[1]), std::stoi(m[2]), column, severity, m[5]});
    }
  }
  return out;
}

std::vector<Diagnostic> analyze(Sandbox& sandbox, const Program& program) {
  const auto& lang = *program.language;
  if (lang.analysis_argv.empty() || !program.ok()) return {};
  Limits limits;
  limits.cpu_seconds = 10;
  limits.wall_seconds = 20;
  limits.memory_bytes = 512ull << 20;
  Outcome o = sandbox.run_tool(program, lang.analysis_argv, limits);
  if (o.verdict != Verdict::Accepted && o.verdict != Verdict::RuntimeError) return {};
  return parse_diagnostics(lang.analysis_tool, o.stdout_data + o.stderr_data);
}

void to_json(nlohmann::json& j, const Diagnostic& d) {
  j = {{"tool", d.tool},     {"file", d.file},         {"line", d.line},
       {"column", d.column}, {"severity", d.severity}, {"message", d.message}};
}

}  // namespace crucible::sandbox::judge
