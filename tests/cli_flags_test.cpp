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
  // Given twice, a flag is refused: the last one silently winning lost a user's first --config.
  EXPECT_NE(message({"--lang", "py", "--lang=c"}).find("--lang is given twice"), std::string::npos);
  EXPECT_NE(message({"--json", "--json"}).find("--json is given twice"), std::string::npos);
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

constexpr FlagSpec kLabelFlags[] = {{"tasks", "T.jsonl", "the tasks", true},
                                    {"n", "N", "samples per task"},
                                    {"temperature", "T", "sampling temperature"},
                                    {"resume", "", "continue"}};
constexpr CommandSpec kSpec{"label", {}, "Labels tasks.", kLabelFlags};

std::string error_of(const std::vector<std::string>& args) {
  try {
    auto f = parse_command(args, kSpec);
    if (f) (void)f->real("temperature", 0, 10);
  } catch (const InvalidRequest& e) {
    return e.what();
  }
  return "accepted";
}

TEST(CommandSpec, OneTableParsesTheFlagsAndWritesTheHelp) {
  std::string help = kSpec.help();
  EXPECT_EQ(help.rfind("usage: crucible label --tasks T.jsonl [options]\nLabels tasks.\n", 0), 0u)
      << help;
  for (const char* line : {"--tasks T.jsonl", "the tasks (required)", "-n N", "--resume"})
    EXPECT_NE(help.find(line), std::string::npos) << line << "\n" << help;
  auto f = parse_command({"--tasks", "t.jsonl", "-n", "4", "--resume"}, kSpec);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->get("tasks"), "t.jsonl");
  EXPECT_EQ(f->whole("n", 1, 10), 4u);
  EXPECT_TRUE(f->has("resume"));
  EXPECT_FALSE(parse_command({"--help"}, kSpec)) << "--help prints and ends the command";
}

// A program of its own (the benches): its usage line starts with the program, not a command.
TEST(CommandSpec, ABenchsUsageNamesTheBench) {
  static constexpr FlagSpec kRuns[] = {{"runs", "N", "runs"}};
  constexpr CommandSpec bench{"", {}, "Times things.", kRuns, "", "bin/x_bench"};
  EXPECT_EQ(bench.help().rfind("usage: bin/x_bench [options]\nTimes things.\n", 0), 0u)
      << bench.help();
}

TEST(CommandSpec, EveryParseErrorNamesTheFlag) {
  EXPECT_EQ(error_of({"--tasks", "t", "--temperature", "hot"}),
            "--temperature must be a number from 0 to 10, got 'hot'");
  EXPECT_EQ(error_of({"--tasks", "t", "--temperature", "11"}),
            "--temperature must be a number from 0 to 10, got '11'");
  EXPECT_EQ(error_of({"-n", "3"}).rfind("--tasks is required\nusage: crucible label", 0), 0u);
  EXPECT_NE(error_of({"--tasks", "t", "--colour", "red"}).find("--colour"), std::string::npos);
  EXPECT_NE(error_of({"--tasks"}).find("--tasks needs a value"), std::string::npos);
  EXPECT_NE(error_of({"--tasks", "t", "--resume=yes"}).find("--resume takes no value"),
            std::string::npos);
}

}  // namespace
}  // namespace crucible::cli
