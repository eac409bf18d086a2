// Host checks for `crucible doctor`: can this machine run the jail, and which language
// toolchains work inside it. Each check says what is wrong and the fix.
#pragma once

#include <string>
#include <vector>

namespace crucible::sandbox {

struct Check {
  std::string name;
  bool ok = false;
  std::string detail;  // what was found
  std::string fix;     // what to do when not ok
};

// Kernel features: user/pid/net/mount/ipc/uts namespaces, a /proc mount in a new pid
// namespace, seccomp, cgroups.
std::vector<Check> check_host();
// The host accounts (/etc/passwd lines) and subordinate uid ranges (/etc/subuid lines) that
// hold a uid the jail gives its runs' inits and programs (jail/identity.hpp), each as
// "NAME (uid N)" or "NAME's subordinate uids A-B". Malformed lines are skipped.
std::vector<std::string> users_of_jail_uids(const std::string& passwd, const std::string& subuid);
// Each registered language's toolchain, run inside the jail (needs a working host); with
// `only` non-empty, just those languages (an unknown name is a failed check naming it).
std::vector<Check> check_languages(const std::vector<std::string>& only = {});

}  // namespace crucible::sandbox
