// A client whose requests come one at a time (a one-shot command such as `crucible run`) has
// each served in the helper's own process: no supervisor is forked, and every run still gets
// a jail, a network namespace and a cgroup slot of its own, with nothing left after it.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "base/files.hpp"
#include "sandbox/jail/client.hpp"
#include "sandbox/jail/jail.hpp"
#include "sandbox/jail/protocol.hpp"
#include "tests/support/marked_processes.hpp"
#include "tests/support/sandbox_env.hpp"

extern char** environ;

// Its own namespace: a unity batch compiles it with other jail tests' helpers of the same names.
namespace crucible::testing::one_at_a_time_tests {
namespace {

namespace fs = std::filesystem;
using sandbox::jail::JailClient;
using sandbox::jail::JailSpec;

JailClient one_at_a_time() {
  return JailClient("", JailClient::Start::Now, JailClient::Requests::OneAtATime);
}

// A directory the jail's init may enter (it looks boxes up as an unprivileged uid).
struct OpenDir : TempDir {
  OpenDir() : TempDir(temp_root(), "crucible-serial-") { ::chmod(path().c_str(), 0755); }
};

fs::path make_box(const OpenDir& dir, const std::string& name, const std::string& content) {
  fs::path box = dir.path() / name;
  fs::create_directory(box);
  ::chmod(box.c_str(), 0755);
  std::ofstream(box / "f") << content;
  ::chmod((box / "f").c_str(), 0644);
  return box;
}

JailSpec shell(const fs::path& box, const std::string& script) {
  JailSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  spec.env = {"PATH=/usr/bin:/bin"};
  spec.box_dir = box;
  return spec;
}

std::string name_of(pid_t pid) {
  std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  std::getline(comm, name);
  return name;
}

// While a run goes on, the helper's one child is the jail's init (named once its request
// came), not a supervisor between them.
TEST(OneAtATime, TheHelperSupervisesItsRunItself) {
  OpenDir dir;
  JailClient jail = one_at_a_time();
  std::thread run([&] {
    auto r = jail.run(shell(make_box(dir, "box", ""), "sleep 1; echo done"));
    EXPECT_TRUE(r.setup_error.empty()) << r.setup_error;
    EXPECT_EQ(r.stdout_data, "done\n");
  });
  std::vector<pid_t> children;
  for (int attempt = 0; attempt < 80; ++attempt) {
    children = jail.helper_pid() > 0 ? children_of(jail.helper_pid()) : std::vector<pid_t>{};
    if (children.size() == 1 && name_of(children[0]) == sandbox::jail::kInitName) break;
    ::usleep(10'000);
  }
  ASSERT_EQ(children.size(), 1u) << "the helper forked more than the jail's init";
  EXPECT_EQ(name_of(children[0]), sandbox::jail::kInitName);
  run.join();
}

// The sockets of a run's network in TIME_WAIT (they outlive the processes that made them).
constexpr const char* kCountTimeWait =
    "print(sum(1 for line in open('/proc/net/tcp').readlines()[1:] if line.split()[3] == '06'))";

// Runs of one client follow each other; each sees its own box and gets a network of its own,
// not the host's, and what a run leaves in its network (a closed connection waiting out
// TIME_WAIT, which outlives every process) is not in the next run's. Namespace inode
// numbers are no proof: a freed namespace's number is given to the next one.
TEST(OneAtATime, EachRequestGetsItsOwnJailAndNetwork) {
  OpenDir dir;
  JailClient jail = one_at_a_time();
  const std::string host_net = fs::read_symlink("/proc/self/ns/net");
  auto python = [&](const std::string& box, const std::string& code) {
    JailSpec spec = shell(make_box(dir, box, box), "");
    spec.argv = {"/usr/bin/python3", "-c",
                 "import os\nprint(open('/box/f').read())\nprint(os.readlink('/proc/self/ns/"
                 "net'))\n" +
                     code};
    auto r = jail.run(spec);
    EXPECT_TRUE(r.setup_error.empty()) << r.setup_error;
    EXPECT_EQ(r.exit_code, 0) << r.stderr_data;
    return r.stdout_data;
  };
  const std::string leave_time_wait =
      "import socket\n"
      "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
      "c = socket.create_connection(s.getsockname()); a, _ = s.accept()\n"
      "c.close(); a.close(); s.close()\n" +
      std::string(kCountTimeWait);
  const std::string first = python("first", leave_time_wait);
  EXPECT_EQ(first.rfind("first\n", 0), 0u) << first;
  EXPECT_EQ(first.find(host_net), std::string::npos) << "a run in the host's network: " << first;
  EXPECT_FALSE(first.ends_with("\n0\n")) << "the closing connection left no TIME_WAIT: " << first;
  for (const char* box : {"second", "third"}) {
    const std::string next = python(box, kCountTimeWait);
    EXPECT_EQ(next.rfind(std::string(box) + "\n", 0), 0u) << next;
    EXPECT_EQ(next.find(host_net), std::string::npos) << "a run in the host's network: " << next;
    EXPECT_TRUE(next.ends_with("\n0\n")) << "a run saw an earlier run's connections: " << next;
  }
}

// Callers on several threads are served in turn, each with its own answer.
TEST(OneAtATime, ConcurrentCallersAreServedInTurn) {
  OpenDir dir;
  JailClient jail = one_at_a_time();
  std::vector<std::thread> callers;
  for (int i = 0; i < 4; ++i)
    callers.emplace_back([&, i] {
      std::string content = "caller-" + std::to_string(i);
      auto r = jail.run(shell(make_box(dir, content, content), "cat /box/f"));
      EXPECT_TRUE(r.setup_error.empty()) << r.setup_error;
      EXPECT_EQ(r.stdout_data, content);
    });
  for (auto& t : callers) t.join();
}

// A run killed at its wall limit ends the whole tree; the next request still runs, and once
// the client ends the helper exits leaving no group and no process of its own.
TEST(OneAtATime, AKilledRunIsCleanedAndTheHelperLeavesNothing) {
  OpenDir dir;
  pid_t helper = -1;
  {
    JailClient jail = one_at_a_time();
    JailSpec spec = shell(make_box(dir, "box", ""), "sleep 60 & sleep 60 & wait");
    spec.limits.wall_seconds = 0.5;
    auto r = jail.run(spec);
    EXPECT_TRUE(r.wall_exceeded);
    helper = jail.helper_pid();
    ASSERT_GT(helper, 0);
    EXPECT_FALSE(helper_cgroups(helper).empty()) << "the helper keeps its group while it serves";
    auto next = jail.run(shell(dir.path() / "box", "echo next"));
    EXPECT_EQ(next.stdout_data, "next\n") << next.setup_error;
  }
  EXPECT_TRUE(exited_within(helper, 5000)) << "the helper outlived its client";
  EXPECT_TRUE(helper_cgroups(helper).empty()) << helper_cgroups(helper).front();
}

// The helper's hello: refused with a reason for an argument it does not take, and a helper
// whose client is gone before the hello removes the groups it had made.
TEST(OneAtATime, TheHelperRefusesUnknownArgumentsAndCleansUpWhenItsClientIsGone) {
  const std::string helper = sandbox::jail::find_jail_helper();
  auto start = [&](const char* argument, bool keep_peer, std::string* hello) {
    int sv[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(sv[1], 3);
      ::execl(helper.c_str(), helper.c_str(), argument, static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(sv[1]);
    if (!keep_peer) ::close(sv[0]);
    if (keep_peer) {
      auto frame = sandbox::jail::read_frame(sv[0], 1 << 20);
      *hello = frame.header.dump();
      ::close(sv[0]);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return pid;
  };
  std::string hello;
  start("--no-such-mode", true, &hello);
  EXPECT_NE(hello.find("\"ok\":false"), std::string::npos) << hello;
  EXPECT_NE(hello.find("--no-such-mode"), std::string::npos) << hello;
  pid_t gone = start(sandbox::jail::kOneAtATimeFlag, false, nullptr);
  EXPECT_TRUE(helper_cgroups(gone).empty())
      << "a helper without a client left " << helper_cgroups(gone).front();
}

}  // namespace
}  // namespace crucible::testing::one_at_a_time_tests
