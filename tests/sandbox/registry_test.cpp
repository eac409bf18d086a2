#include "sandbox/languages/registry.hpp"

#include <gtest/gtest.h>

#include <set>

#include "base/error.hpp"

namespace crucible::sandbox::languages {
namespace {

TEST(Registry, BuiltinHasTheTwelveRequiredLanguages) {
  std::set<std::string> names;
  for (const auto& l : Registry::builtin().all()) names.insert(l.name);
  for (const char* want : {"python3", "c", "cpp", "java", "javascript", "bash", "go", "rust",
                           "ruby", "php", "lua", "perl"})
    EXPECT_TRUE(names.count(want)) << want;
}

// The test-runner modes need the runner's own report of their end (languages like them
// inherit entries, and this one must not spread to the plain languages).
TEST(Registry, OnlyTestRunnerModesNeedTheRunnersReport) {
  const auto& r = Registry::builtin();
  for (const char* mode : {"pytest", "go_test", "junit"}) EXPECT_TRUE(r.find(mode).runner_report);
  for (const char* plain : {"python3", "java", "go"}) EXPECT_FALSE(r.find(plain).runner_report);
  // Languages MultiPL-E runs as one program of tests say how it prints its end-of-tests line;
  // those with a function-call harness do not need one, nor the runners a user's own tests run
  // in (Go's tests, when a record runs them as one program, do).
  for (const char* program :
       {"c", "cpp", "java", "typescript", "bash", "rust", "ruby", "php", "lua", "perl", "go_test"})
    EXPECT_TRUE(r.find(program).program_end) << program;
  for (const char* other : {"python3", "javascript", "junit", "pytest", "go"})
    EXPECT_FALSE(r.find(other).program_end) << other;
  // Go's line is the runner's own, for a test function appended last.
  EXPECT_EQ(r.find("go_test").program_end->line, "=== RUN   Test{marker_name}");
}

TEST(Registry, OnlyAPlainPythonRunShowsItsOwnSyntaxError) {
  const auto& r = Registry::builtin();
  ASSERT_TRUE(r.find("python3").syntax_error_in_run);
  EXPECT_EQ(r.find("python3").syntax_error_in_run->exit_code, 1);
  // pytest reports a broken test file its own way: its check stays a separate step.
  EXPECT_FALSE(r.find("pytest").syntax_error_in_run);
  EXPECT_TRUE(r.find("pytest").has_compile);
  EXPECT_FALSE(r.find("c").syntax_error_in_run);
}

TEST(Registry, EveryBuiltinDetectionPatternCompiles) {
  // The embedded document's patterns are compiled on first use, not at start: checked here.
  for (const auto& l : Registry::builtin().all())
    EXPECT_NO_THROW(l.detect_patterns.compiled()) << l.name;
  auto doc = Registry::parse(kEmbeddedLanguagesJson);
  EXPECT_EQ(doc.all().size(), Registry::builtin().all().size());
}

TEST(Registry, ABadPatternIsNamedWhenFirstUsedIfNotCheckedAhead) {
  const char* text =
      R"({"languages": [{"name": "x", "source_file": "a", "run": ["/bin/x"], "detect": {"patterns": [["(", 1]]}}]})";
  auto lazy = Registry::parse(text, /*check_patterns=*/false);
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      lazy.all()[0].detect_patterns.compiled();
      ADD_FAILURE() << "a bad pattern compiled";
    } catch (const InvalidRequest& e) {
      EXPECT_NE(std::string(e.what()).find("bad regex '('"), std::string::npos) << e.what();
    }
  }
}

TEST(Registry, FindsByAliasCaseInsensitively) {
  const auto& r = Registry::builtin();
  EXPECT_EQ(r.find("py").name, "python3");
  EXPECT_EQ(r.find("C++").name, "cpp");
  EXPECT_EQ(r.find("node").name, "javascript");
  EXPECT_EQ(r.find_by_extension(".rs")->name, "rust");
  EXPECT_EQ(r.find_by_extension(".unknown"), nullptr);
}

TEST(Registry, UnknownLanguageListsTheKnownOnes) {
  try {
    Registry::builtin().find("cobol");
    FAIL();
  } catch (const InvalidRequest& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("cobol"), std::string::npos);
    EXPECT_NE(msg.find("python3"), std::string::npos);
  }
}

