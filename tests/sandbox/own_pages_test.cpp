// A parked supervisor and its init copy the pages they share with their parent ahead of the
// request (own_pages.hpp), so the request's path takes no copy-on-write fault.
#include "sandbox/jail/own_pages.hpp"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace crucible::testing {
namespace {

constexpr size_t kPage = 4096, kPages = 64;

// kPages written pages in a mapping of their own (inaccessible pages on both sides keep it
// from merging with a neighbour), as a parked process's heap is after its fork.
struct Pages {
  Pages() {
    void* p = ::mmap(nullptr, (kPages + 2) * kPage, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    base = static_cast<char*>(p);
    ::mprotect(base, kPage, PROT_NONE);
    ::mprotect(base + (kPages + 1) * kPage, kPage, PROT_NONE);
    for (size_t i = 0; i < kPages; ++i) at(i) = 1;
  }
  ~Pages() { ::munmap(base, (kPages + 2) * kPage); }
  char& at(size_t page) { return base[(page + 1) * kPage]; }
  char* base;
};

long minor_faults() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return ru.ru_minflt;
}

// In a forked child: how many faults writing every page of `memory` took, with or without
// owning its pages first. The exit status carries the count (capped at 255).
int faults_writing_after_fork(Pages& memory, bool own_first) {
  pid_t pid = ::fork();
  if (pid == 0) {
    if (own_first) sandbox::jail::own_private_pages();
    long before = minor_faults();
    for (size_t i = 0; i < kPages; ++i) memory.at(i) = 2;
    long faults = minor_faults() - before;
    ::_exit(static_cast<int>(faults > 255 ? 255 : faults));
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(OwnPages, WritesAfterOwningTheSharedPagesTakeNoFault) {
  Pages memory;  // written here: shared copy-on-write after the fork
  EXPECT_GE(faults_writing_after_fork(memory, false), 32) << "the pages were not shared";
  EXPECT_LE(faults_writing_after_fork(memory, true), 2);  // the child's own stack may add one
}

TEST(OwnPages, AWaitingRequestSkipsTheCopies) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "r", 1), 1);  // the request is already there
  Pages memory;
  pid_t pid = ::fork();
  if (pid == 0) {
    sandbox::jail::own_private_pages_unless_waited_for(fds[0]);
    long before = minor_faults();
    for (size_t i = 0; i < kPages; ++i) memory.at(i) = 2;
    ::_exit(minor_faults() - before >= 32 ? 0 : 1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the pages were copied anyway";
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace crucible::testing
