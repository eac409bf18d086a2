// The jail's request and report frames: what one side writes the other reads back whole, a
// request may carry megabytes of files, and a side whose peer has gone gets a failed write,
// never a SIGPIPE that would kill it (the service, a library user).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>

#include <string>
#include <thread>

#include "base/unique_fd.hpp"
#include "sandbox/jail/protocol.hpp"

namespace crucible::sandbox::jail {
namespace {

struct SocketPair {
  unique_fd a, b;
  SocketPair() {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    a.reset(fds[0]);
    b.reset(fds[1]);
  }
};

TEST(JailProtocol, ASpecWithLargeFilesAndInputsReadsBackWhole) {
  JailSpec spec;
  spec.argv = {"/usr/bin/python3", "-B", "/box/main.py", "an argument"};
  spec.inputs = {"first input", std::string(3 << 20, 'i')};
  spec.work_files = {{"data/big.txt", std::string(3 << 20, 'x')},
                     {"small", "y"},
                     {std::string(255, '\x01'), "control characters in a name"}};
  spec.fetch_files = {"out.txt"};
  SocketPair pair;
  std::thread writer([&] { EXPECT_TRUE(write_spec(pair.a.get(), spec)); });
  JailSpec got = read_spec(pair.b.get());
  writer.join();
  EXPECT_EQ(got.argv, spec.argv);
  EXPECT_EQ(got.inputs, spec.inputs);
  EXPECT_EQ(got.work_files, spec.work_files);
  EXPECT_EQ(got.fetch_files, spec.fetch_files);
}

TEST(JailProtocol, WritingToAGonePeerFailsWithoutSigpipe) {
  // Default SIGPIPE disposition: a plain write here would end this test binary.
  struct sigaction old {};
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  ::sigaction(SIGPIPE, &dfl, &old);
  SocketPair pair;
  pair.b.reset();
  JailSpec spec;
  spec.argv = {"/bin/true"};
  spec.work_files = {{"f", std::string(1 << 20, 'x')}};
  EXPECT_FALSE(write_spec(pair.a.get(), spec));
  EXPECT_FALSE(write_reports(pair.a.get(), {JailReport{}}));
  ::sigaction(SIGPIPE, &old, nullptr);
}

}  // namespace
}  // namespace crucible::sandbox::jail
