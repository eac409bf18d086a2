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

TEST(Flags, WholeNumbersAreCheckedAgainstTheirRange) {
  auto whole = [](const std::string& value) {
    try {
      Flags f({"--seed", value}, {"seed"}, {});
      return std::to_string(*f.whole("seed", 0, 4294967295ULL));
    } catch (const InvalidRequest& e) {
      return std::string(e.what());
    }
  };
  EXPECT_EQ(whole("0"), "0");
  EXPECT_EQ(whole("4294967295"), "4294967295");
  for (const char* bad : {"abc", "", "-1", "1.5", " 7", "4294967296", "99999999999999999999999"})
    EXPECT_EQ(whole(bad),
              "--seed must be a whole number from 0 to 4294967295, got '" + std::string(bad) + "'")
        << bad;
  Flags none({}, {"seed"}, {});
  EXPECT_FALSE(none.whole("seed", 0, 1).has_value());
  Flags port({"--port", "65536"}, {"port"}, {});
  EXPECT_THROW(port.port("port"), InvalidRequest);
}

}  // namespace
}  // namespace crucible::cli
