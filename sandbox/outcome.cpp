#include "sandbox/outcome.hpp"

#include <nlohmann/json.hpp>

#include "base/base64.hpp"
#include "base/error.hpp"

namespace crucible::sandbox {
namespace {

constexpr const char* kNames[] = {"Accepted",     "WrongAnswer",       "CompileError",
                                  "RuntimeError", "TimeLimit",         "MemoryLimit",
                                  "OutputLimit",  "SecurityViolation", "SandboxError"};

}  // namespace

const char* verdict_name(Verdict v) {
  return kNames[static_cast<int>(v)];
}

Verdict verdict_from_name(const std::string& name) {
  for (size_t i = 0; i < std::size(kNames); ++i)
    if (name == kNames[i]) return static_cast<Verdict>(i);
  throw InvalidRequest("unknown verdict '" + name + "'");
}

void to_json(nlohmann::json& j, const Outcome& o) {
  j = nlohmann::json{
      {"verdict", verdict_name(o.verdict)},
      {"reason", o.reason},
      {"message", o.message},
      {"exit_code", o.exit_code ? nlohmann::json(*o.exit_code) : nlohmann::json(nullptr)},
      {"signal", o.signal ? nlohmann::json(*o.signal) : nlohmann::json(nullptr)},
      {"cpu_seconds", o.cpu_seconds},
      {"wall_seconds", o.wall_seconds},
      {"peak_memory_bytes", o.peak_memory_bytes},
      {"stdout", o.stdout_data},
      {"stderr", o.stderr_data},
      {"stdout_truncated", o.stdout_truncated},
      {"stderr_truncated", o.stderr_truncated},
      {"language", o.language},
      {"compile_output", o.compile_output},
      {"compile_cached", o.compile_cached},
  };
  // Contents as base64: a program may leave any bytes in a file.
  if (!o.files.empty()) {
    nlohmann::json files = nlohmann::json::object();
    for (const auto& f : o.files)
      files[f.name] = f.error.empty() ? nlohmann::json{{"base64", base64_encode(f.content)}}
                                      : nlohmann::json{{"error", f.error}};
    j["fetched"] = std::move(files);
  }
}

}  // namespace crucible::sandbox
