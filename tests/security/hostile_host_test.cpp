// Attacks on the host around the jail: the project's files, a server on the host's
// loopback, another run's socket, kill(-1) on the host's processes of the same uid, writes
// outside the jail, and the host root's share of per-user kernel counters. Each prints what
// it managed to do.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/nsfs.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <thread>

#include "base/error.hpp"
#include "base/files.hpp"
#include "base/unique_fd.hpp"
#include "sandbox/jail/identity.hpp"
#include "sandbox/jail/rlimits.hpp"
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

// kill(-1) inside the jail must not reach a host process of a uid the jail's programs have had:
// the host's nobody, every run's uid before each got its own.
TEST(HostileSignals, KillAllCannotReachHostProcessesOfTheSameUid) {
  constexpr uid_t kNobody = 65534;
  pid_t sentinel = ::fork();
  if (sentinel == 0) {
    if (::setresuid(kNobody, kNobody, kNobody)) ::_exit(1);
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

// Counters the kernel keeps per host uid, whatever the namespace: the pipe buffer pages a user
// holds (past fs.pipe-user-pages-soft each new pipe of that uid holds 8 KiB, not 64 KiB) and
// the descriptors it has in flight over Unix sockets (past the sender's open-file limit a send
// fails). With one uid for every run's program, a run holding either made them visible to a
// run beside it (a channel between runs, and a way to break its pipes): each run's program
// now has a host uid of its own.
TEST(HostileHost, ConcurrentRunsShareNoPerUidKernelCounters) {
  const std::string hoarder =
      "import array, fcntl, os, resource, socket, time\n"
      "keep = []\n"
      "for i in range(100):\n"
      "    r, w = os.pipe(); keep.append((r, w))\n"
      "    try: fcntl.fcntl(w, 1031, 1 << 20)  # F_SETPIPE_SZ\n"
      "    except OSError: pass\n"
      "r, w = os.pipe()\n"
      "a, b = socket.socketpair(); a.setblocking(False)\n"
      "flying = 0\n"
      "try:\n"
      "    while flying < 20000:\n"
      "        a.sendmsg([b'x'], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [r] * "
      "200))])\n"
      "        flying += 200\n"
      "except OSError: pass\n"
      "over = flying > resource.getrlimit(resource.RLIMIT_NOFILE)[0]\n"
      "print('own pipe', fcntl.fcntl(w, 1032), 'in flight over the limit' if over else '')\n"
      "time.sleep(2.5)\n";
  const std::string prober =
      "import array, fcntl, os, socket, time\n"
      "time.sleep(1.0)\n"
      "r, w = os.pipe()\n"
      "a, b = socket.socketpair()\n"
      "try:\n"
      "    a.sendmsg([b'x'], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [r]))])\n"
      "    sent = 'sent'\n"
      "except OSError as e: sent = 'refused ' + e.strerror\n"
      "print('pipe', fcntl.fcntl(w, 1032), sent)\n";
  sandbox::Limits l = hostile_limits();
  l.wall_seconds = 5;
  std::optional<sandbox::Outcome> hoarding;
  std::thread hoard([&] { hoarding = run("python3", hoarder, "", l); });
  auto probe = run("python3", prober, "", l);
  hoard.join();
  ASSERT_TRUE(hoarding.has_value());
  // The hoarder went past both limits for its own uid, so the probe checks something (a host
  // with fs.pipe-user-pages-soft at 0 has no pipe limit to go past).
  if (read_file("/proc/sys/fs/pipe-user-pages-soft") != "0\n") {
    EXPECT_NE(hoarding->stdout_data.find("own pipe 8192"), std::string::npos)
        << hoarding->stdout_data << hoarding->stderr_data;
  }
  EXPECT_NE(hoarding->stdout_data.find("in flight over the limit"), std::string::npos)
      << hoarding->stdout_data << hoarding->stderr_data;
  EXPECT_EQ(probe.verdict, Verdict::Accepted) << probe.message << probe.stderr_data;
  EXPECT_NE(probe.stdout_data.find("pipe 65536 sent"), std::string::npos) << probe.stdout_data;
  expect_nothing_left_behind();
}

// The cap a run's user namespace puts on one of the kernel's per-user counters.
long namespace_cap(const std::string& sysctl) {
  for (const auto& row : sandbox::jail::namespace_limit_table())
    if (row.sysctl == sysctl) return row.value;
  ADD_FAILURE() << "no cap for " << sysctl;
  return 0;
}

// Counters the kernel keeps per user and charges up the user-namespace chain (inotify
// instances and watches, queued signals and POSIX timers) reach the host's user namespace. A
// run that takes all it can must leave the host root its share: checked from the host all
// through the run, and the run's take is capped.
TEST(HostileHost, HoardingPerUserKernelCountersLeavesTheHostItsShare) {
  const std::string hoarder =
      "#include <signal.h>\n#include <stdio.h>\n#include <unistd.h>\n#include <fcntl.h>\n"
      "#include <sys/inotify.h>\n"
      "int main(void){int inst=0,watches=0;long sigs=0;int fd=-1;\n"
      " for(int i=0;i<1000;i++){int f=inotify_init1(0);if(f<0)break;if(fd<0)fd=f;inst++;}\n"
      " for(int i=0;fd>=0&&i<1500;i++){char p[64];snprintf(p,sizeof p,\"/tmp/w%d\",i);\n"
      "  int c=open(p,O_CREAT|O_WRONLY,0600);if(c>=0)close(c);\n"
      "  if(inotify_add_watch(fd,p,IN_MODIFY)<0)break;watches++;}\n"
      " sigset_t s;sigemptyset(&s);sigaddset(&s,SIGRTMIN);sigprocmask(SIG_BLOCK,&s,0);\n"
      " union sigval v={0};while(sigs<200000&&sigqueue(getpid(),SIGRTMIN,v)==0)sigs++;\n"
      " printf(\"instances %d watches %d signals %ld\\n\",inst,watches,sigs);fflush(stdout);\n"
      " sleep(2);return 0;}\n";
  sandbox::Limits limits = hostile_limits();
  limits.wall_seconds = 8;
  std::atomic<bool> done{false};
  sandbox::Outcome o;
  std::thread hoard([&] {
    o = run("c", hoarder, "", limits);
    done = true;
  });
  // What the host's root does meanwhile: an inotify instance and a watch, a queued signal
  // (blocked, then taken back) and a POSIX timer.
  std::filesystem::path watched = std::filesystem::temp_directory_path() / "crucible-watched";
  { std::ofstream(watched) << "x"; }
  sigset_t rt;
  sigemptyset(&rt);
  sigaddset(&rt, SIGRTMIN);
  ::pthread_sigmask(SIG_BLOCK, &rt, nullptr);
  int checks = 0;
  std::vector<std::string> failures;
  while (!done) {
    ++checks;
    int in = ::inotify_init1(IN_CLOEXEC);
    if (in < 0) failures.push_back(errno_message("inotify_init1", errno));
    if (in >= 0 && ::inotify_add_watch(in, watched.c_str(), IN_MODIFY) < 0)
      failures.push_back(errno_message("inotify_add_watch", errno));
    if (in >= 0) ::close(in);
    // To this thread, which blocks it: the process's other threads do not.
    if (int err = ::pthread_sigqueue(::pthread_self(), SIGRTMIN, sigval{0}); err != 0) {
      failures.push_back(errno_message("pthread_sigqueue", err));
    } else {
      timespec zero{0, 0};
      ::sigtimedwait(&rt, nullptr, &zero);
    }
    sigevent ev{};
    ev.sigev_notify = SIGEV_SIGNAL;  // never armed: it only has to be made
    ev.sigev_signo = SIGRTMIN;
    timer_t timer;
    if (::timer_create(CLOCK_MONOTONIC, &ev, &timer) != 0)
      failures.push_back(errno_message("timer_create", errno));
    else
      ::timer_delete(timer);
    ::usleep(20000);
  }
  hoard.join();
  ::pthread_sigmask(SIG_UNBLOCK, &rt, nullptr);
  std::filesystem::remove(watched);
  ASSERT_EQ(o.verdict, Verdict::Accepted) << o.message << o.stderr_data;
  int instances = -1, watches = -1;
  long signals = -1;
  ASSERT_EQ(std::sscanf(o.stdout_data.c_str(), "instances %d watches %d signals %ld", &instances,
                        &watches, &signals),
            3)
      << o.stdout_data;
  EXPECT_GE(instances, 1) << "a run may still use inotify";
  EXPECT_LE(instances, namespace_cap("max_inotify_instances"));
  EXPECT_LE(watches, namespace_cap("max_inotify_watches"));
  EXPECT_LE(signals, 1024) << "the run's RLIMIT_SIGPENDING";
  EXPECT_GT(checks, 10) << "the host checked too few times during the run";
  EXPECT_TRUE(failures.empty()) << failures.size()
                                << " host calls failed during the run, first: " << failures.front();
  expect_nothing_left_behind();
}

// Each jail's user namespace belongs to a host uid of its run's own (host_init_uid), never
// root: the kernel charges those per-user counters to a namespace's owner, so with root as the
// owner many capped runs at once took all of root's (40 runs holding 4 inotify instances each
// left the host's root none of its 128), and with one uid owning every jail's namespace they
// shared its 128: 32 runs got their 4 and the other 8 none, a run's share hanging on the runs
// beside it. Each run now holds its own cap whatever the others do, and the root keeps its own.
TEST(HostileHost, ManyHoardingRunsAtOnceEachHoldTheirOwnShare) {
  const std::string hoarder =
      "#include <stdio.h>\n#include <unistd.h>\n#include <sys/inotify.h>\n"
      "int main(void){int n=0;for(int i=0;i<8;i++)if(inotify_init1(0)>=0)n++;\n"
      " printf(\"held %d\\n\",n);fflush(stdout);sleep(3);return 0;}\n";
  sandbox::Limits limits = hostile_limits();
  limits.wall_seconds = 30;
  ASSERT_EQ(run("c", hoarder, "", limits).verdict, Verdict::Accepted);  // compiled once
  constexpr int kRuns = 40;  // 40 x 4 instances: more than the host's 128 per user
  std::vector<sandbox::Outcome> outcomes(kRuns);
  std::vector<std::thread> runs;
  for (int i = 0; i < kRuns; ++i)
    runs.emplace_back([&, i] { outcomes[i] = run("c", hoarder, "", limits); });
  // While they hold their instances: every jailed process's user namespace is owned by a
  // run's own uid, and the host's root can still make inotify instances.
  int not_a_runs_own = 0, checked = 0, host_failures = 0;
  std::set<uid_t> owners;
  for (int round = 0; round < 10; ++round) {
    ::usleep(200'000);
    for (int pid : jailed_processes()) {
      unique_fd ns(::open(("/proc/" + std::to_string(pid) + "/ns/user").c_str(), O_RDONLY));
      uid_t owner = 0;
      if (!ns || ::ioctl(ns.get(), NS_GET_OWNER_UID, &owner) != 0) continue;  // it ended
      ++checked;
      owners.insert(owner);
      if (!sandbox::jail::is_host_init_uid(owner)) ++not_a_runs_own;
    }
    int in = ::inotify_init1(IN_CLOEXEC);
    if (in < 0)
      ++host_failures;
    else
      ::close(in);
  }
  for (auto& t : runs) t.join();
  const long share = namespace_cap("max_inotify_instances");
  int full_shares = 0;
  for (const auto& o : outcomes) {
    EXPECT_EQ(o.verdict, Verdict::Accepted) << o.message << o.stderr_data;
    int n = 0;
    EXPECT_EQ(std::sscanf(o.stdout_data.c_str(), "held %d", &n), 1) << o.stdout_data;
    if (n == share) ++full_shares;
  }
  EXPECT_GT(checked, 0) << "no jailed process was seen during the runs";
  EXPECT_GT(owners.size(), 1u) << "the runs' namespaces share an owner";
  EXPECT_EQ(not_a_runs_own, 0) << "a jail's user namespace belongs to a uid not its run's own";
  EXPECT_EQ(host_failures, 0) << "the host's root could not make an inotify instance";
  EXPECT_EQ(full_shares, kRuns) << "a run's inotify share depended on the runs beside it";
  expect_nothing_left_behind();
}

}  // namespace
}  // namespace crucible::testing
