// Turns the jail's raw facts into a verdict. Pure functions, tested without running
// anything. The order of the checks is the contract: a sandbox error beats everything,
// then output, memory, CPU, wall time, seccomp, file size, and finally the exit status.
#pragma once

#include <optional>

#include "sandbox/jail/spec.hpp"
#include "sandbox/languages/registry.hpp"
#include "sandbox/outcome.hpp"

namespace crucible::sandbox {

// A program's run. `language` may be null (raw jail runs).
Outcome classify_run(const jail::JailReport& report, const Limits& limits,
                     const languages::Language* language);

// A run of a source whose syntax was not checked ahead: its CompileError when the run shows
// `rule`'s syntax error (the outcome classify_compile gives the checker's), else nullopt.
std::optional<Outcome> syntax_error_of_run(const jail::JailReport& report,
                                           const languages::SyntaxErrorInRun& rule);

// A compile (or syntax-check) step: Accepted when it succeeded, CompileError when the
// compiler rejected the source or ran out of its limits, SandboxError when the jail failed.
Outcome classify_compile(const jail::JailReport& report);

}  // namespace crucible::sandbox
