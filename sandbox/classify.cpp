#include "sandbox/classify.hpp"

#include <signal.h>

#include <cstring>
#include <string_view>

namespace crucible::sandbox {
namespace {

Outcome base_outcome(const jail::JailReport& r) {
  Outcome o;
  if (r.exited)
    o.exit_code = r.exit_code;
  else if (r.term_signal)
    o.signal = r.term_signal;
  o.cpu_seconds = r.cpu_seconds;
  o.wall_seconds = r.wall_seconds;
  o.peak_memory_bytes = r.peak_memory_bytes;
  o.stdout_data = r.stdout_data;
  o.stderr_data = r.stderr_data;
  o.stdout_truncated = r.stdout_exceeded;
  o.stderr_truncated = r.stderr_exceeded;
  return o;
}

void set(Outcome& o, Verdict v, const char* reason, std::string message) {
  o.verdict = v;
  o.reason = reason;
  o.message = std::move(message);
}

std::string signal_name(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

// The runner's report line (RunnerReport) among the last lines of stdout, read from the end:
// a bounded scan, whatever the output's size.
bool runner_reported(std::string_view out, const languages::RunnerReport& rule) {
  size_t seen = 0;
  while (!out.empty()) {
    size_t cut = out.rfind('\n');
    std::string_view line = cut == std::string_view::npos ? out : out.substr(cut + 1);
    out = cut == std::string_view::npos ? std::string_view() : out.substr(0, cut);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (++seen < rule.from_end) continue;
    if (!line.starts_with(rule.prefix) || line.find(rule.contains) == std::string_view::npos)
      return false;
    for (const auto& bad : rule.excludes)
      if (line.find(bad) != std::string_view::npos) return false;
    return true;
  }
  return false;
}

}  // namespace

Outcome classify_run(const jail::JailReport& r, const Limits& limits,
                     const languages::Language* language) {
  Outcome o = base_outcome(r);
  if (!r.setup_error.empty()) {
    set(o, Verdict::SandboxError, "sandbox", r.setup_error);
  } else if (r.stdout_exceeded) {
    set(o, Verdict::OutputLimit, "stdout",
        "stdout exceeded " + std::to_string(limits.output_bytes) + " bytes");
  } else if (r.stderr_exceeded) {
    set(o, Verdict::OutputLimit, "stderr",
        "stderr exceeded " + std::to_string(limits.output_bytes) + " bytes");
  } else if (r.oom_kills > 0) {
    set(o, Verdict::MemoryLimit, "oom",
        "killed by the OOM killer at the memory limit of " + std::to_string(limits.memory_bytes) +
            " bytes");
  } else if (r.cpu_exceeded || (!r.exited && r.term_signal == SIGXCPU) ||
             (!r.exited && r.term_signal == SIGKILL && r.cpu_seconds > limits.cpu_seconds)) {
    set(o, Verdict::TimeLimit, "cpu",
        "CPU time exceeded " + std::to_string(limits.cpu_seconds) + " s");
  } else if (r.wall_exceeded) {
    set(o, Verdict::TimeLimit, "wall",
        "wall time exceeded " + std::to_string(limits.wall_seconds) + " s");
  } else if (!r.exited && r.term_signal == SIGSYS) {
    set(o, Verdict::SecurityViolation, "seccomp", "a forbidden system call was blocked (seccomp)");
  } else if (!r.exited && r.term_signal == SIGXFSZ) {
    set(o, Verdict::OutputLimit, "file_size",
        "a file exceeded the size limit of " + std::to_string(limits.file_size_bytes) + " bytes");
  } else if (r.exited && r.exit_code == 0 && language && language->runner_report &&
             !runner_reported(r.stdout_data, *language->runner_report)) {
    set(o, Verdict::RuntimeError, "runner_incomplete",
        "exited with code 0, but the test runner never reported that its tests ran to the end "
        "(the process was ended early)");
  } else if (r.exited && r.exit_code == 0) {
    set(o, Verdict::Accepted, "ok", "exited normally");
  } else {
    // A runtime that caught its own allocation failure (JVM heap, Python MemoryError).
    if (language)
      for (const auto& pattern : language->memory_error_patterns)
        if (r.stderr_data.find(pattern) != std::string::npos) {
          set(o, Verdict::MemoryLimit, "runtime_oom", "the runtime ran out of memory: " + pattern);
          return o;
        }
    if (r.exited)
      set(o, Verdict::RuntimeError, "exit_code", "exited with code " + std::to_string(r.exit_code));
    else
      set(o, Verdict::RuntimeError, "signal", "killed by " + signal_name(r.term_signal));
  }
  return o;
}

std::optional<Outcome> syntax_error_of_run(const jail::JailReport& r,
                                           const languages::SyntaxErrorInRun& rule) {
  if (!r.setup_error.empty() || !r.exited || r.exit_code != rule.exit_code || r.stdout_exceeded ||
      r.stderr_exceeded)
    return std::nullopt;
  if (!rule.unless.empty() && r.stderr_data.find(rule.unless) != std::string::npos)
    return std::nullopt;
  std::string_view err = r.stderr_data;
  while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.remove_suffix(1);
  std::string_view last =
      err.substr(err.rfind('\n') == std::string_view::npos ? 0 : err.rfind('\n') + 1);
  for (const auto& prefix : rule.last_line_prefixes)
    if (last.starts_with(prefix)) return classify_compile(r);
  return std::nullopt;
}

Outcome classify_compile(const jail::JailReport& r) {
  Outcome o = base_outcome(r);
  o.compile_output = r.stdout_data + r.stderr_data;
  if (!r.setup_error.empty())
    set(o, Verdict::SandboxError, "sandbox", r.setup_error);
  else if (r.exited && r.exit_code == 0)
    set(o, Verdict::Accepted, "ok", "compiled");
  else if (r.cpu_exceeded || r.wall_exceeded)
    set(o, Verdict::CompileError, "compile_time", "the compiler ran out of time");
  else if (r.oom_kills > 0)
    set(o, Verdict::CompileError, "compile_memory", "the compiler ran out of memory");
  else if (!r.exited && r.term_signal == SIGSYS)
    set(o, Verdict::SecurityViolation, "seccomp",
        "a forbidden system call was blocked during the compile step");
  else if (r.stdout_exceeded || r.stderr_exceeded)
    set(o, Verdict::CompileError, "compile_output", "the compiler's output exceeded the limit");
  else
    set(o, Verdict::CompileError, "compile", "the source does not compile");
  return o;
}

}  // namespace crucible::sandbox
