#include "sandbox/languages/detect.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <map>

#include "base/error.hpp"
#include "base/files.hpp"

namespace crucible::sandbox::languages {
namespace {

const Registry& registry() {
  return Registry::builtin();
}

TEST(Detect, ExtensionWins) {
  EXPECT_EQ(detect(registry(), "print(1)", "x.rb").language->name, "ruby");
  EXPECT_EQ(detect(registry(), "", "Main.java").method, "extension");
}

TEST(Detect, ShebangWins) {
  EXPECT_EQ(detect(registry(), "#!/usr/bin/env python3\nputs 1\n").language->name, "python3");
  EXPECT_EQ(detect(registry(), "#!/bin/bash -e\nprint(1)\n").language->name, "bash");
  EXPECT_EQ(detect(registry(), "#!/usr/bin/python3.11\n").language->name, "python3");
  EXPECT_EQ(detect(registry(), "#!/usr/bin/env node\n").language->name, "javascript");
}

TEST(Detect, NothingRecognisableIsAClearError) {
  try {
    detect(registry(), "!!!! ???");
    FAIL();
  } catch (const InvalidRequest& e) {
    EXPECT_NE(std::string(e.what()).find("--lang"), std::string::npos);
  }
  EXPECT_THROW(detect(registry(), ""), InvalidRequest);
}

TEST(Detect, HostileInputStaysBounded) {
  std::string huge(4 << 20, '(');
  EXPECT_THROW(detect(registry(), huge), InvalidRequest);
  std::string binary("\x00\xff\xfe\x80int main", 12);
  EXPECT_NO_THROW({
    try {
      detect(registry(), binary);
    } catch (const InvalidRequest&) {
    }
  });
}

// The labelled corpus: tests/fixtures/detect/<language>.txt, snippets split by "----".
TEST(Detect, CorpusAccuracyIsAtLeast95Percent) {
  std::filesystem::path dir = std::filesystem::path(CRUCIBLE_SOURCE_DIR) / "tests/fixtures/detect";
  int total = 0, correct = 0;
  std::map<std::string, int> per_language;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string want = entry.path().stem();
    std::string text = read_file(entry.path()) + "\n----\n";
    size_t start = 0, sep;
    while ((sep = text.find("\n----\n", start)) != std::string::npos) {
      std::string snippet = text.substr(start, sep - start + 1);
      start = sep + 6;
      if (snippet.find_first_not_of(" \n") == std::string::npos) continue;
      ++total;
      ++per_language[want];
      std::string got;
      try {
        got = detect(registry(), snippet).language->name;
      } catch (const InvalidRequest&) {
        got = "(none)";
      }
      if (got == want)
        ++correct;
      else
        std::cout << "detect miss: expected " << want << ", got " << got << ":\n"
                  << snippet << "\n";
    }
  }
  for (const auto& l : registry().all()) {
    if (!l.detectable()) continue;  // chosen by name only
    EXPECT_GE(per_language[l.name], 10) << l.name << " needs 10 snippets";
  }
  std::cout << "detect accuracy: " << correct << " of " << total << "\n";
  EXPECT_GE(correct * 100, total * 95) << correct << " of " << total;
}

}  // namespace
}  // namespace crucible::sandbox::languages
