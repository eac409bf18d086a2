// Attacks on the host around the jail: the project's files, a server on the host's
// loopback, another run's socket, kill(-1) on the host's processes of the same uid, and
// writes outside the jail. Each prints what it managed to do.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "base/unique_fd.hpp"
#include "sandbox/jail/identity.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::testing {
namespace {

using sandbox::Verdict;

TEST(HostileFiles, CannotReadTheProjectsSource) {
  std::string probe = std::string(CRUCIBLE_SOURCE_DIR) + "/sandbox/jail/jail.cpp";
  ASSERT_TRUE(std::filesystem::exists(probe));
  auto o = run("python3",
               "import os\nprint(os.path.exists('" + probe + "'), os.path.exists('" +
                   std::string(CRUCIBLE_SOURCE_DIR) + "'))",
               "", hostile_limits());
  EXPECT_EQ(o.stdout_data, "False False\n") << o.stderr_data;
  expect_nothing_left_behind();
}

// A server on the host's loopback must see no connection from the jail.
TEST(HostileNetwork, CannotReachAServerOnHostLoopback) {
  unique_fd server(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  ASSERT_TRUE(server);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(server.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(server.get(), 8), 0);
  socklen_t len = sizeof addr;
  ::getsockname(server.get(), reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  std::string src = "import socket\ns=socket.create_connection(('127.0.0.1'," +
                    std::to_string(port) + "),timeout=1)\nprint('connected')";
  auto o = run("python3", src, "", hostile_limits());
  EXPECT_EQ(o.verdict, Verdict::RuntimeError) << o.message << o.stderr_data;
  EXPECT_EQ(o.stdout_data.find("connected"), std::string::npos);
  pollfd p{server.get(), POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 200), 0) << "the server saw a connection from the jail";
  expect_nothing_left_behind();
}

// Two runs at once share nothing on the network: an abstract Unix socket (or a TCP port on
// loopback) that one run listens on is invisible to the other, so neither can pass the
// other descriptors (memfds with SCM_RIGHTS) or data. Each run can reach its own loopback.
TEST(HostileNetwork, ConcurrentRunsCannotConnectToEachOther) {
  const std::string listener =
      "import socket, time\n"
      "u = socket.socket(socket.AF_UNIX); u.bind('\\0crucible-channel'); u.listen(1)\n"
      "t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
      "t.bind(('127.0.0.1', 47123)); t.listen(1)\n"
      "print('listening', flush=True)\n"
      "u.settimeout(2.5); t.settimeout(0.1)\n"
      "try:\n    u.accept(); print('accepted')\nexcept OSError: print('alone')\n";
  const std::string connector =
      "import socket, time\n"
      "time.sleep(0.5)\n"
      "found = []\n"
      "for addr, fam in (('\\0crucible-channel', socket.AF_UNIX), (('127.0.0.1', 47123), "
      "socket.AF_INET)):\n"
      "    s = socket.socket(fam)\n"
      "    try: s.connect(addr); found.append(str(addr))\n"
      "    except OSError: pass\n"
      "print('reached' if found else 'nothing', found)\n"
      "print(''.join(l for l in open('/proc/net/unix') if 'crucible-channel' in l) or "
      "'unlisted')\n";
  sandbox::Limits l = hostile_limits();
  std::optional<sandbox::Outcome> first;
  std::thread listen_thread([&] { first = run("python3", listener, "", l); });
  auto second = run("python3", connector, "", l);
  listen_thread.join();
  EXPECT_NE(second.stdout_data.find("nothing"), std::string::npos)
      << second.stdout_data << second.stderr_data;
  EXPECT_NE(second.stdout_data.find("unlisted"), std::string::npos) << second.stdout_data;
  ASSERT_TRUE(first.has_value());
  EXPECT_NE(first->stdout_data.find("alone"), std::string::npos)
      << first->stdout_data << first->stderr_data;
  expect_nothing_left_behind();
}

// kill(-1) inside the jail must not reach a host process of the very same host uid.
TEST(HostileSignals, KillAllCannotReachHostProcessesOfTheSameUid) {
  pid_t sentinel = ::fork();
  if (sentinel == 0) {
    if (::setresuid(sandbox::jail::kHostSandboxUid, sandbox::jail::kHostSandboxUid,
                    sandbox::jail::kHostSandboxUid))
      ::_exit(1);
    ::pause();
    ::_exit(0);
  }
  ::usleep(100000);
  auto o = run("c", "#include <signal.h>\nint main(void){kill(-1,SIGKILL);return 0;}", "",
               hostile_limits());
  EXPECT_EQ(o.verdict, Verdict::Accepted) << o.message;
  int status = 0;
  EXPECT_EQ(::waitpid(sentinel, &status, WNOHANG), 0)
      << "the host process was killed from the jail";
  ::kill(sentinel, SIGKILL);
  ::waitpid(sentinel, &status, 0);
  expect_nothing_left_behind();
}

TEST(HostileHost, WritesNeverReachTheHost) {
  run("c",
      "#include <fcntl.h>\nint "
      "main(void){open(\"/tmp/crucible-escape-marker\",O_CREAT|O_WRONLY,0644);"
      "open(\"/work/crucible-escape-marker\",O_CREAT|O_WRONLY,0644);return 0;}",
      "", hostile_limits());
  EXPECT_FALSE(std::filesystem::exists("/tmp/crucible-escape-marker"));
  EXPECT_FALSE(std::filesystem::exists("/work/crucible-escape-marker"));
  expect_nothing_left_behind();
}

}  // namespace
}  // namespace crucible::testing
