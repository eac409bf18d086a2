// The language registry: what languages.json says about each language (how to compile,
// run, detect it; its limit adjustments), loaded once and immutable afterwards.
//
//   const Registry& r = Registry::builtin();
//   const Language& py = r.find("py");         // by name or alias; throws InvalidRequest
#pragma once

#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sandbox/limits.hpp"

namespace crucible::sandbox::languages {

struct Step {
  std::vector<std::string> argv;
  std::vector<std::pair<std::string, double>> limits;  // overrides for this step
};

// How a syntax error of an interpreted language shows in its own run (the interpreter
// parses the whole file before running any of it): an exit code and a last line of stderr
// starting with one of `last_line_prefixes`, and no `unless` text (a traceback: the error
// was raised while running, by code that compiles other code).
struct SyntaxErrorInRun {
  int exit_code = 1;
  std::vector<std::string> last_line_prefixes;
  std::string unless;
};

// A test runner's own report that it ran its tests to the end (the test-runner modes: pytest,
// go_test, junit). The code under test runs inside the runner's process, so exit status 0 is
// also what a candidate gets by ending the process before any test ran; Accepted needs this
// line too: the `from_end`-th non-empty line of stdout, counted from the end, starts with
// `prefix`, contains `contains` and none of `excludes` (a summary of failures, followed by an
// exit forced to 0). A candidate that prints the runner's summary itself is not caught
// (README: use the function-call harnesses for rewards).
struct RunnerReport {
  size_t from_end = 1;
  std::string prefix, contains;
  std::vector<std::string> excludes;
};

// How a program of tests (MultiPL-E's prompt + answer + test, run as one program that passes
// by exiting 0) prints a line once its tests ran to their end. The answer shares the tests'
// process, so exiting 0 early is also what an answer gets by ending the process itself; the
// line, which holds a marker the answer cannot know, tells the two apart. Applied to the test
// text only: the first pair of `replace_first` whose first string the test holds is replaced
// there (when the list is not empty and the test holds none of them, no line is added), then
// `append` goes at the end. "{marker}" in either stands for the marker. `qualify` names the
// test's own checks that an answer above it could shadow (Rust's assert_eq! by a macro_rules!
// of the same name): every use of the first string that is not part of a longer name or
// path becomes the second (::std::assert_eq!).
struct ProgramEnd {
  std::vector<std::pair<std::string, std::string>> replace_first;
  std::string append;
  // The line the program prints once its tests ran ({marker} or {marker_name}, a name made of
  // the same hash, substituted); "{marker}" unless the language's own runner prints it (Go:
  // `=== RUN   Test{marker_name}`, for a test function appended last).
  std::string line = "{marker}";
  std::vector<std::pair<std::string, std::string>> qualify;
  // A tag that ends code mode (PHP's "?>"): dropped where it ends the answer, or the test
  // after it would be text that is printed, never run.
  std::string answer_closing;
};

// A language's weighted detection patterns, compiled on first use: compiling every
// language's took ~6 ms of each command's start (a fifth of a trivial Python run), and most
// requests name their language or have an extension. Copies share the compiled set.
class DetectPatterns {
 public:
  DetectPatterns() = default;
  DetectPatterns(std::string where, std::vector<std::pair<std::string, double>> texts);
  bool empty() const { return texts_.empty(); }
  // Compiles on the first call (thread-safe); throws InvalidRequest naming a bad pattern.
  const std::vector<std::pair<std::regex, double>>& compiled() const;

 private:
  struct Compiled;
  std::string where_;
  std::vector<std::pair<std::string, double>> texts_;
  std::shared_ptr<Compiled> compiled_;
};

struct Language {
  std::string name;
  std::vector<std::string> aliases;
  std::vector<std::string> extensions;
  std::string package;      // the Debian package that provides the toolchain
  std::string source_file;  // may contain {entry}
  // Regexes tried in order; the first to match names the entry in its group 1 (Java's
  // public class, else its first top-level class).
  std::vector<std::string> entry_patterns;
  std::string entry_default;
  bool has_compile = false;
  Step compile;
  // Set when the compile step only checks syntax and a run tells the same apart: a new
  // source may then skip the separate check (Sandbox::prepare, SyntaxCheck::InFirstRun).
  std::optional<SyntaxErrorInRun> syntax_error_in_run;
  std::optional<RunnerReport> runner_report;  // test-runner modes only
  std::optional<ProgramEnd> program_end;      // languages MultiPL-E runs as one program
  std::vector<std::string> run;
  std::vector<std::string> version;
  std::vector<std::string> env;
  std::vector<std::string> extra_ro_paths;
  std::vector<std::pair<std::string, double>> min_limits;
  std::vector<std::string> memory_error_patterns;
  std::string analysis_tool;               // static analyzer's name ("pyflakes"), if any
  std::vector<std::string> analysis_argv;  // its argv, with the same placeholders
  std::vector<std::string> shebang_words;
  DetectPatterns detect_patterns;

  // The entry name for `source` (the first matching entry pattern's group 1, else
  // entry_default).
  std::string entry_for(const std::string& source) const;
  // True when a build step produces what runs (C, Java, Go, ...): the run argv never names
  // {source}. Interpreted languages run their source; their compile step only checks it.
  bool compiled() const;
  // False for a mode chosen only by name (pytest): no extension, shebang or pattern points to it.
  bool detectable() const {
    return !extensions.empty() || !shebang_words.empty() || !detect_patterns.empty();
  }
  // Limits for running: the caller's, raised to min_limits, never above the ceilings.
  Limits run_limits(const Limits& requested) const;
  // Limits for compiling: the defaults with the compile step's overrides.
  Limits compile_limits() const;
};

class Registry {
 public:
  // Parses a registry document; throws InvalidRequest naming the bad field. `check_patterns`
  // compiles every detection pattern now, so a bad one is named here; the embedded document's
  // are checked by the tests and compiled when first used.
  static Registry parse(std::string_view json_text, bool check_patterns = true);
  // The registry compiled into the binary, or $CRUCIBLE_LANGUAGES if set.
  static const Registry& builtin();

  // By name or alias, case-insensitive; throws InvalidRequest listing the known names.
  const Language& find(const std::string& name) const;
  const Language* find_by_extension(const std::string& extension) const;
  const std::vector<Language>& all() const { return languages_; }

 private:
  std::vector<Language> languages_;
};

// The JSON text of sandbox/languages/languages.json, embedded at build time.
extern const char* const kEmbeddedLanguagesJson;

}  // namespace crucible::sandbox::languages
