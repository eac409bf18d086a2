// Feedback beyond the verdict: compiler diagnostics and static-analysis findings, both
// normalised to one shape {tool, file, line, column, severity, message}.
//
// Parsers are pure functions over the tools' text; analysis runs the language's analyzer
// from languages.json ("analysis") inside the jail, within its own limits.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace crucible::sandbox {
class Sandbox;
struct Program;
}  // namespace crucible::sandbox

namespace crucible::sandbox::judge {

struct Diagnostic {
  std::string tool;
  std::string file;
  int line = 0;
  int column = 0;
  std::string severity;  // "error", "warning", "note", "style", "info"
  std::string message;
};

// Understands gcc/clang/go/cppcheck/shellcheck-gcc ("file:line[:col]: [severity:] msg"),
// javac ("File.java:12: error: msg"), rustc ("error[E0308]: msg" then "--> file:line:col"),
// and Python tracebacks ('File "x", line N' then "SyntaxError: msg").
std::vector<Diagnostic> parse_diagnostics(const std::string& tool, const std::string& text);

// Runs the language's analyzer over a prepared program; empty when it has none.
std::vector<Diagnostic> analyze(Sandbox& sandbox, const Program& program);

void to_json(nlohmann::json& j, const Diagnostic& d);

}  // namespace crucible::sandbox::judge
