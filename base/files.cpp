#include "base/files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <vector>

#include "base/error.hpp"
#include "base/unique_fd.hpp"

namespace crucible {

std::string read_file(const std::filesystem::path& path) {
  unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw Error(errno_message("cannot open " + path.string(), errno));
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(errno_message("cannot read " + path.string(), errno));
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void write_file(const std::filesystem::path& path, std::string_view data, unsigned mode) {
  unique_fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (!fd) throw Error(errno_message("cannot create " + path.string(), errno));
  if (!write_all(fd.get(), data))
    throw Error(errno_message("cannot write " + path.string(), errno));
}

void replace_file(const std::filesystem::path& path, std::string_view data) {
  auto partial = path;
  partial += ".partial";
  write_file(partial, data);
  std::error_code ec;
  std::filesystem::rename(partial, path, ec);
  if (ec)
    throw Error("cannot rename " + partial.string() + " to " + path.string() + ": " + ec.message());
}

std::filesystem::path temp_root() {
  const char* env = std::getenv("TMPDIR");
  return (env && *env) ? std::filesystem::path(env) : std::filesystem::path("/tmp");
}

std::filesystem::path make_temp_dir(const std::filesystem::path& parent, std::string_view prefix) {
  std::string pattern = (parent / (std::string(prefix) + "XXXXXX")).string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data()))
    throw Error(errno_message("cannot create a directory in " + parent.string(), errno));
  return buf.data();
}

TempDir::TempDir(const std::filesystem::path& parent, std::string_view prefix)
    : path_(make_temp_dir(parent, prefix)) {}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace crucible
