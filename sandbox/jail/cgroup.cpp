#include "sandbox/jail/cgroup.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "base/error.hpp"
#include "base/files.hpp"

namespace crucible::sandbox::jail {
namespace fs = std::filesystem;
namespace {

constexpr const char* kV1Controllers[] = {"memory", "pids", "cpuacct"};

void write_value(const std::string& path, const std::string& value) {
  try {
    write_file(path, value);
  } catch (const Error& e) {
    throw SandboxFailure(std::string("cgroup: ") + e.what() + "; run `crucible doctor`");
  }
}

std::string read_value(const std::string& path) {
  try {
    return read_file(path);
  } catch (const Error&) {
    return "";
  }
}

uint64_t parse_u64(const std::string& text) {
  return text.empty() ? 0 : std::stoull(text);
}

uint64_t read_u64(const std::string& path) {
  return parse_u64(read_value(path));
}

// Value of "key N" lines (memory.oom_control, memory.events, cpu.stat) in `text`.
uint64_t keyed_value(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string k;
  uint64_t v;
  while (in >> k >> v)
    if (k == key) return v;
  return 0;
}

// Our own cgroup path within a hierarchy, from /proc/self/cgroup, so we nest under it.
std::string own_path(const std::string& controller) {
  std::istringstream in(read_value("/proc/self/cgroup"));
  std::string line;
  while (std::getline(in, line)) {
    auto a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    std::string list = line.substr(a + 1, b - a - 1);
    bool match = controller.empty()
                     ? list.empty()
                     : ("," + list + ",").find("," + controller + ",") != std::string::npos;
    if (match) return line.substr(b + 1);
  }
  return "/";
}

// Mount points of cgroup hierarchies, from /proc/self/mountinfo.
struct Mounts {
  std::string v2;
  std::string v1[3];
};

Mounts find_mounts() {
  Mounts m;
  std::istringstream in(read_value("/proc/self/mountinfo"));
  std::string line;
  while (std::getline(in, line)) {
    auto dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    std::istringstream pre(line.substr(0, dash)), post(line.substr(dash + 3));
    std::string id, parent, devno, root, mountpoint, fstype, source, options;
    pre >> id >> parent >> devno >> root >> mountpoint;
    post >> fstype >> source >> options;
    if (fstype == "cgroup2" && m.v2.empty()) m.v2 = mountpoint;
    if (fstype != "cgroup") continue;
    for (int i = 0; i < 3; ++i)
      if (("," + options + ",").find(std::string(",") + kV1Controllers[i] + ",") !=
              std::string::npos &&
          m.v1[i].empty())
        m.v1[i] = mountpoint;
  }
  return m;
}

bool make_dir(const std::string& path) {
  return ::mkdir(path.c_str(), 0755) == 0 || errno == EEXIST;
}

}  // namespace

RunCgroup::RunCgroup(CgroupVersion version, std::vector<std::string> dirs, bool pooled,
                     std::vector<std::string> homes)
    : version_(version), pooled_(pooled), dirs_(std::move(dirs)), homes_(std::move(homes)) {}

void RunCgroup::prepare(const Limits& limits) {
  // A jail prepares its group twice: with the defaults while it is parked, with the request's
  // limits on the request's path. Limits already in place are not written again.
  const bool first = !applied_;
  const bool memory_changes = first || applied_->memory_bytes != limits.memory_bytes;
  const bool pids_change = first || applied_->processes != limits.processes;
  const std::string mem = std::to_string(limits.memory_bytes);
  if (version_ == CgroupVersion::V1) {
    if (memory_changes) {
      // v1 insists on limit <= memsw limit at every step, and a reused slot may hold a
      // lower or higher pair from its last run: open memsw, set the limit, close memsw.
      // Without swap accounting the memsw file is absent and swap is already off.
      bool memsw = fs::exists(dirs_[0] + "/memory.memsw.limit_in_bytes");
      if (memsw) write_value(dirs_[0] + "/memory.memsw.limit_in_bytes", "-1");
      try {
        write_value(dirs_[0] + "/memory.limit_in_bytes", mem);
      } catch (const SandboxFailure&) {
        // v1 refuses a limit below the usage (EBUSY): page cache an earlier run of this slot
        // left charged. The slot is empty now, so reclaim it and try once more.
        write_value(dirs_[0] + "/memory.force_empty", "0");
        write_value(dirs_[0] + "/memory.limit_in_bytes", mem);
      }
      if (memsw) write_value(dirs_[0] + "/memory.memsw.limit_in_bytes", mem);
    }
    write_value(dirs_[0] + "/memory.max_usage_in_bytes", "0");
    if (pids_change) write_value(dirs_[1] + "/pids.max", std::to_string(limits.processes));
    // Runs measure CPU from a reading taken at their start (cpu_seconds), so zeroing the
    // counter once, which also proves it writable, is enough.
    if (first) write_value(dirs_[2] + "/cpuacct.usage", "0");
  } else {
    if (memory_changes) {
      write_value(dirs_[0] + "/memory.max", mem);
      if (fs::exists(dirs_[0] + "/memory.swap.max"))
        write_value(dirs_[0] + "/memory.swap.max", "0");
    }
    if (pids_change) write_value(dirs_[0] + "/pids.max", std::to_string(limits.processes));
  }
  applied_ = AppliedLimits{limits.memory_bytes, limits.processes};
  // The OOM-kill counter of a reused slot cannot be reset: count from here. Likewise the
  // page cache an earlier run left charged is not this run's memory.
  oom_baseline_ = 0;
  oom_baseline_ = oom_kills();
  memory_baseline_ = parse_u64(counter(
      dirs_[0] + (version_ == CgroupVersion::V1 ? "/memory.usage_in_bytes" : "/memory.current")));
  if (first) {  // the rest of the counters opened ahead of the request
    (void)peak_memory_bytes();
    (void)cpu_seconds();
  }
}

std::string RunCgroup::counter(const std::string& path) const {
  auto it = counters_.find(path);
  if (it == counters_.end()) {
    unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return "";
    it = counters_.emplace(path, std::move(fd)).first;
  }
  std::string text;
  char buf[4096];
  for (;;) {
    ssize_t n = ::pread(it->second.get(), buf, sizeof buf, static_cast<off_t>(text.size()));
    if (n > 0) {
      text.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return text;
  }
}

const std::string& RunCgroup::dir(const char* controller) const {
  if (version_ == CgroupVersion::V2) return dirs_[0];
  for (int i = 0; i < 3; ++i)
    if (std::string(controller) == kV1Controllers[i]) return dirs_[i];
  return dirs_[0];
}

void RunCgroup::start_next_run() {
  if (version_ == CgroupVersion::V1) {
    write_value(dirs_[0] + "/memory.max_usage_in_bytes", "0");  // resets to the current usage
    memory_baseline_ = parse_u64(counter(dirs_[0] + "/memory.usage_in_bytes"));
  } else {
    if (fs::exists(dirs_[0] + "/memory.peak")) {
      try {
        write_value(dirs_[0] + "/memory.peak", "reset");  // newer kernels only
      } catch (const SandboxFailure&) {
      }
    }
    memory_baseline_ = parse_u64(counter(dirs_[0] + "/memory.current"));
  }
  oom_baseline_ = 0;
  oom_baseline_ = oom_kills();
}

void RunCgroup::add(pid_t pid) const {
  for (const auto& d : dirs_) write_value(d + "/cgroup.procs", std::to_string(pid));
}

bool RunCgroup::enter_self() const {
  if (version_ != CgroupVersion::V1 || homes_.size() != dirs_.size()) return false;
  // Only where the way back is open: a process that cannot leave would die with the run.
  for (const auto& home : homes_)
    if (::access((home + "/tasks").c_str(), W_OK) != 0) return false;
  for (size_t i = 0; i < dirs_.size(); ++i) {
    try {
      write_value(dirs_[i] + "/tasks", "0");
    } catch (const SandboxFailure&) {
      for (size_t j = 0; j < i; ++j) write_value(homes_[j] + "/tasks", "0");
      return false;
    }
  }
  return true;
}

void RunCgroup::leave_self() const {
  for (const auto& home : homes_) write_value(home + "/tasks", "0");
}

void RunCgroup::set_idle(bool idle) const {
  if (version_ != CgroupVersion::V2 || dirs_.empty()) return;
  try {
    write_file(dirs_[0] + "/cpu.weight", idle ? "1" : "100");
  } catch (const Error&) {
  }
}

double RunCgroup::cpu_seconds() const {
  if (version_ == CgroupVersion::V2)
    return keyed_value(counter(dirs_[0] + "/cpu.stat"), "usage_usec") / 1e6;
  return parse_u64(counter(dir("cpuacct") + "/cpuacct.usage")) / 1e9;
}

uint64_t RunCgroup::peak_memory_bytes() const {
  uint64_t peak = parse_u64(counter(version_ == CgroupVersion::V2
                                        ? dirs_[0] + "/memory.peak"
                                        : dir("memory") + "/memory.max_usage_in_bytes"));
  return peak > memory_baseline_ ? peak - memory_baseline_ : 0;
}

uint64_t RunCgroup::oom_kills() const {
  uint64_t total =
      keyed_value(counter(version_ == CgroupVersion::V2 ? dirs_[0] + "/memory.events"
                                                        : dir("memory") + "/memory.oom_control"),
                  "oom_kill");
  return total - oom_baseline_;
}

size_t RunCgroup::task_count() const {
  std::istringstream in(read_value(dir("pids") + "/cgroup.procs"));
  size_t n = 0;
  std::string line;
  while (std::getline(in, line)) n += !line.empty();
  return n;
}

bool RunCgroup::wait_empty() {
  for (int attempt = 0; attempt < 2000; ++attempt) {
    bool empty = true;
    for (const auto& d : dirs_) {
      std::istringstream in(read_value(d + "/cgroup.procs"));
      int pid;
      while (in >> pid) {
        empty = false;
        ::kill(pid, SIGKILL);
      }
    }
    if (empty) return true;
    std::this_thread::sleep_for(std::chrono::microseconds(attempt < 50 ? 100 : 1000));
  }
  return false;
}

bool RunCgroup::release() {
  counters_.clear();
  if (!pooled_) return destroy();
  bool empty = wait_empty();
  if (!empty) return false;
  // Reclaiming is costly (it was the largest avoidable CPU cost of a run in a profile):
  // only when the run left enough page cache charged to crowd the next one.
  constexpr uint64_t kReclaimAbove = 16ull << 20;
  if (read_u64(dirs_[0] + "/memory.usage_in_bytes") <= kReclaimAbove) return true;
  try {
    write_value(dirs_[0] + "/memory.force_empty", "0");
  } catch (const SandboxFailure&) {
    return false;
  }
  return true;
}

bool RunCgroup::destroy() {
  counters_.clear();
  bool ok = true;
  for (const auto& d : dirs_) {
    bool removed = false;
    // The kernel may still hold a just-emptied group for a moment.
    for (int attempt = 0; attempt < 2000 && !removed; ++attempt) {
      if (::rmdir(d.c_str()) == 0 || errno == ENOENT) {
        removed = true;
        break;
      }
      if (errno == EBUSY) {
        std::istringstream in(read_value(d + "/cgroup.procs"));
        int pid;
        while (in >> pid) ::kill(pid, SIGKILL);
      }
      std::this_thread::sleep_for(std::chrono::microseconds(attempt < 50 ? 100 : 1000));
    }
    ok = ok && removed;
  }
  dirs_.clear();
  return ok;
}

CgroupHost CgroupHost::detect() {
  Mounts m = find_mounts();
  CgroupHost host;
  std::string name = "crucible-" + std::to_string(::getpid());
  auto v1_ok = !m.v1[0].empty() && !m.v1[1].empty() && !m.v1[2].empty();
  if (v1_ok) {
    host.version_ = CgroupVersion::V1;
    for (int i = 0; i < 3; ++i) {
      std::string root = m.v1[i] + own_path(kV1Controllers[i]);
      if (root.ends_with("/")) root.pop_back();
      host.roots_.push_back(root);
      host.parents_.push_back(root + "/" + name);
    }
  } else if (!m.v2.empty()) {
    host.version_ = CgroupVersion::V2;
    std::string root = m.v2 + own_path("");
    if (root.ends_with("/")) root.pop_back();
    std::string controllers = read_value(root + "/cgroup.controllers");
    for (const char* c : {"memory", "pids", "cpu"})
      if (controllers.find(c) == std::string::npos)
        throw SandboxFailure(std::string("cgroup v2 at ") + root + " lacks the " + c +
                             " controller; run `crucible doctor`");
    host.roots_.push_back(root);
    host.parents_.push_back(root + "/" + name);
  } else {
    throw SandboxFailure(
        "no cgroup v1 (memory, pids, cpuacct) or v2 hierarchy is mounted; run `crucible doctor`");
  }
  for (size_t i = 0; i < host.parents_.size(); ++i)
    if (!make_dir(host.parents_[i])) {
      std::string why = errno_message("cgroup: cannot create " + host.parents_[i], errno);
      for (size_t j = 0; j < i; ++j) ::rmdir(host.parents_[j].c_str());  // none left behind
      throw SandboxFailure(
          why + "; Crucible needs a writable cgroup (run as root); run `crucible doctor`");
    }
  if (host.version_ == CgroupVersion::V2)
    write_value(host.parents_[0] + "/cgroup.subtree_control", "+memory +pids +cpu");
  return host;
}

std::string CgroupHost::describe() const {
  std::string out = version_ == CgroupVersion::V1 ? "cgroup v1:" : "cgroup v2:";
  for (const auto& p : parents_) out += " " + p;
  return out;
}

RunCgroup CgroupHost::slot(int index, const std::string& run_name) const {
  bool pooled = version_ == CgroupVersion::V1;
  std::string name = pooled ? "slot-" + std::to_string(index) : run_name;
  std::vector<std::string> dirs;
  for (const auto& p : parents_) {
    std::string d = p + "/" + name;
    if (!make_dir(d)) throw SandboxFailure(errno_message("cgroup: cannot create " + d, errno));
    dirs.push_back(d);
  }
  return RunCgroup(version_, dirs, pooled, pooled ? roots_ : std::vector<std::string>{});
}

void CgroupHost::remove_parent(int slot_count) const {
  if (version_ == CgroupVersion::V1)
    for (int i = 0; i < slot_count; ++i) {
      std::vector<std::string> dirs;
      for (const auto& p : parents_) dirs.push_back(p + "/slot-" + std::to_string(i));
      RunCgroup(version_, dirs, true).destroy();
    }
  for (const auto& p : parents_) ::rmdir(p.c_str());
}

void CgroupHost::sweep_stale() const {
  for (const auto& root : roots_) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root, ec)) {
      std::string name = entry.path().filename();
      if (!name.starts_with("crucible-")) continue;
      pid_t pid = static_cast<pid_t>(std::atoi(name.c_str() + 9));
      if (pid <= 0 || pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
      // A helper that died without cleaning up: its runs are gone, remove their groups.
      for (const auto& child : fs::directory_iterator(entry.path(), ec))
        if (child.is_directory()) RunCgroup(version_, {child.path()}, false).destroy();
      ::rmdir(entry.path().c_str());
    }
  }
}

}  // namespace crucible::sandbox::jail
