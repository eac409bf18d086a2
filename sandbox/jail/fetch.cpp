#include "sandbox/jail/fetch.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/unique_fd.hpp"
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
      return "leads outside its scratch place";
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

}  // namespace

bool valid_fetch_name(const std::string& name) {
  auto split = split_scratch_path(name);
  return split && valid_work_file_name(split->second);
}

std::vector<FetchedFile> read_run_files(const std::string& root,
                                        const std::vector<std::string>& names, uint64_t budget) {
  std::vector<FetchedFile> out;
  for (const auto& name : names) {
    auto split = split_scratch_path(name);
    if (!split) {
      out.push_back({name, {}, "not in a scratch place"});
      continue;
    }
    unique_fd dir(::open((root + split->first).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    FetchedFile f = dir.get() < 0 ? FetchedFile{name, {}, "not found"}
                                  : read_one(dir.get(), split->second, budget);
    f.name = name;
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace crucible::sandbox::jail
