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

void append_durably(int fd, std::string_view lines, const std::string& what) {
  if (!write_all(fd, lines)) throw Error(errno_message("cannot append to " + what, errno));
  if (::fdatasync(fd) != 0) throw Error(errno_message("cannot sync " + what, errno));
}

void append_durably(const std::filesystem::path& path, std::string_view lines) {
  unique_fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (!fd) throw Error(errno_message("cannot open " + path.string() + " for appending", errno));
  append_durably(fd.get(), lines, path.string());
}

std::string read_whole_lines(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) return "";
  std::string content = read_file(path);
  size_t keep = content.rfind('\n');
  content.resize(keep == std::string::npos ? 0 : keep + 1);
  return content;
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
