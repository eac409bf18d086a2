// A parked supervisor and its init copy the pages they share with their parent ahead of the
// request (own_pages.hpp), so the request's path takes no copy-on-write fault.
#include "sandbox/jail/own_pages.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>

namespace crucible::testing {
namespace {

constexpr size_t kPage = 4096, kPages = 64;

long minor_faults() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return ru.ru_minflt;
}

// The faults a forked child takes writing every page of a stack buffer the parent wrote
// (shared copy-on-write after the fork), after `prepare` ran in it; capped at 255.
int faults_writing_shared_stack(const std::function<void()>& prepare) {
  alignas(4096) char buffer[kPages * kPage];
  volatile char* memory = buffer;
  for (size_t i = 0; i < kPages; ++i) memory[i * kPage] = 1;
  pid_t pid = ::fork();
  if (pid == 0) {
    prepare();
    long before = minor_faults();
    for (size_t i = 0; i < kPages; ++i) memory[i * kPage] = 2;
    long faults = minor_faults() - before;
    ::_exit(static_cast<int>(faults > 255 ? 255 : faults));
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(OwnPages, WritesAfterOwningTheSharedPagesTakeNoFault) {
  EXPECT_GE(faults_writing_shared_stack([] {}), 32) << "the pages were not shared";
  EXPECT_LE(faults_writing_shared_stack([] { sandbox::jail::own_private_pages(); }), 2);
}

TEST(OwnPages, AWaitingRequestSkipsTheCopies) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "r", 1), 1);  // the request is already there
  int request = fds[0];
  EXPECT_GE(faults_writing_shared_stack(
                [request] { sandbox::jail::own_private_pages_unless_waited_for(request); }),
            32)
      << "the pages were copied anyway";
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace crucible::testing
