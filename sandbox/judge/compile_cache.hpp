// Content-addressed cache of builds: one directory per (language, compile argv, toolchain,
// source) holding the source and the compiler's artifacts, plus a small record beside it
// with the compile result. Builds are staged in a temporary directory and renamed into
// place, so concurrent compiles of the same source never see a half-written entry. The
// record lives outside the build directory, where the compiler cannot forge it.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace crucible::sandbox::judge {

struct CachedBuild {
  std::filesystem::path dir;
  bool ok = false;
  std::string output;  // compiler diagnostics
  int exit_code = 0;   // the compiler's, as it was when the build was made
};

class CompileCache {
 public:
  // `dir` empty: $CRUCIBLE_CACHE_DIR, else <tmp>/crucible-cache-<uid>.
  explicit CompileCache(std::filesystem::path dir = {}, size_t max_entries = 2048);
  ~CompileCache();
  CompileCache(const CompileCache&) = delete;
  CompileCache& operator=(const CompileCache&) = delete;

  std::optional<CachedBuild> lookup(const std::string& key) const;
  // A fresh staging directory, writable by the sandbox's uid. It lives under .staging/ beside
  // a lock file this process holds until commit() or discard(): a process that dies while
  // it compiles (Ctrl-C, a kill) leaves a directory whose lock is free, and the next cache
  // opened on the same directory removes it.
  std::filesystem::path stage() const;
  // Publishes a staged build under `key` (or discards it if another thread won the race).
  // The build is copied into fresh files owned by the host and read-only to everyone, and
  // the staged files are deleted: a compile step (a Perl BEGIN block, a build script) that
  // kept a writable descriptor to its output writes to files no run will ever see. The
  // record keeps a digest of the contents, checked on every lookup.
  CachedBuild commit(const std::filesystem::path& staged, const std::string& key, bool ok,
                     const std::string& output, int exit_code);
  // Removes a staged directory that will not be committed.
  void discard(const std::filesystem::path& staged) const;
  const std::filesystem::path& dir() const { return dir_; }
  // Where staged builds are made.
  std::filesystem::path staging_dir() const { return dir_ / ".staging"; }

 private:
  void evict();
  void sweep_abandoned_stages() const;
  void sweep_unlocked_stages_of_earlier_versions() const;
  std::filesystem::path dir_;
  size_t max_entries_;
  std::atomic<size_t> commits_{0};
  // Lock descriptors of this process's staged directories, by directory.
  mutable std::mutex stages_mu_;
  mutable std::map<std::filesystem::path, int> stage_locks_;
};

}  // namespace crucible::sandbox::judge
