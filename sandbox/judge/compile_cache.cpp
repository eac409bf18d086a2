#include "sandbox/judge/compile_cache.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "base/error.hpp"
#include "base/files.hpp"
#include "base/sha256.hpp"
#include "sandbox/jail/identity.hpp"

namespace crucible::sandbox::judge {
namespace fs = std::filesystem;

CompileCache::CompileCache(fs::path dir, size_t max_entries) : max_entries_(max_entries) {
  if (dir.empty()) {
    const char* env = std::getenv("CRUCIBLE_CACHE_DIR");
    dir = env && *env ? fs::path(env)
                      : temp_root() / ("crucible-cache-" + std::to_string(::getuid()));
  }
  dir_ = dir;
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec)
    throw SandboxFailure("compile cache: cannot create " + dir_.string() + ": " + ec.message());
  // The jail's init looks the box up as an unprivileged uid.
  ::chmod(dir_.c_str(), 0755);
  const bool first_with_staging = fs::create_directories(staging_dir(), ec);
  if (ec)
    throw SandboxFailure("compile cache: cannot create " + staging_dir().string() + ": " +
                         ec.message());
  ::chmod(staging_dir().c_str(), 0755);
  if (first_with_staging) sweep_unlocked_stages_of_earlier_versions();
  sweep_abandoned_stages();
}

CompileCache::~CompileCache() {
  std::lock_guard lock(stages_mu_);
  for (auto& [dir, fd] : stage_locks_) ::close(fd);
}

namespace {

// Takes the lock on `fd` and checks that `path` still names that file: a stage's lock file
// may be removed by a sweeper (and its name reused) between an open and its lock.
bool locked_and_still_named(int fd, const char* path, int operation) {
  struct stat held {
  }, named{};
  return ::flock(fd, operation) == 0 && ::fstat(fd, &held) == 0 && ::stat(path, &named) == 0 &&
         held.st_ino == named.st_ino && held.st_dev == named.st_dev;
}

}  // namespace

// A lock file whose lock is free belongs to a process that died while it staged a build:
// its directory goes, then the lock file. The lock is checked to still be that path's (a
// sweeper that locked a file another one just removed must not touch the new owner's).
void CompileCache::sweep_abandoned_stages() const {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(staging_dir(), ec)) {
    const fs::path lock_path = e.path();
    if (lock_path.extension() != ".lock") continue;
    int fd = ::open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    if (locked_and_still_named(fd, lock_path.c_str(), LOCK_EX | LOCK_NB)) {
      std::error_code ignored;
      fs::path staged = lock_path;
      fs::remove_all(staged.replace_extension(), ignored);
      ::unlink(lock_path.c_str());
    }
    ::close(fd);
  }
}

// Before .staging/, builds were staged as .stage-XXXXXX beside the entries, with no lock:
// a stopped compile's stayed for good. They are removed once, when a cache directory first
// gets .staging/ (listing every entry on each open would cost a large cache's start). One
// younger than any compile's wall limit may belong to an earlier version's process still
// compiling, and is left.
void CompileCache::sweep_unlocked_stages_of_earlier_versions() const {
  constexpr auto kOlderThanAnyCompile = std::chrono::minutes(10);
  const auto now = fs::file_time_type::clock::now();
  std::error_code ec;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code entry_ec;
    if (it->path().filename().string().rfind(".stage-", 0) != 0 || !it->is_directory(entry_ec) ||
        it->is_symlink(entry_ec))
      continue;
    auto modified = fs::last_write_time(it->path(), entry_ec);
    if (!entry_ec && now - modified > kOlderThanAnyCompile) fs::remove_all(it->path(), entry_ec);
  }
}

namespace {

// Digest of a build's contents: every regular file's relative path and bytes, in order.
// Modes are left out (the judge seals test programs after publishing them).
std::string build_digest(const fs::path& dir) {
  std::vector<std::string> lines;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_symlink(ec)) {
      lines.push_back(fs::relative(it->path(), dir).string() + " -> " +
                      fs::read_symlink(it->path(), ec).string());
    } else if (it->is_regular_file(ec)) {
      lines.push_back(fs::relative(it->path(), dir).string() + " " +
                      sha256_hex(read_file(it->path())));
    }
  }
  if (ec) return "";
  std::sort(lines.begin(), lines.end());
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  return sha256_hex(all);
}

// Fresh copies owned by us, read-only for everyone: directories 0555, files 0444, or 0555
// when the build made them executable.
void copy_read_only(const fs::path& from, const fs::path& to) {
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(to, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_symlink(ec)) continue;
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0) continue;
    mode_t mode = S_ISDIR(st.st_mode) ? 0555 : (st.st_mode & 0111) ? 0555 : 0444;
    ::chmod(it->path().c_str(), mode);
  }
  ::chmod(to.c_str(), 0555);
  if (ec) throw SandboxFailure("compile cache: cannot copy the build: " + ec.message());
}

}  // namespace

