// The result of one sandboxed run: what happened to the program, measured by the jail.
//
// A SandboxError verdict is an error of the sandbox itself (with `message` saying why),
// never a fault of the program; every other verdict is about the program.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/fetched_file.hpp"

namespace crucible::sandbox {

enum class Verdict {
  Accepted,
  WrongAnswer,
  CompileError,
  RuntimeError,
  TimeLimit,
  MemoryLimit,
  OutputLimit,
  SecurityViolation,
  SandboxError,
};

// "Accepted", "WrongAnswer", ... as used in JSON.
const char* verdict_name(Verdict v);
// Inverse of verdict_name; throws InvalidRequest on an unknown name.
Verdict verdict_from_name(const std::string& name);

struct Outcome {
  Verdict verdict = Verdict::SandboxError;
  // Machine-readable cause: "ok", "exit_code", "signal", "cpu", "wall", "oom", "stdout",
  // "stderr", "file_size", "seccomp", "compile", "sandbox".
  std::string reason;
  std::string message;  // one human-readable sentence
  std::optional<int> exit_code;
  std::optional<int> signal;
  double cpu_seconds = 0;
  double wall_seconds = 0;
  uint64_t peak_memory_bytes = 0;
  std::string stdout_data;
  std::string stderr_data;
  bool stdout_truncated = false;
  bool stderr_truncated = false;
  std::string language;
  std::string compile_output;  // compiler diagnostics (empty for interpreted languages)
  bool compile_cached = false;
  std::vector<FetchedFile> files;  // ExecuteOptions::fetch_files, in order
};

void to_json(nlohmann::json& j, const Outcome& o);

}  // namespace crucible::sandbox
