// A file of the run's /work that the caller asked back: its content, or why it is not
// returned.
#pragma once

#include <string>

namespace crucible::sandbox {

struct FetchedFile {
  std::string name;     // as asked, relative to /work
  std::string content;  // set when error is empty
  std::string error;    // "not found", "not a regular file", ...; empty: fetched
};

}  // namespace crucible::sandbox
