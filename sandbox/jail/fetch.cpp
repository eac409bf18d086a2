#include "sandbox/jail/fetch.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/files.hpp"
#include "base/unique_fd.hpp"
#include "sandbox/jail/clock.hpp"
#include "sandbox/jail/mounts.hpp"

namespace crucible::sandbox::jail {
namespace {

std::string open_error(int err) {
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return "not found";
    case ELOOP:
      return "a symbolic link (not followed)";
    case EXDEV:
      return "leads outside its place (/work or /tmp)";
    default:
      return std::string("cannot open: ") + std::strerror(err);
  }
}

FetchedFile read_one(int dir, const std::string& name, uint64_t& budget) {
  FetchedFile f{name, {}, {}};
  open_how how{};
  how.flags = O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
  int fd = static_cast<int>(::syscall(SYS_openat2, dir, name.c_str(), &how, sizeof how));
  if (fd < 0) {
    f.error = open_error(errno);
    return f;
  }
  unique_fd file(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    f.error = "not a regular file";
    return f;
  }
  // Read to the end rather than trust st_size (a file can grow while open); stop past budget.
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      f.error = std::string("cannot read: ") + std::strerror(errno);
      f.content.clear();
      return f;
    }
    if (n == 0) break;
    if (f.content.size() + static_cast<uint64_t>(n) > budget) {
      f.error = "larger than the " + std::to_string(budget) + " bytes left for fetched files";
      f.content.clear();
      return f;
    }
    f.content.append(buf, static_cast<size_t>(n));
  }
  budget -= f.content.size();
  return f;
}

void put(std::string& out, const std::string& s) {
  uint64_t n = s.size();
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  out += s;
}

bool take(const std::string& in, size_t& at, std::string& s) {
  uint64_t n;
  if (in.size() - at < sizeof n) return false;
  std::memcpy(&n, in.data() + at, sizeof n);
  at += sizeof n;
  if (in.size() - at < n) return false;
  s.assign(in, at, n);
  at += n;
  return true;
}

// The place a name lies in (/work or /tmp) and its path beneath it.
std::pair<std::string, std::string> place_of(const std::string& name) {
  for (const char* place : {"/work/", "/tmp/"}) {
    const std::string prefix(place);
    if (name.rfind(prefix, 0) == 0)
      return {prefix.substr(0, prefix.size() - 1), name.substr(prefix.size())};
  }
  return {"/work", name};
}

}  // namespace

bool valid_fetch_name(const std::string& name) {
  return valid_work_file_name(place_of(name).second);
}

std::vector<FetchedFile> read_run_files(const std::string& root,
                                        const std::vector<std::string>& names, uint64_t budget) {
  std::vector<FetchedFile> out;
  for (const auto& name : names) {
    auto [place, path] = place_of(name);
    unique_fd dir(::open((root + place).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    FetchedFile f =
        dir.get() < 0 ? FetchedFile{name, {}, "not found"} : read_one(dir.get(), path, budget);
    f.name = name;
    out.push_back(std::move(f));
  }
  return out;
}

std::string encode_fetched(const std::vector<FetchedFile>& files) {
  std::string body;
  for (const auto& f : files) {
    put(body, f.name);
    put(body, f.error);
    put(body, f.content);
  }
  std::string out;
  put(out, body);
  return out;
}

std::optional<std::vector<FetchedFile>> decode_fetched(const std::string& bytes) {
  size_t at = 0;
  std::string body;
  if (!take(bytes, at, body) || at != bytes.size()) return std::nullopt;
  std::vector<FetchedFile> out;
  at = 0;
  while (at < body.size()) {
    FetchedFile f;
    if (!take(body, at, f.name) || !take(body, at, f.error) || !take(body, at, f.content))
      return std::nullopt;
    out.push_back(std::move(f));
  }
  return out;
}

bool write_fetched(int fd, const std::vector<FetchedFile>& files) {
  return write_all(fd, encode_fetched(files));
}

std::optional<std::vector<FetchedFile>> read_fetched(int fd, long long deadline_ns,
                                                     uint64_t max_bytes) {
  std::string got;
  uint64_t want = sizeof(uint64_t);
  bool have_length = false;
  char buf[65536];
  while (got.size() < want) {
    ssize_t n = ::read(fd, buf, std::min<uint64_t>(sizeof buf, want - got.size()));
    if (n > 0) {
      got.append(buf, static_cast<size_t>(n));
      if (!have_length && got.size() == sizeof(uint64_t)) {
        uint64_t body;
        std::memcpy(&body, got.data(), sizeof body);
        if (body > max_bytes) return std::nullopt;
        want += body;
        have_length = true;
      }
      continue;
    }
    if (n == 0) return std::nullopt;  // the writer is gone mid-way
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return std::nullopt;
    long long left = deadline_ns - monotonic_ns();
    if (left <= 0) return std::nullopt;
    pollfd p{fd, POLLIN, 0};
    ::poll(&p, 1, static_cast<int>((left + 999'999) / 1'000'000));
  }
  return decode_fetched(got);
}

}  // namespace crucible::sandbox::jail