std::optional<CachedBuild> CompileCache::lookup(const std::string& key) const {
  fs::path record = dir_ / (key + ".json");
  std::string text;
  try {
    text = read_file(record);
  } catch (const Error&) {
    return std::nullopt;
  }
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !fs::is_directory(dir_ / key)) return std::nullopt;
  // A build that changed after it was published is not served (and not kept).
  if (!j.contains("digest") || j["digest"] != build_digest(dir_ / key)) {
    std::error_code ec;
    fs::remove(record, ec);
    fs::remove_all(dir_ / key, ec);
    return std::nullopt;
  }
  ::utimensat(AT_FDCWD, record.c_str(), nullptr, 0);  // recently used: evicted last
  return CachedBuild{dir_ / key, j.value("ok", false), j.value("output", ""),
                     j.value("exit_code", 0)};
}

fs::path CompileCache::stage() const {
  fs::path staged;
  for (int attempt = 0; staged.empty(); ++attempt) {
    std::string pattern = (staging_dir() / "XXXXXX.lock").string();
    int fd = ::mkostemps(pattern.data(), 5, O_CLOEXEC);
    if (fd < 0)
      throw SandboxFailure(
          errno_message("compile cache: cannot stage in " + staging_dir().string(), errno));
    fs::path dir = fs::path(pattern).replace_extension();
    // Still ours once locked (a sweeper may have taken the new file for an abandoned one).
    bool ours = locked_and_still_named(fd, pattern.c_str(), LOCK_EX);
    if (ours && ::mkdir(dir.c_str(), 0700) == 0) {
      std::lock_guard lock(stages_mu_);
      stage_locks_[dir] = fd;
      staged = dir;
      continue;
    }
    if (ours) ::unlink(pattern.c_str());  // the directory's name was taken: try another
    ::close(fd);
    if (attempt >= 100)
      throw SandboxFailure("compile cache: cannot stage in " + staging_dir().string());
  }
  // The compiler writes its artifacts here as its run's own uid, which is not known before the
  // run: every run's program has the sandbox's gid, so the group may write.
  if (::chown(staged.c_str(), 0, jail::kHostSandboxGid) != 0 || ::chmod(staged.c_str(), 0770) != 0)
    throw SandboxFailure(errno_message("compile cache: cannot prepare " + staged.string(), errno));
  return staged;
}

void CompileCache::discard(const fs::path& staged) const {
  std::error_code ec;
  fs::remove_all(staged, ec);
  std::lock_guard lock(stages_mu_);
  auto it = stage_locks_.find(staged);
  if (it == stage_locks_.end()) return;
  fs::path lock_path = staged;
  ::unlink(lock_path.replace_extension(".lock").c_str());
  ::close(it->second);
  stage_locks_.erase(it);
}

CachedBuild CompileCache::commit(const fs::path& staged, const std::string& key, bool ok,
                                 const std::string& output, int exit_code) {
  fs::path final_dir = dir_ / key;
  fs::path copy = dir_ / (".copy-" + key + "-" + std::to_string(::gettid()));
  std::error_code ec;
  try {
    copy_read_only(staged, copy);
  } catch (const std::exception& e) {
    discard(staged);
    fs::remove_all(copy, ec);
    throw SandboxFailure(std::string("compile cache: ") + e.what());
  }
  discard(staged);
  std::string digest = build_digest(copy);
  nlohmann::json record = {
      {"ok", ok}, {"output", output}, {"exit_code", exit_code}, {"digest", digest}};
  // Only the thread whose rename publishes the build writes its record: builds of one source
  // can differ (a .pyc holds a time), and a record describing another build than the one in
  // place would make the next lookup throw out a build that runs are using.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  for (bool orphan_removed = false;;) {
    fs::rename(copy, final_dir, ec);
    if (!ec) break;
    // Published by another thread or process first: use it once its record is in place (a
    // lookup also throws out a build that does not match its record, and then ours goes in).
    std::error_code ignored;
    if (auto published = lookup(key)) {
      fs::remove_all(copy, ignored);
      return *published;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      if (orphan_removed || !fs::exists(final_dir, ignored)) {
        fs::remove_all(copy, ignored);
        throw SandboxFailure("compile cache: cannot publish " + final_dir.string() + ": " +
                             ec.message());
      }
      // A build whose publisher never wrote its record (it died in between): moved aside
      // in one step, then ours goes in.
      fs::path aside = dir_ / (".orphan-" + key + "-" + std::to_string(::gettid()));
      fs::rename(final_dir, aside, ignored);
      fs::remove_all(aside, ignored);
      orphan_removed = true;
      deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
      continue;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  fs::path tmp = dir_ / (".record-" + key + "-" + std::to_string(::gettid()));
  write_file(tmp, record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  fs::rename(tmp, dir_ / (key + ".json"));
  if (++commits_ % 64 == 0) evict();
  return CachedBuild{final_dir, ok, output, exit_code};
}

void CompileCache::evict() {
  std::vector<std::pair<fs::file_time_type, fs::path>> records;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir_, ec))
    if (e.path().extension() == ".json") records.emplace_back(e.last_write_time(ec), e.path());
  if (records.size() <= max_entries_) return;
  std::sort(records.begin(), records.end());
  for (size_t i = 0; i + max_entries_ < records.size(); ++i) {
    fs::path build = records[i].second;
    build.replace_extension();
    fs::remove(records[i].second, ec);
    fs::remove_all(build, ec);
  }
}

}  // namespace crucible::sandbox::judge
