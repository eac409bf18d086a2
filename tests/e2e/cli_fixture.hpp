// Running the crucible executable from a test: its exit code and output, and a temporary
// directory for the files a command reads.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "base/files.hpp"

namespace crucible::testing {

struct Result {
  int code;
  std::string out;  // stdout and stderr together
};

inline Result crucible(const std::string& args) {
  std::string cmd = std::string(CRUCIBLE_BINARY) + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  Result r{-1, ""};
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class Cli : public ::testing::Test {
 protected:
  TempDir dir{temp_root()};
  std::string file(const std::string& name, const std::string& text) {
    write_file(dir.path() / name, text);
    return (dir.path() / name).string();
  }
};

}  // namespace crucible::testing
