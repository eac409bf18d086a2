// What the jail is asked to run (JailSpec) and what it measured (JailReport).
//
// One spec may hold several inputs: the program then runs once per input inside the same
// namespaces (the judge's tests), each run with a fresh /work and /tmp, its input as stdin,
// and its own measurements. A run that hits a limit ends the jail; the reports then stop
// there and the caller resumes with the remaining inputs.
//
// The report holds raw facts only (exit status, times, memory, which limit fired);
// turning them into a Verdict is classify.hpp's job, a pure function tested on its own.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "sandbox/fetched_file.hpp"
#include "sandbox/limits.hpp"

namespace crucible::sandbox::jail {

// A request's detached trees (box, data and the extra read-only paths) travel to init in one
// message of at most kMaxPassedFds descriptors (fd_passing.hpp).
inline constexpr size_t kMaxExtraRoPaths = 4;

struct JailSpec {
  std::vector<std::string> argv;  // argv[0] is an absolute path inside the jail
  std::vector<std::string> env;   // "KEY=VALUE"; nothing else is inherited
  std::string box_dir;            // host directory bound at /box
  bool box_writable = false;      // compile steps write their artifacts there
  // Host paths also bound read-only (per language): absolute, at most kMaxExtraRoPaths.
  std::vector<std::string> extra_ro_paths;
  std::string data_dir;  // optional host directory bound read-only at /data
  // Files written into /work before the program starts (relative names, no ".."), so
  // requests can ship inputs; they count against the memory and file-size limits.
  std::vector<std::pair<std::string, std::string>> work_files;
  std::string cwd = "/work";  // a private tmpfs
  // Files of /work read back after each run that ended by itself (jail/fetch.hpp).
  std::vector<std::string> fetch_files;
  Limits limits;
  // One run per input (its stdin; it counts against the memory limit). Empty: one run
  // with empty stdin.
  std::vector<std::string> inputs;
};

struct JailReport {
  std::string setup_error;  // non-empty: the sandbox failed, the program did not run
  bool exited = false;      // true: exit_code is valid; false: term_signal is
  int exit_code = 0;
  int term_signal = 0;
  double cpu_seconds = 0;   // whole tree, from the cgroup
  double wall_seconds = 0;  // from the program's start to its exit
  uint64_t peak_memory_bytes = 0;
  uint64_t oom_kills = 0;        // OOM kills in the run's memory cgroup: the evidence for MLE
  bool cpu_exceeded = false;     // the supervisor killed the tree for CPU time
  bool wall_exceeded = false;    // ... for wall time
  bool stdout_exceeded = false;  // ... for output
  bool stderr_exceeded = false;
  std::string stdout_data;
  std::string stderr_data;
  std::vector<FetchedFile> fetched;  // one per JailSpec::fetch_files name, in order
};

// Header fields (everything but stdin/stdout/stderr bytes and work files' contents, which
// travel as raw blobs: spec_header_from_json leaves the contents empty).
void spec_header_to_json(nlohmann::json& j, const JailSpec& s);
void spec_header_from_json(const nlohmann::json& j, JailSpec& s);
void report_header_to_json(nlohmann::json& j, const JailReport& r);
void report_header_from_json(const nlohmann::json& j, JailReport& r);

}  // namespace crucible::sandbox::jail
