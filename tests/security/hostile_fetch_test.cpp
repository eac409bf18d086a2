// Attacks on fetch_files, the files a run leaves in its scratch places (/work, /tmp, /dev/shm,
// /mnt) that the caller asks back: they are read after every process of the run is gone,
// beneath those places only, regular files only, and within the output limit. Each program tries to
// turn the read-back into a way out.
#include <gtest/gtest.h>

#include <map>

#include "base/error.hpp"
#include "sandbox/sandbox.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::testing {
namespace {

using sandbox::Verdict;

std::map<std::string, sandbox::FetchedFile> fetch(const std::string& language,
                                                  const std::string& source,
                                                  const std::vector<std::string>& names,
                                                  sandbox::Limits limits = hostile_limits()) {
  auto& sb = shared_sandbox();
  sandbox::ExecuteOptions opts;
  opts.fetch_files = names;
  auto o = sb.execute(sb.prepare(language, source), "", limits, opts);
  EXPECT_EQ(o.files.size(), names.size()) << o.message << o.stderr_data;
  std::map<std::string, sandbox::FetchedFile> by_name;
  for (const auto& f : o.files) by_name[f.name] = f;
  return by_name;
}

TEST(Fetch, ReturnsWhatTheProgramWroteByteForByte) {
  auto files = fetch("python3",
                     "import os\nos.makedirs('sub', exist_ok=True)\n"
                     "open('out.txt','w').write('hello')\n"
                     "open('sub/data.bin','wb').write(bytes(range(256)))\n"
                     "open('private','w').write('x'); os.chmod('private', 0)\n"
                     "open('/tmp/scratch.txt','w').write('in tmp')\n"
                     "open('/mnt/b','w').write('sauce')\n",
                     {"out.txt", "sub/data.bin", "missing.txt", "private", "/tmp/scratch.txt",
                      "/work/out.txt", "/mnt/b"});
  EXPECT_EQ(files["out.txt"].content, "hello");
  EXPECT_EQ(files["out.txt"].error, "");
  std::string all(256, '\0');
  for (int i = 0; i < 256; ++i) all[i] = static_cast<char>(i);
  EXPECT_EQ(files["sub/data.bin"].content, all);
  EXPECT_EQ(files["missing.txt"].error, "not found");
  EXPECT_EQ(files["private"].content, "x");  // the program's own file, whatever its mode
  EXPECT_EQ(files["/tmp/scratch.txt"].content, "in tmp");
  EXPECT_EQ(files["/work/out.txt"].content, "hello");
  EXPECT_EQ(files["/mnt/b"].content, "sauce");  // SandboxFusion's own fetch test writes there
  expect_nothing_left_behind();
}

// Links out of /work (to the jail's own files, to init's /proc entries, through a linked
// directory) are not followed; a FIFO, a socket and a directory are not read (a FIFO would
// block the read-back forever).
TEST(Fetch, FollowsNoLinkAndReadsOnlyRegularFiles) {
  auto files = fetch(
      "python3",
      "import os, socket\n"
      "os.symlink('/etc/passwd', 'passwd')\n"
      "os.symlink('/proc/1/environ', 'environ')\n"
      "os.symlink('/proc/self/root', 'root')\n"
      "os.symlink('/', 'up')\n"
      "os.mkfifo('fifo')\n"
      "s = socket.socket(socket.AF_UNIX); s.bind('sock')\n"
      "os.mkdir('dir')\n",
      {"passwd", "environ", "root/etc/hostname", "up/usr/bin/python3", "fifo", "sock", "dir"});
  for (const auto& name : {"passwd", "environ", "root/etc/hostname", "up/usr/bin/python3"}) {
    EXPECT_EQ(files[name].content, "") << name;
    EXPECT_EQ(files[name].error, "a symbolic link (not followed)") << name;
  }
  for (const auto& name : {"fifo", "sock", "dir"}) {
    EXPECT_EQ(files[name].content, "") << name;
    EXPECT_FALSE(files[name].error.empty()) << name;
  }
  expect_nothing_left_behind();
}

// A file may not bring back more than the output limit, and a process left running cannot
// change a file after the run: every process is gone before the read.
TEST(Fetch, StaysWithinTheOutputLimitAndAfterEveryProcessIsGone) {
  sandbox::Limits limits = hostile_limits();
  limits.output_bytes = 1 << 20;
  auto files = fetch("python3",
                     "import os\n"
                     "open('big','wb').write(b'x' * (2 << 20))\n"
                     "open('small','w').write('first')\n"
                     "if os.fork() == 0:\n"
                     "    import time\n"
                     "    time.sleep(0.3)\n"
                     "    open('small','w').write('rewritten by a leftover process')\n",
                     {"big", "small"}, limits);
  EXPECT_EQ(files["big"].content, "");
  EXPECT_NE(files["big"].error.find("bytes left for fetched files"), std::string::npos)
      << files["big"].error;
  EXPECT_EQ(files["small"].content, "first");
  expect_nothing_left_behind();
}

TEST(Fetch, NamesOutsideTheScratchPlacesAreRefusedBeforeAnythingRuns) {
  auto& sb = shared_sandbox();
  auto program = sb.prepare("python3", "print(1)");
  for (std::string bad :
       {"../etc/passwd", "/etc/passwd", "a/../../b", "", "a//b", "/tmp/../etc/passwd", "/tmp/",
        "/work", "/proc/1/environ", "/box/main.py", "/mnt", "/mntx/a", "/dev/null",
        "/dev/shm/../../etc/passwd", "/dev/shmx", "/mnt/./b"}) {
    sandbox::ExecuteOptions opts;
    opts.fetch_files = {bad};
    EXPECT_THROW(sb.execute(program, "", hostile_limits(), opts), crucible::InvalidRequest) << bad;
  }
  sandbox::ExecuteOptions many;
  many.fetch_files.assign(sandbox::kMaxFetchFiles + 1, "a");
  EXPECT_THROW(sb.execute(program, "", hostile_limits(), many), crucible::InvalidRequest);
}

// A run stopped at a limit has no files to give: its /work went with it.
TEST(Fetch, ARunStoppedAtALimitReturnsNoFiles) {
  sandbox::Limits limits = hostile_limits();
  limits.wall_seconds = 0.5;
  limits.cpu_seconds = 0.5;
  auto files =
      fetch("python3", "open('out.txt','w').write('x')\nwhile True: pass\n", {"out.txt"}, limits);
  EXPECT_EQ(files["out.txt"].content, "");
  EXPECT_FALSE(files["out.txt"].error.empty());
  expect_nothing_left_behind();
}

}  // namespace
}  // namespace crucible::testing
