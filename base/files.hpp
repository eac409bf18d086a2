// Small file-system helpers shared by every component.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace crucible {

// Reads a whole file; throws Error naming the path when it cannot.
std::string read_file(const std::filesystem::path& path);

// Writes `data` to `path` (created with `mode`, truncated); throws Error on failure.
void write_file(const std::filesystem::path& path, std::string_view data, unsigned mode = 0644);

// Writes `data` beside `path` and renames it into place: a reader or a crash never sees
// the file half written. Throws Error on failure.
void replace_file(const std::filesystem::path& path, std::string_view data);

// Writes all of `data` to `fd`, retrying on EINTR; returns false on any other error.
bool write_all(int fd, std::string_view data);

// Appends `lines` to `path` (created when missing) in one write and syncs it before
// returning: after a crash the file holds them whole, or a torn last line at worst.
// Throws Error naming the path on failure.
void append_durably(const std::filesystem::path& path, std::string_view lines);
// The same on an open descriptor; `what` names it in the error.
void append_durably(int fd, std::string_view lines, const std::string& what);

// A line-oriented file's whole lines: its content up to the last newline (a line torn by a
// crash mid-append is dropped). Empty when the file does not exist.
std::string read_whole_lines(const std::filesystem::path& path);

// Creates a fresh directory "<parent>/<prefix>XXXXXX" (mkdtemp); throws Error on failure.
std::filesystem::path make_temp_dir(const std::filesystem::path& parent, std::string_view prefix);

// A directory made with mkdtemp under `parent`, removed with its contents on destruction.
class TempDir {
 public:
  explicit TempDir(const std::filesystem::path& parent, std::string_view prefix = "crucible-");
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The directory for temporary files: $TMPDIR or /tmp.
std::filesystem::path temp_root();

}  // namespace crucible
