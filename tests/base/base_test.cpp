#include <gtest/gtest.h>

#include <filesystem>

#include "base/error.hpp"
#include "base/files.hpp"
#include "base/sha256.hpp"

namespace crucible {
namespace {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Files, WriteThenReadRoundTripsBinary) {
  TempDir dir(temp_root());
  std::string data("a\0b\xff\n", 5);
  write_file(dir.path() / "f", data);
  EXPECT_EQ(read_file(dir.path() / "f"), data);
}

TEST(Files, ReadingAMissingFileNamesThePath) {
  try {
    read_file("/nonexistent/crucible-file");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/crucible-file"), std::string::npos);
  }
}

TEST(Files, TempDirRemovesItsContents) {
  std::filesystem::path kept;
  {
    TempDir dir(temp_root());
    kept = dir.path();
    write_file(kept / "inner", "x");
    std::filesystem::create_directory(kept / "sub");
    EXPECT_TRUE(std::filesystem::exists(kept));
  }
  EXPECT_FALSE(std::filesystem::exists(kept));
}

}  // namespace
}  // namespace crucible
