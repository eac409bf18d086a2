#include "sandbox/jail/mounts.hpp"

#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <optional>
#include <utility>

#include "base/error.hpp"
#include "base/files.hpp"

namespace crucible::sandbox::jail {
namespace {

// The staging tmpfs is mounted over /tmp in the jail's private mount namespace only.
constexpr const char* kStage = "/tmp";

void check(int rc, const std::string& what) {
  if (rc != 0) throw SandboxFailure(errno_message("jail: " + what, errno));
}

// Where the host's root stays, inside the new root, between build_base_root and finish_root.
constexpr const char* kHostDir = "/.host";

std::string staged(const std::string& inside) {
  return std::string(kStage) + inside;
}

// mkdir -p, deepest first: a path whose parent exists (the common case while the root is
// built) costs one call, not one per component.
void make_dirs(const std::string& path) {
  if (path.empty() || ::mkdir(path.c_str(), 0755) == 0 || errno == EEXIST) return;
  const size_t slash = path.rfind('/');
  if (errno != ENOENT || slash == std::string::npos || slash == 0) check(-1, "mkdir " + path);
  make_dirs(path.substr(0, slash));
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) check(-1, "mkdir " + path);
}

// Flags a user namespace may not clear on remount: keep whatever the source has.
unsigned long locked_flags(const std::string& source) {
  struct statvfs sv {};
  if (::statvfs(source.c_str(), &sv) != 0) return 0;
  unsigned long f = 0;
  if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
  if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
  if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
  if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
  return f;
}

// A mount point at `target`: a directory, or an empty file for a file's mount.
void make_mount_point(const std::string& target, bool is_dir) {
  if (is_dir) {
    make_dirs(target);
    return;
  }
  make_dirs(target.substr(0, target.rfind('/')));
  int fd = ::open(target.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
  check(fd < 0 ? -1 : ::close(fd), "create mount point " + target);
}

// Binds `source` at `target` (created as a dir or an empty file), read-only unless asked.
void bind_mount(const std::string& source, const std::string& target, bool writable, bool is_dir,
                const std::string& flags_from) {
  make_mount_point(target, is_dir);
  check(::mount(source.c_str(), target.c_str(), nullptr, MS_BIND | MS_REC, nullptr),
        "bind " + target);
  unsigned long flags = MS_BIND | MS_REMOUNT | MS_NOSUID | locked_flags(flags_from);
  if (!writable) flags |= MS_RDONLY;
  check(::mount(nullptr, target.c_str(), nullptr, flags, nullptr), "remount " + target);
}

// A host path bound at the same path under `root`; a symlink (merged /usr: /bin -> usr/bin)
// is copied as a symlink.
void replicate(const std::string& root, const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return;
  std::string target = root + path;
  if (S_ISLNK(st.st_mode)) {
    char link[4096];
    ssize_t n = ::readlink(path.c_str(), link, sizeof link - 1);
    check(n < 0 ? -1 : 0, "readlink " + path);
    link[n] = '\0';
    make_dirs(target.substr(0, target.rfind('/')));
    check(::symlink(link, target.c_str()), "symlink " + target);
    return;
  }
  bind_mount(path, target, false, S_ISDIR(st.st_mode), path);
}

void mount_tmpfs(const std::string& target, uint64_t size_bytes, unsigned mode) {
  make_dirs(target);
  char mode_text[16];
  std::snprintf(mode_text, sizeof mode_text, "%o", mode);  // tmpfs reads mode in octal
  std::string opts = "size=" + std::to_string(size_bytes) + ",mode=" + mode_text;
  check(::mount("tmpfs", target.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, opts.c_str()),
        "tmpfs " + target);
}

// Mounts a detached tree (detach_tree, made by the supervisor) at `target`, on a mount point
// of its kind.
void attach_tree(int tree, const std::string& target) {
  struct stat st {};
  check(::fstat(tree, &st), "stat the tree for " + target);
  make_mount_point(target, S_ISDIR(st.st_mode));
  check(static_cast<int>(
            ::syscall(SYS_move_mount, tree, "", AT_FDCWD, target.c_str(), MOVE_MOUNT_F_EMPTY_PATH)),
        "attach " + target);
}

void write_etc(const char* name, const char* text) {
  make_dirs(staged("/etc"));
  write_file(staged(std::string("/etc/") + name), text);
}

// The size a parked jail's scratch places are mounted with: the default file-size limit, which
// most requests keep (a request with another has them resized, finish_root).
const uint64_t kParkedScratchBytes = Limits{}.file_size_bytes;

// Every scratch place as a fresh size-capped tmpfs. Their pages are charged to the run's
// memory cgroup, so all of them together stay within its memory limit.
void mount_scratch_places(uint64_t size_bytes) {
  for (const auto& place : scratch_table()) mount_tmpfs(place.path, size_bytes, 01777);
}

// The request's files in /work.
void write_work_files(const JailSpec& spec) {
  for (const auto& [name, content] : spec.work_files) {
    if (!valid_work_file_name(name))
      throw SandboxFailure("jail: bad work file name '" + name + "'");
    std::string path = "/work/" + name;
    make_dirs(path.substr(0, path.rfind('/')));
    write_file(path, content, 0644);
  }
}

}  // namespace

const std::vector<RootEntry>& root_table() {
  static const std::vector<RootEntry> table = {
      {"/usr", false, "toolchains, interpreters and shared libraries"},
      {"/bin", true, "merged-/usr symlink or legacy binaries"},
      {"/sbin", true, "merged-/usr symlink"},
      {"/lib", true, "merged-/usr symlink or the dynamic loader"},
      {"/lib32", true, "merged-/usr symlink"},
      {"/lib64", true, "the dynamic loader's path"},
      {"/etc/alternatives", true, "Debian's alternatives symlinks (java, cc, ...)"},
      {"/etc/ld.so.cache", true, "fast shared-library lookup"},
      {"/etc/localtime", true, "time zone for date/time libraries"},
  };
  return table;
}

const std::vector<ScratchPlace>& scratch_table() {
  static const std::vector<ScratchPlace> table = {
      {"/work", "the working directory, with the request's files"},
      {"/tmp", "temporary files (HOME is here too)"},
      {"/dev/shm", "POSIX shared memory and semaphores (Python's multiprocessing locks)"},
      {"/mnt", "scratch mounts that container-based sandboxes' clients write to"},
  };
  return table;
}

std::optional<std::pair<std::string, std::string>> split_scratch_path(const std::string& path) {
  if (path.empty() || path[0] != '/') return std::pair<std::string, std::string>{"/work", path};
  for (const auto& place : scratch_table()) {
    std::string prefix = std::string(place.path) + "/";
    if (path.rfind(prefix, 0) == 0)
      return std::pair{std::string(place.path), path.substr(prefix.size())};
  }
  return std::nullopt;
}

bool valid_work_file_name(const std::string& name) {
  if (name.empty() || name.size() > 255 || name[0] == '/' || name.back() == '/') return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    std::string part = name.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return name.find('\0') == std::string::npos;
}

unique_fd detach_tree(const std::string& dir, bool writable) {
  unique_fd tree(static_cast<int>(::syscall(SYS_open_tree, AT_FDCWD, dir.c_str(),
                                            OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE)));
  if (!tree) throw SandboxFailure(errno_message("jail: cannot open the directory " + dir, errno));
  mount_attr attr{};
  attr.attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | (writable ? 0 : MOUNT_ATTR_RDONLY);
  if (::syscall(SYS_mount_setattr, tree.get(), "", AT_EMPTY_PATH | AT_RECURSIVE, &attr,
                sizeof attr) != 0)
    throw SandboxFailure(errno_message("jail: cannot set the flags of " + dir, errno));
  return tree;
}

void build_base_root() {
  // Nothing we mount may propagate back to the host.
  check(::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr), "make mounts private");
  mount_tmpfs(kStage, 4 << 20, 0755);
  for (const auto& entry : root_table()) {
    if (entry.optional && ::access(entry.path, F_OK) != 0) continue;
    replicate(kStage, entry.path);
  }

