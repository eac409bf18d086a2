// Files a run leaves in its scratch places (/work, /tmp, ...: scratch_table), read back for
// the caller after every process of the run is gone. The program owns everything there, so
// each name is resolved beneath its place with no symbolic link, no magic link and no mount
// crossing followed; only regular files are read (a FIFO or socket would block or leak),
// without blocking, up to a byte budget. Init reads them inside the jail and sends them to the
// supervisor after the run's end, as one frame (protocol.hpp: write_fetched, read_fetched).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sandbox/fetched_file.hpp"

namespace crucible::sandbox::jail {

// A name the caller may ask for: relative to /work, or absolute under a scratch place, without
// "." or ".." parts.
bool valid_fetch_name(const std::string& name);

// Reads each name beneath its scratch place (under `root`: "" inside the jail). At most
// `budget` bytes in all: a file that does not fit gets an error instead.
std::vector<FetchedFile> read_run_files(const std::string& root,
                                        const std::vector<std::string>& names, uint64_t budget);

}  // namespace crucible::sandbox::jail