TEST(Registry, CompiledMeansTheBuildIsWhatRuns) {
  const auto& r = Registry::builtin();
  for (const char* name : {"c", "cpp", "java", "go", "rust"})
    EXPECT_TRUE(r.find(name).compiled()) << name;
  for (const char* name : {"python3", "javascript", "bash", "ruby", "php", "lua", "perl"})
    EXPECT_FALSE(r.find(name).compiled()) << name;
}

// The public class, else the first top-level class (MultiPL-E's Java is `class Problem`
// with main in it), else Main.
TEST(Registry, JavaEntryComesFromThePublicClassElseTheFirstClass) {
  const auto& java = Registry::builtin().find("java");
  EXPECT_EQ(java.entry_for("public class Solver { }"), "Solver");
  EXPECT_EQ(java.entry_for("class Helper {}\npublic final class Solver {}"), "Solver");
  EXPECT_EQ(java.entry_for("import java.util.*;\nclass Problem {\n  static class Inner {}\n}"),
            "Problem");
  EXPECT_EQ(java.entry_for("interface Shape {}"), "Main");
}

// A language's minimums raise only limits the caller left at their defaults; a limit the
// caller chose is never changed silently: it is honoured as asked.
TEST(Registry, RunLimitsRaiseDefaultsButNeverChangeWhatTheCallerChose) {
  const auto& java = Registry::builtin().find("java");
  Limits defaults;
  EXPECT_GE(java.run_limits(defaults).processes, 128u);
  EXPECT_GE(java.run_limits(defaults).cpu_seconds, 4.0);
  Limits l;
  l.processes = 1000;
  EXPECT_EQ(java.run_limits(l).processes, 1000u);
  Limits tight;
  tight.cpu_seconds = 0.1;
  tight.wall_seconds = 0.1;
  EXPECT_DOUBLE_EQ(java.run_limits(tight).cpu_seconds, 0.1);
  EXPECT_DOUBLE_EQ(java.run_limits(tight).wall_seconds, 0.1);
  Limits few;
  few.processes = 8;
  EXPECT_EQ(java.run_limits(few).processes, 8u) << "a caller's choice is honoured";
}

struct BadRegistry {
  const char* json;
  const char* mentions;
};

// A language "like" another takes its toolchain, environment and limits, not its identity or
// detection; its own keys replace the inherited ones and null drops one.
TEST(Registry, ALanguageLikeAnotherInheritsAllButWhatNamesAndDetectsIt) {
  auto r = Registry::parse(R"({"languages": [
      {"name": "base", "aliases": ["b"], "extensions": [".b"], "source_file": "main.b",
       "run": ["/bin/base", "{source}"], "env": ["A=1"], "memory_error_patterns": ["OOM"],
       "analysis": {"tool": "lint", "argv": ["/bin/lint", "{source}"]},
       "detect": {"shebang": ["base"], "patterns": [["\\bbase\\b", 5]]}},
      {"name": "mode", "like": "base", "run": ["/bin/mode", "{source}"], "analysis": null}]})");
  const Language& mode = r.find("mode");
  EXPECT_EQ(mode.source_file, "main.b");
  EXPECT_EQ(mode.run, (std::vector<std::string>{"/bin/mode", "{source}"}));
  EXPECT_EQ(mode.env, (std::vector<std::string>{"A=1"}));
  EXPECT_EQ(mode.memory_error_patterns, (std::vector<std::string>{"OOM"}));
  EXPECT_TRUE(mode.analysis_tool.empty()) << "null drops the inherited analysis";
  EXPECT_TRUE(mode.aliases.empty());
  EXPECT_TRUE(mode.extensions.empty());
  EXPECT_TRUE(mode.shebang_words.empty());
  EXPECT_EQ(r.find("b").name, "base");
  EXPECT_EQ(r.find("base").analysis_tool, "lint");
}

