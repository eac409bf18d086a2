// Files a run leaves in /work, read back for the caller after every process of the run is
// gone. The program owns everything under /work, so each name is resolved beneath /work with
// no symbolic link, no magic link and no mount crossing followed; only regular files are
// read (a FIFO or socket would block or leak), without blocking, up to a byte budget.
// Init reads them inside the jail and sends them to the supervisor after the run's end:
//
//   init:       write_fetched(fd, read_run_files("", names, budget));
//   supervisor: auto files = read_fetched(fd, deadline_ns, budget);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/fetched_file.hpp"

namespace crucible::sandbox::jail {

// A name the caller may ask for: relative to /work, or absolute under /work or /tmp (the
// run's writable places), without "." or ".." parts.
bool valid_fetch_name(const std::string& name);

// Reads each name beneath its place (/work or /tmp, under `root`: "" inside the jail). At
// most `budget` bytes in all: a file that does not fit gets an error instead.
std::vector<FetchedFile> read_run_files(const std::string& root,
                                        const std::vector<std::string>& names, uint64_t budget);

// The wire form: a length, then per file its name, error and content, each length-prefixed.
std::string encode_fetched(const std::vector<FetchedFile>& files);
// nullopt when the bytes are not a well-formed encoding.
std::optional<std::vector<FetchedFile>> decode_fetched(const std::string& bytes);

bool write_fetched(int fd, const std::vector<FetchedFile>& files);
// Reads one encoding from a non-blocking descriptor until CLOCK_MONOTONIC reaches
// deadline_ns; nullopt on timeout, EOF, or an encoding longer than max_bytes.
std::optional<std::vector<FetchedFile>> read_fetched(int fd, long long deadline_ns,
                                                     uint64_t max_bytes);

}  // namespace crucible::sandbox::jail