  // Our own /etc files: no host accounts, no host names.
  write_etc("passwd",
            "root:x:0:0:root:/:/bin/false\nsandbox:x:1000:1000:sandbox:/tmp:/bin/false\n");
  write_etc("group", "root:x:0:\nsandbox:x:1000:\n");
  write_etc("hosts", "127.0.0.1 localhost\n");
  write_etc("nsswitch.conf", "passwd: files\ngroup: files\nhosts: files\n");

  // /dev: bind only harmless devices onto empty files in the staging tmpfs.
  for (const char* dev : {"null", "zero", "full", "random", "urandom"})
    bind_mount(std::string("/dev/") + dev, staged(std::string("/dev/") + dev), true, false, "/dev");
  check(::symlink("/proc/self/fd", staged("/dev/fd").c_str()), "symlink /dev/fd");
  check(::symlink("/proc/self/fd/0", staged("/dev/stdin").c_str()), "symlink /dev/stdin");
  check(::symlink("/proc/self/fd/1", staged("/dev/stdout").c_str()), "symlink /dev/stdout");
  check(::symlink("/proc/self/fd/2", staged("/dev/stderr").c_str()), "symlink /dev/stderr");

  // A fresh /proc shows only this pid namespace.
  make_dirs(staged("/proc"));
  check(::mount("proc", staged("/proc").c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr),
        "mount /proc");

  // The staging root becomes / now; the host stays reachable under kHostDir only until the
  // scratch places are mounted, long before any program runs.
  make_dirs(staged(kHostDir));
  check(::chdir(kStage), "chdir to the new root");
  check(static_cast<int>(::syscall(SYS_pivot_root, ".", kHostDir + 1)), "pivot_root");
  check(::chdir("/"), "chdir /");
  // Fresh and empty, and nothing runs in them before the request's program.
  mount_scratch_places(kParkedScratchBytes);
  check(::umount2(kHostDir, MNT_DETACH), "detach the host root");
  check(::rmdir(kHostDir), "remove the host's mount point");
}

void finish_root(const JailSpec& spec, const RequestTrees& trees) {
  if (spec.limits.file_size_bytes != kParkedScratchBytes)
    for (const auto& place : scratch_table()) {
      const std::string size = "size=" + std::to_string(spec.limits.file_size_bytes);
      check(::mount(nullptr, place.path, nullptr, MS_REMOUNT | MS_NOSUID | MS_NODEV, size.c_str()),
            std::string("resize ") + place.path);
    }
  write_work_files(spec);
  attach_tree(trees.box, "/box");
  if (trees.data >= 0) attach_tree(trees.data, "/data");
  for (size_t i = 0; i < trees.extra_ro.size(); ++i)
    attach_tree(trees.extra_ro[i], spec.extra_ro_paths.at(i));
  check(::mount(nullptr, "/", nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV,
                nullptr),
        "make / read-only");
  check(::chdir(spec.cwd.c_str()), "chdir " + spec.cwd);
}

void reset_scratch(const JailSpec& spec) {
  check(::chdir("/"), "chdir /");
  // Detaching drops the old contents with the mount; nothing of a run reaches the next.
  for (const auto& place : scratch_table())
    check(::umount2(place.path, MNT_DETACH), std::string("detach ") + place.path);
  mount_scratch_places(spec.limits.file_size_bytes);
  write_work_files(spec);
}

}  // namespace crucible::sandbox::jail