TEST(Registry, TheBuiltinTestRunnerModesKeepTheirLanguagesEnvironment) {
  const auto& r = Registry::builtin();
  EXPECT_EQ(r.find("pytest").env, r.find("python3").env);
  EXPECT_EQ(r.find("go_test").env, r.find("go").env);
  EXPECT_EQ(r.find("junit").extra_ro_paths, r.find("java").extra_ro_paths);
  EXPECT_EQ(r.find("typescript").memory_error_patterns, r.find("javascript").memory_error_patterns);
  EXPECT_NE(r.find("junit").run, r.find("java").run);
}

TEST(Registry, MalformedDocumentsNameTheProblem) {
  std::vector<BadRegistry> cases = {
      {"not json", "not valid JSON"},
      {R"({"langs": []})", "'languages'"},
      {R"({"languages": [{"name": "x", "source_file": "a"}]})", "language 'x'"},
      {R"({"languages": [{"name": "x", "source_file": "a", "run": []}]})", "run must not be empty"},
      {R"({"languages": [{"name": "x", "source_file": "a", "run": ["rel/path"]}]})",
       "absolute path"},
      {R"({"languages": [{"name": "x", "source_file": "a", "run": ["/bin/x"], "min_limits": {"cpus": 2}}]})",
       "cpus"},
      {R"({"languages": [{"name": "x", "source_file": "a", "run": ["/bin/x"], "detect": {"patterns": [["(", 1]]}}]})",
       "bad regex"},
      {R"({"languages": [{"name": "y", "like": "x"}, {"name": "x", "source_file": "a", "run": ["/bin/x"]}]})",
       "'x' names no language declared before it"},
      {R"({"languages": [{"name": "x", "source_file": "a", "run": ["/bin/x"]}, {"name": "y", "like": 3}]})",
       "languages[1].like must be a language name"},
      {R"({"languages": [{"name": "x", "source_file": "a", "run": ["/bin/x"], "compile": {"argv": ["/bin/c"], "syntax_error_in_run": {"exit_code": 1, "last_line_prefixes": []}}}]})",
       "syntax_error_in_run.last_line_prefixes must not be empty"},
      {R"({"languages": [{"name": "x", "source_file": "a", "run": ["/bin/x"], "compile": {"argv": ["/bin/c"], "syntax_error_in_run": {"last_line_prefixes": ["E:"]}}}]})",
       "language 'x'"},
      {R"({"languages": [{"name": "x", "source_file": "a", "run": ["/bin/x"], "runner_report": {"from_end": 0, "prefix": "P"}}]})",
       "runner_report.from_end must be 1 to 8"},
      {R"({"languages": [{"name": "x", "source_file": "a", "run": ["/bin/x"], "runner_report": {"from_end": 2}}]})",
       "runner_report needs a prefix or a contains"},
      {R"({"languages": [{"name": "x", "source_file": "a", "run": ["/bin/x"], "program_end": {"append": "echo done"}}]})",
       "program_end never prints {marker}"},
      {R"({"languages": [{"name": "x", "source_file": "a", "run": ["/bin/x"], "program_end": {"replace_first": [["", "{marker}"]]}}]})",
       "program_end.replace_first must hold pairs of strings, the first not empty"},
      {R"({"languages": [{"name": "x", "source_file": "a", "run": ["/bin/x"], "program_end": {"replace_first": ["main(", "{marker}"]}}]})",
       "program_end.replace_first must hold pairs"},
      {R"({"languages": [{"name": "x", "source_file": "a", "run": ["/bin/x"], "extra_ro_paths": ["etc/x"]}]})",
       "extra_ro_paths: 'etc/x' must be an absolute path below / without .."},
      {R"({"languages": [{"name": "x", "source_file": "a", "run": ["/bin/x"], "extra_ro_paths": ["/etc/../root"]}]})",
       "'/etc/../root' must be an absolute path"},
      {R"({"languages": [{"name": "x", "source_file": "a", "run": ["/bin/x"], "extra_ro_paths": ["/a", "/b", "/c", "/d", "/e"]}]})",
       "extra_ro_paths may name at most 4 paths"},
  };
  for (const auto& c : cases) {
    try {
      Registry::parse(c.json);
      ADD_FAILURE() << "accepted: " << c.json;
    } catch (const InvalidRequest& e) {
      EXPECT_NE(std::string(e.what()).find(c.mentions), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace crucible::sandbox::languages
