// The system-call filter as data: one row per rule and the threat it answers.
// Everything not listed is allowed; a "kill" row ends the whole process with SIGSYS,
// which the verdict reports as SecurityViolation. "errno" rows fail the call instead, for
// calls that runtimes make innocently at start-up (the JVM probes AF_INET sockets, libuv
// probes io_uring): the program sees an error, never the resource.
#pragma once

#include <linux/filter.h>
#include <seccomp.h>

#include <string>
#include <vector>

namespace crucible::sandbox::jail {

enum class SeccompAction { Kill, ErrnoNoSys, ErrnoAccess };

struct SeccompRule {
  const char* syscall = "";
  SeccompAction action = SeccompAction::Kill;
  // Optional argument test: the rule fires only when `arg` compares as given.
  bool has_arg = false;
  unsigned arg = 0;
  scmp_compare op = SCMP_CMP_EQ;
  unsigned long long value = 0;
  unsigned long long mask = 0;  // for SCMP_CMP_MASKED_EQ
  // With op SCMP_CMP_NE: further values the argument must also differ from (a list of
  // allowed values: the rule fires on anything else).
  std::vector<unsigned long long> also_ne;
  const char* threat = "";
};

const std::vector<SeccompRule>& seccomp_table();

// Builds the filter from the table; the caller loads it with seccomp_load() and frees it
// with seccomp_release(). Throws SandboxFailure if libseccomp refuses a rule.
scmp_filter_ctx build_seccomp_filter();

// The same filter compiled once to a BPF program, so each run only installs it (libseccomp
// would otherwise regenerate the program in every child).
std::vector<sock_filter> compile_seccomp_program();

// Installs a compiled program in the calling process (no_new_privs must already be set).
// Returns 0 or an errno value.
int install_seccomp_program(const sock_fprog& program);

}  // namespace crucible::sandbox::jail
