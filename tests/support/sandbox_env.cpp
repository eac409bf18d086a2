#include "tests/support/sandbox_env.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "base/files.hpp"
#include "sandbox/jail/identity.hpp"
#include "sandbox/jail/jail.hpp"

namespace crucible::testing {
namespace fs = std::filesystem;

namespace {

// The test Sandboxes made so far, whose caches leftover_staging_dirs() looks in.
std::vector<const sandbox::Sandbox*>& made_sandboxes() {
  static std::vector<const sandbox::Sandbox*> made;
  return made;
}

// A Sandbox with its compile cache in a temporary directory removed at exit.
struct TestSandbox {
  TempDir cache{temp_root(), "crucible-test-cache-"};
  sandbox::Sandbox sb;
  explicit TestSandbox(bool single_run) : sb(options(single_run)) {
    made_sandboxes().push_back(&sb);
  }
  sandbox::SandboxOptions options(bool single_run) const {
    sandbox::SandboxOptions o;
    o.cache_dir = cache.path();
    o.single_run = single_run;
    return o;
  }
};

}  // namespace

sandbox::Sandbox& shared_sandbox() {
  static TestSandbox test(false);
  return test.sb;
}

sandbox::Sandbox& one_at_a_time_sandbox() {
  static TestSandbox test(true);
  return test.sb;
}

namespace {

std::string process_name(const std::string& pid) {
  std::ifstream comm("/proc/" + pid + "/comm");
  std::string name;
  std::getline(comm, name);
  return name;
}

// The helper's jail made ahead of the next request: its init, named so from its clone on,
// has run nothing of anyone's yet. Its uid is the host's root until its id maps are written,
// its run's init uid after; the program's uid never passes.
bool is_parked_init(const std::string& pid, unsigned real_uid) {
  return (real_uid == 0 || sandbox::jail::is_host_init_uid(real_uid)) &&
         process_name(pid) == sandbox::jail::kParkedInitName;
}

unsigned real_uid(const std::string& pid) {
  std::ifstream status("/proc/" + pid + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Uid:", 0) != 0) continue;
    std::istringstream in(line.substr(4));
    unsigned real = 0;
    in >> real;
    return real;
  }
  return ~0u;
}

}  // namespace

std::vector<int> jailed_processes() {
  std::vector<int> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    unsigned real = real_uid(name);
    if (!sandbox::jail::is_host_program_uid(real) && !sandbox::jail::is_host_init_uid(real))
      continue;
    if (!is_parked_init(name, real)) out.push_back(std::stoi(name));
  }
  return out;
}

std::vector<std::string> leftover_run_cgroups() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const char* root : {"/sys/fs/cgroup/memory", "/sys/fs/cgroup/pids", "/sys/fs/cgroup/cpuacct",
                           "/sys/fs/cgroup"}) {
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec),
        end;
    for (; !ec && it != end; it.increment(ec)) {
      if (it.depth() > 4) {
        it.disable_recursion_pending();
        continue;
      }
      if (!it->is_directory(ec)) continue;
      std::string name = it->path().filename();
      std::string parent = it->path().parent_path().filename();
      if (parent.rfind("crucible-", 0) != 0) continue;
      std::ifstream procs(it->path() / "cgroup.procs");
      std::string pid;
      bool holds_tasks = false, parked = false;
      while (procs >> pid) {
        if (is_parked_init(pid, real_uid(pid)))
          parked = true;
        else
          holds_tasks = true;
      }
      // A parked jail's group (a slot, or on v2 its own run- group) is in use, not left over.
      if ((name.rfind("run-", 0) == 0 && !parked) || holds_tasks) out.push_back(it->path());
    }
  }
  return out;
}

std::vector<std::string> helper_cgroups(pid_t helper) {
  std::vector<std::string> out;
  const std::string wanted = "crucible-" + std::to_string(helper);
  std::error_code ec;
  fs::recursive_directory_iterator it("/sys/fs/cgroup",
                                      fs::directory_options::skip_permission_denied, ec),
      end;
  for (; !ec && it != end; it.increment(ec)) {
    if (it.depth() > 4) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->path().filename() == wanted) out.push_back(it->path());
  }
  return out;
}

std::vector<std::string> leftover_staging_dirs() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const sandbox::Sandbox* sb : made_sandboxes())
    for (const auto& e : fs::directory_iterator(sb->cache().staging_dir(), ec))
      out.push_back(e.path());
  return out;
}

std::vector<int> program_processes() {
  std::vector<int> out;
  for (int pid : jailed_processes())
    if (sandbox::jail::is_host_program_uid(real_uid(std::to_string(pid)))) out.push_back(pid);
  return out;
}

void expect_nothing_left_behind() {
  // No process of a run's program may outlive the run's answer.
  EXPECT_TRUE(program_processes().empty()) << "a process of a program outlived its run";
  // A jail's own init killed and reaped all of them before it reported the run's end, and
  // may still be finishing its own exit (its mounts and namespaces) as the answer arrives:
  // it and its cgroup slot must be gone moments later.
  // The verdict is the last look's: looking again after it could catch the helper parking the
  // next jail (its group exists a moment before its init is in it) and call that a leftover.
  std::vector<int> jailed;
  std::vector<std::string> groups;
  for (int waited_ms = 0; waited_ms <= 2000; waited_ms += 10) {
    jailed = jailed_processes();
    groups = leftover_run_cgroups();
    if (jailed.empty() && groups.empty()) break;
    ::usleep(10'000);
  }
  EXPECT_TRUE(jailed.empty()) << "a jailed process outlived its run";
  EXPECT_TRUE(groups.empty()) << "a run's cgroup was not removed: "
                              << (groups.empty() ? "" : groups[0]);
  EXPECT_TRUE(leftover_staging_dirs().empty()) << "a compile staging directory was left";
}

sandbox::Outcome run(const std::string& language, const std::string& source,
                     const std::string& stdin_data, const sandbox::Limits& limits) {
  return run_in(shared_sandbox(), language, source, stdin_data, limits);
}

sandbox::Outcome run_in(sandbox::Sandbox& sb, const std::string& language,
                        const std::string& source, const std::string& stdin_data,
                        const sandbox::Limits& limits) {
  sandbox::RunRequest req;
  req.language = language;
  req.source = source;
  req.stdin_data = stdin_data;
  req.limits = limits;
  return sb.run(req);
}

sandbox::Limits hostile_limits() {
  sandbox::Limits l;
  l.cpu_seconds = 1;
  l.wall_seconds = 3;
  l.memory_bytes = 128 << 20;
  l.output_bytes = 1 << 20;
  l.file_size_bytes = 8 << 20;
  l.processes = 32;
  return l;
}

}  // namespace crucible::testing
