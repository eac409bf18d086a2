// The sandbox's library API: run untrusted code in any registered language and get a
// precise verdict. Compile once (prepare), run many times (execute); run() does both.
//
//   crucible::sandbox::Sandbox sb;
//   Outcome o = sb.run({.language = "auto", .source = "print(input())", .stdin_data = "hi\n"});
//   o.verdict == Verdict::Accepted && o.stdout_data == "hi\n";
//
// Thread-safe: call from many threads; each run is its own jail.
#pragma once

#include <memory>
#include <string>

#include "sandbox/jail/client.hpp"
#include "sandbox/judge/compile_cache.hpp"
#include "sandbox/languages/registry.hpp"
#include "sandbox/limits.hpp"
#include "sandbox/outcome.hpp"

namespace crucible::sandbox {

struct RunRequest {
  std::string language = "auto";  // a name, an alias, or "auto"
  std::string source;
  std::string filename;  // optional: its extension helps "auto"
  std::string stdin_data;
  Limits limits;
};

// A submission ready to execute: compiled (or syntax-checked) and cached.
struct Program {
  const languages::Language* language = nullptr;
  std::string box_dir;  // the cached build, bound read-only at /box
  std::string entry;    // e.g. Java's main class
  Outcome compile;      // Accepted, CompileError or SandboxError
  // The syntax check was left to the runs (SyntaxCheck::InFirstRun): a run that shows a
  // syntax error comes back as that CompileError.
  bool syntax_checked_by_runs = false;
  bool ok() const { return compile.verdict == Verdict::Accepted; }
};

// Extra pieces for one execution (used by checkers): arguments appended to the language's
// run argv, and a host directory bound read-only at /data inside the jail.
struct ExecuteOptions {
  std::vector<std::string> extra_args;
  std::string data_dir;
  std::vector<std::pair<std::string, std::string>> work_files;  // written into /work first
  // Files to send back after the run (Outcome::files): relative to /work, or absolute under
  // a scratch place (/work, /tmp, /dev/shm, /mnt); at most kMaxFetchFiles names, their contents at
  // most the output limit.
  std::vector<std::string> fetch_files;
};

inline constexpr size_t kMaxFetchFiles = 64;
// Bounds of what an execution's names and arguments may add to the jail's request header
// (their contents are not counted: they travel apart). An argument above the kernel's
// MAX_ARG_STRLEN could not be passed to exec at all.
inline constexpr size_t kMaxWorkFiles = 4096;
inline constexpr size_t kMaxArgBytes = 128 * 1024 - 1;
inline constexpr size_t kMaxArgsTotalBytes = 256 * 1024;

struct SandboxOptions {
  std::string helper_path;  // empty: find crucible-jail (see JailClient)
  std::string cache_dir;    // empty: see CompileCache
  size_t cache_entries = 2048;
  // A one-shot caller (a CLI command that makes one Sandbox::run): its requests come one at a
  // time, each served in the helper's own process, and its run's request is marked the last,
  // so the helper prepares no jail after it (see JailClient).
  bool single_run = false;
};

class Sandbox {
 public:
  explicit Sandbox(SandboxOptions options = {});

  // Resolves the language (detecting it for "auto") and compiles through the cache.
  // Throws InvalidRequest for an unknown language or an oversized source.
  // With SyntaxCheck::InFirstRun, a language whose compile step only checks syntax and whose
  // runs show a syntax error themselves (Language::syntax_error_in_run: Python) skips that
  // step: one jail run fewer for a new source; the run reports the CompileError instead.
  enum class SyntaxCheck { Ahead, InFirstRun };
  Program prepare(const std::string& language, const std::string& source,
                  const std::string& filename = "", SyntaxCheck check = SyntaxCheck::Ahead);
  // Runs a prepared program; a failed compile comes back as its compile outcome.
  Outcome execute(const Program& program, const std::string& stdin_data, const Limits& limits,
                  const ExecuteOptions& options = {});
  // Runs a prepared program once per input, all in one jail where possible (a run that
  // hits a limit ends its jail; the next input starts a fresh one). One outcome per input.
  std::vector<Outcome> execute_batch(const Program& program, const std::vector<std::string>& inputs,
                                     const Limits& limits, const ExecuteOptions& options = {});
  // The stdout of a trusted reference program on each input (expected outputs for generated
  // tests). Throws SandboxFailure naming the verdict unless every run was Accepted.
  std::vector<std::string> reference_outputs(const std::string& language, const std::string& source,
                                             const std::vector<std::string>& inputs,
                                             const Limits& limits = {});
  // prepare + execute. Validates the limits (InvalidRequest above a ceiling).
  Outcome run(const RunRequest& request);

  // Runs the language's version command in the jail (an empty box) and returns its
  // outcome; `doctor` and the service's runtime lists read the version from it.
  Outcome probe_version(const languages::Language& language);

  // Runs an arbitrary argv (an analysis tool, say) over a prepared program's box.
  Outcome run_tool(const Program& program, const std::vector<std::string>& argv,
                   const Limits& limits);

  jail::JailClient& jail() { return jail_; }
  const languages::Registry& registry() const { return registry_; }
  const judge::CompileCache& cache() const { return cache_; }

 private:
  Outcome compile(const languages::Language& lang, const std::string& source,
                  const std::string& entry, const std::string& key, std::string& box_dir,
                  bool check_syntax);

  // First: the helper starts before anything else is set up, so its own start (~7 ms) and
  // the first jail it prepares overlap the caller's.
  jail::JailClient jail_;
  const languages::Registry& registry_;
  const bool single_run_;
  judge::CompileCache cache_;
};

// Largest accepted source, in bytes.
inline constexpr size_t kMaxSourceBytes = 1 << 20;

}  // namespace crucible::sandbox
