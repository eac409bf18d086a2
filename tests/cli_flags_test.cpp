#include <gtest/gtest.h>

#include "base/error.hpp"
#include "cli/flags.hpp"

namespace crucible::cli {
namespace {

TEST(Flags, ParsesValuesBooleansAndPositionals) {
  Flags f({"--lang", "py", "--json", "--time-limit=2", "prog.py"}, {"lang", "time-limit"},
          {"json"});
  EXPECT_EQ(f.get("lang"), "py");
  EXPECT_TRUE(f.has("json"));
  EXPECT_EQ(f.number("time-limit"), 2.0);
  ASSERT_EQ(f.positionals().size(), 1u);
  EXPECT_EQ(f.positionals()[0], "prog.py");
}

TEST(Flags, ErrorsNameTheFlag) {
  auto message = [](std::vector<std::string> args) {
    try {
      Flags f(args, {"lang", "time-limit"}, {"json"});
      (void)f.number("time-limit");
    } catch (const InvalidRequest& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({"--bogus"}).find("--bogus"), std::string::npos);
  EXPECT_NE(message({"--lang"}).find("needs a value"), std::string::npos);
  EXPECT_NE(message({"--json=1"}).find("takes no value"), std::string::npos);
  EXPECT_NE(message({"--time-limit", "abc"}).find("--time-limit"), std::string::npos);
  EXPECT_NE(message({"--time-limit", "-1"}).find("positive"), std::string::npos);
  EXPECT_NE(message({"--time-limit", "nan"}).find("positive"), std::string::npos);
  EXPECT_NE(message({"-x"}).find("-x"), std::string::npos);
}

}  // namespace
}  // namespace crucible::cli
