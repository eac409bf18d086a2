// crucible doctor's checks on this host and on a host whose /proc is partly covered, as in a
// container with masked /proc paths: there every namespace can be created but the jail cannot
// mount its /proc, and the doctor must say so, not blame the toolchains.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "sandbox/doctor.hpp"

namespace crucible::sandbox {
namespace {

const Check* find_check(const std::vector<Check>& checks, const std::string& name) {
  auto it =
      std::find_if(checks.begin(), checks.end(), [&](const Check& c) { return c.name == name; });
  return it == checks.end() ? nullptr : &*it;
}

// The host check called `name` exists and passes on this machine.
void expect_host_check_passes(const std::string& name) {
  auto checks = check_host();
  const Check* check = find_check(checks, name);
  ASSERT_NE(check, nullptr) << name;
  EXPECT_TRUE(check->ok) << name << ": " << check->detail;
}

TEST(Doctor, ProcMountsInANewPidNamespaceOnThisHost) {
  expect_host_check_passes("proc in pid namespace");
}

// Each jail's user namespace belongs to its run's own uid here, never root (jail/identity.hpp).
TEST(Doctor, JailOwnedUserNamespacesOnThisHost) {
  expect_host_check_passes("user namespace owner");
}

// Each run's init and program have host uids of their own (jail/identity.hpp): none may be an
// account's, or in a container runtime's subordinate range.
TEST(Doctor, JailUidsAreNobodysOnThisHost) {
  expect_host_check_passes("jail uids");
}

TEST(Doctor, NamesAccountsAndSubordinateRangesThatHoldJailUids) {
  const std::string passwd =
      "root:x:0:0:root:/root:/bin/bash\n"
      "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
      "ghost:x:1879050000:100::/:/bin/false\n"  // a program's
      "broken line\n"
      "owner:x:1883242496:100::/:/bin/false\n"  // the first init's
      "edge:x:1887436800:100::/:/bin/false\n";  // just after the last init's
  const std::string subuid =
      "alice:100000:65536\n"
      "lxd:1000000:1000000000\n"  // 1000000-1000999999: below
      "wide:1879000000:100000\n"  // reaches into the range from below
      "tail:1887436790:20\n"      // overlaps its last ten
      "after:1887436800:10\n"
      "bad:x:10\n";
  auto users = users_of_jail_uids(passwd, subuid);
  ASSERT_EQ(users.size(), 4u);
  EXPECT_EQ(users[0], "ghost (uid 1879050000)");
  EXPECT_EQ(users[1], "owner (uid 1883242496)");
  EXPECT_EQ(users[2], "wide's subordinate uids 1879000000-1879099999");
  EXPECT_EQ(users[3], "tail's subordinate uids 1887436790-1887436809");
  EXPECT_TRUE(users_of_jail_uids("", "").empty());
}

// In a child with its own mount namespace, /proc/sys covered by a bind mount of itself (what
// Docker and bubblewrap do); the child prints what went wrong and exits non-zero.
int checks_under_a_covered_proc() {
  if (::unshare(CLONE_NEWNS) != 0 ||
      ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
      ::mount("/proc/sys", "/proc/sys", nullptr, MS_BIND, nullptr) != 0) {
    std::perror("setting up the covered /proc");
    return 10;
  }
  auto host = check_host();
  const Check* proc = find_check(host, "proc in pid namespace");
  if (!proc || proc->ok || proc->fix.find("unmasked") == std::string::npos) {
    std::fprintf(stderr, "proc check: %s\n", proc ? proc->detail.c_str() : "missing");
    return 11;
  }
  const Check* user = find_check(host, "user namespace");
  if (!user || !user->ok) {
    std::fprintf(stderr, "the user namespace check should still pass\n");
    return 12;
  }
  auto langs = check_languages({"python3"});
  if (langs.size() != 1 || langs[0].ok || langs[0].fix.find("apt-get") != std::string::npos ||
      langs[0].fix.find("host checks") == std::string::npos) {
    std::fprintf(stderr, "python3 check: %s / fix: %s\n",
                 langs.empty() ? "none" : langs[0].detail.c_str(),
                 langs.empty() ? "" : langs[0].fix.c_str());
    return 13;
  }
  return 0;
}

TEST(Doctor, ACoveredProcFailsTheProcCheckAndNoToolchainIsBlamed) {
  std::fflush(nullptr);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) ::_exit(checks_under_a_covered_proc());
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "see the child's message above";
}

}  // namespace
}  // namespace crucible::sandbox
