#include "sandbox/judge/compile_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "base/error.hpp"
#include "base/files.hpp"
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
}

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
  ::utimensat(AT_FDCWD, record.c_str(), nullptr, 0);  // recently used: evicted last
  return CachedBuild{dir_ / key, j.value("ok", false), j.value("output", "")};
}

fs::path CompileCache::stage() const {
  fs::path staged = make_temp_dir(dir_, ".stage-");
  // The compiler runs as the sandbox's uid and writes its artifacts here.
  if (::chown(staged.c_str(), jail::kHostSandboxUid, jail::kHostSandboxUid) != 0 ||
      ::chmod(staged.c_str(), 0755) != 0)
    throw SandboxFailure(errno_message("compile cache: cannot prepare " + staged.string(), errno));
  return staged;
}

void CompileCache::discard(const fs::path& staged) const {
  std::error_code ec;
  fs::remove_all(staged, ec);
}

CachedBuild CompileCache::commit(const fs::path& staged, const std::string& key, bool ok,
                                 const std::string& output) {
  fs::path final_dir = dir_ / key;
  std::error_code ec;
  fs::rename(staged, final_dir, ec);
  if (ec) discard(staged);  // another thread published the same build first
  nlohmann::json record = {{"ok", ok}, {"output", output}};
  fs::path tmp = dir_ / (".record-" + key + "-" + std::to_string(::gettid()));
  write_file(tmp, record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  fs::rename(tmp, dir_ / (key + ".json"));
  if (++commits_ % 64 == 0) evict();
  return CachedBuild{final_dir, ok, output};
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
