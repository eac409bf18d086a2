// The helper prepares each jail before its request arrives (supervisor.hpp: ParkedJail):
// what a request brings (its box) must still be what its run sees, a box only the host's
// root may reach must still be bound, and ending the client must end the parked jail too.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "base/files.hpp"
#include "sandbox/jail/client.hpp"
#include "sandbox/jail/jail.hpp"

namespace crucible::testing {
namespace {

namespace fs = std::filesystem;
using sandbox::jail::JailClient;
using sandbox::jail::JailSpec;

std::string cat_in_jail(JailClient& jail, const fs::path& box) {
  JailSpec spec;
  spec.argv = {"/bin/cat", "/box/f"};
  spec.env = {"PATH=/usr/bin:/bin"};
  spec.box_dir = box;
  auto r = jail.run(spec);
  EXPECT_TRUE(r.setup_error.empty()) << r.setup_error;
  return r.stdout_data;
}

fs::path make_box(const fs::path& parent, const std::string& content) {
  fs::path box = parent / "box";
  fs::create_directory(box);
  ::chmod(box.c_str(), 0755);
  std::ofstream(box / "f") << content;
  ::chmod((box / "f").c_str(), 0644);
  return box;
}

std::optional<pid_t> parent_of(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("PPid:", 0) == 0) return std::stoi(line.substr(5));
  return std::nullopt;
}

std::string name_of(pid_t pid) {
  std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  std::getline(comm, name);
  return name;
}

// The parked inits of `helper`'s prepared jails: children of the helper's children.
std::vector<pid_t> parked_inits_of(pid_t helper) {
  std::vector<pid_t> out;
  for (const auto& e : fs::directory_iterator("/proc")) {
    std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    pid_t pid = std::stoi(name);
    if (name_of(pid) != sandbox::jail::kParkedInitName) continue;
    auto supervisor = parent_of(pid);
    if (supervisor && parent_of(*supervisor) == helper) out.push_back(pid);
  }
  return out;
}

std::optional<pid_t> parked_init_of(pid_t helper) {
  auto all = parked_inits_of(helper);
  if (all.empty()) return std::nullopt;
  return all.front();
}

// Waits up to `ms` for `helper` to hold `count` prepared jails; the count it saw last.
size_t await_parked(pid_t helper, size_t count, int ms) {
  size_t seen = parked_inits_of(helper).size();
  for (int waited = 0; waited < ms && seen != count; waited += 10) {
    ::usleep(10'000);
    seen = parked_inits_of(helper).size();
  }
  return seen;
}

TEST(ParkedJail, EachRunSeesTheBoxItsRequestBrought) {
  JailClient jail;
  for (const char* content : {"first", "second", "third"}) {
    TempDir dir(temp_root(), "crucible-parked-");
    ::chmod(dir.path().c_str(), 0755);
    // The box is made after the jail that runs it was prepared.
    EXPECT_EQ(cat_in_jail(jail, make_box(dir.path(), content)), content);
  }
}

TEST(ParkedJail, ABoxUnderADirectoryOnlyTheHostRootEntersIsBound) {
  JailClient jail;
  TempDir dir(temp_root(), "crucible-parked-");
  ::chmod(dir.path().c_str(), 0700);  // init is not the host's root: the supervisor opens it
  EXPECT_EQ(cat_in_jail(jail, make_box(dir.path(), "private")), "private");
}

// A parked jail has no view of the host left: a request's extra read-only paths come as
// trees, a directory and a file each at its own path, read-only; a missing one is left out.
TEST(ParkedJail, ExtraReadOnlyPathsArriveWithTheRequest) {
  JailClient jail;
  TempDir dir(temp_root(), "crucible-parked-");
  ::chmod(dir.path().c_str(), 0755);
  fs::path extra_dir = dir.path() / "conf";
  fs::create_directory(extra_dir);
  ::chmod(extra_dir.c_str(), 0755);
  std::ofstream(extra_dir / "a.conf") << "from a dir";
  ::chmod((extra_dir / "a.conf").c_str(), 0644);
  fs::path extra_file = dir.path() / "single.conf";
  std::ofstream(extra_file) << "from a file";
  ::chmod(extra_file.c_str(), 0644);
  JailSpec spec;
  spec.argv = {"/bin/sh", "-c",
               "cat " + (extra_dir / "a.conf").string() + "; echo; cat " + extra_file.string() +
                   "; echo; touch " + (extra_dir / "new").string() +
                   " 2>/dev/null || echo read-only; ls /.host 2>/dev/null || echo no-host; "
                   "ls /nonexistent-extra 2>/dev/null || echo missing-left-out"};
  spec.env = {"PATH=/usr/bin:/bin"};
  spec.box_dir = make_box(dir.path(), "");
  spec.extra_ro_paths = {extra_dir.string(), extra_file.string(), "/nonexistent-extra"};
  auto r = jail.run(spec);
  ASSERT_TRUE(r.setup_error.empty()) << r.setup_error;
  EXPECT_EQ(r.stdout_data, "from a dir\nfrom a file\nread-only\nno-host\nmissing-left-out\n")
      << r.stderr_data;
}

TEST(ParkedJail, AMissingBoxIsASetupErrorNamingIt) {
  JailClient jail;
  JailSpec spec;
  spec.argv = {"/bin/true"};
  spec.box_dir = "/nonexistent/crucible-box";
  auto r = jail.run(spec);
  EXPECT_NE(r.setup_error.find("/nonexistent/crucible-box"), std::string::npos) << r.setup_error;
  // The next request gets a fresh jail.
  TempDir dir(temp_root(), "crucible-parked-");
  ::chmod(dir.path().c_str(), 0755);
  EXPECT_EQ(cat_in_jail(jail, make_box(dir.path(), "after")), "after");
}

TEST(ParkedJail, EndingTheClientEndsItsParkedJail) {
  std::optional<pid_t> init;
  {
    JailClient jail;
    TempDir dir(temp_root(), "crucible-parked-");
    ::chmod(dir.path().c_str(), 0755);
    EXPECT_EQ(cat_in_jail(jail, make_box(dir.path(), "x")), "x");
    for (int attempt = 0; attempt < 500 && !init; ++attempt) {
      init = parked_init_of(jail.helper_pid());
      if (!init) ::usleep(10'000);
    }
    ASSERT_TRUE(init) << "no jail was prepared for the next request";
  }
  EXPECT_FALSE(fs::exists("/proc/" + std::to_string(*init)))
      << "the parked jail outlived its helper";
}

// Jails are prepared between runs, not during them: preparing one competes with the run
// for the CPU and the kernel. Two are kept, so the next request finds one ready even when it
// follows its answer at once.
TEST(ParkedJail, JailsArePreparedBetweenRunsNotDuringThem) {
  JailClient jail;
  TempDir dir(temp_root(), "crucible-parked-");
  ::chmod(dir.path().c_str(), 0755);
  EXPECT_EQ(cat_in_jail(jail, make_box(dir.path(), "x")), "x");
  ASSERT_EQ(await_parked(jail.helper_pid(), 2, 5000), 2u) << "two jails were not prepared";

  std::thread run([&] {
    JailSpec spec;
    spec.argv = {"/bin/sleep", "1"};
    spec.box_dir = dir.path() / "box";
    auto r = jail.run(spec);
    EXPECT_TRUE(r.setup_error.empty()) << r.setup_error;
  });
  ::usleep(500'000);  // the run is under way; a jail prepared now would be ready by far
  EXPECT_EQ(parked_inits_of(jail.helper_pid()).size(), 1u)
      << "a jail was prepared while a run executed";
  run.join();
  EXPECT_EQ(await_parked(jail.helper_pid(), 2, 5000), 2u) << "the used jail was not replaced";
}

// A client's last request (a one-shot command such as `crucible run`): no jail is prepared
// after it, and a request that comes anyway still runs, in a jail made for it.
TEST(ParkedJail, NoJailIsPreparedAfterAClientsLastRequest) {
  JailClient jail;
  TempDir first(temp_root(), "crucible-parked-"), second(temp_root(), "crucible-parked-");
  ::chmod(first.path().c_str(), 0755);
  ::chmod(second.path().c_str(), 0755);
  jail.last_request_next();
  EXPECT_EQ(cat_in_jail(jail, make_box(first.path(), "last")), "last");
  // After an ordinary request one appears within milliseconds (the test above).
  bool prepared = false;
  for (int attempt = 0; attempt < 50 && !prepared; ++attempt) {
    prepared = parked_init_of(jail.helper_pid()).has_value();
    if (!prepared) ::usleep(10'000);
  }
  EXPECT_FALSE(prepared) << "a jail was prepared after the client's last request";
  EXPECT_EQ(cat_in_jail(jail, make_box(second.path(), "after")), "after");
}

}  // namespace
}  // namespace crucible::testing

namespace crucible::testing {
namespace {

// The line of /proc/PID/cgroup for a v1 controller ("" when there is none: cgroup v2).
std::string v1_group_of(const std::string& pid, const std::string& controller) {
  std::ifstream in("/proc/" + pid + "/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    auto a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    if (("," + line.substr(a + 1, b - a - 1) + ",").find("," + controller + ",") !=
        std::string::npos)
      return line.substr(b + 1);
  }
  return "";
}

// On cgroup v1 the jail's init is born in its run's group (its supervisor steps in to clone
// it and out again) instead of being moved there, which waited out an RCU grace period. The
// program is in the group in every hierarchy, and the supervisors never stay in one: a run's
// kill would take them with it.
TEST(ParkedJail, InitIsBornInTheRunsGroupAndTheSupervisorsStayOut) {
  if (v1_group_of("self", "memory").empty()) GTEST_SKIP() << "cgroup v1 only";
  JailClient jail;
  TempDir dir(temp_root(), "crucible-parked-");
  ::chmod(dir.path().c_str(), 0755);
  JailSpec spec;
  spec.argv = {"/bin/cat", "/proc/self/cgroup"};
  spec.box_dir = make_box(dir.path(), "");
  auto r = jail.run(spec);
  ASSERT_TRUE(r.setup_error.empty()) << r.setup_error;
  // Inside, the run's groups are the root of its cgroup namespace, which init made once it
  // was in them; from outside, each parked init is in its slot and its supervisor is not.
  for (const char* controller : {"memory", "pids", "cpuacct"}) {
    bool at_root = false;
    std::istringstream lines(r.stdout_data);
    for (std::string line; std::getline(lines, line);)
      if (line.find(controller) != std::string::npos) at_root = line.ends_with(":/");
    EXPECT_TRUE(at_root) << controller << ": " << r.stdout_data;
  }
  const std::string helper = "/crucible-" + std::to_string(jail.helper_pid()) + "/slot-";
  ASSERT_EQ(await_parked(jail.helper_pid(), 2, 5000), 2u);
  for (pid_t init : parked_inits_of(jail.helper_pid())) {
    const std::string supervisor = std::to_string(*parent_of(init));
    for (const char* controller : {"memory", "pids", "cpuacct"}) {
      EXPECT_NE(v1_group_of(std::to_string(init), controller).find(helper), std::string::npos)
          << "a parked init outside its group (" << controller << ")";
      EXPECT_EQ(v1_group_of(supervisor, controller).find("/slot-"), std::string::npos)
          << "a supervisor left in its run's group (" << controller << ")";
    }
  }
}

}  // namespace
}  // namespace crucible::testing
