#include "sandbox/judge/compare.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/error.hpp"

namespace crucible::sandbox::judge {
namespace {

struct Case {
  Comparator kind;
  const char* expected;
  const char* actual;
  bool ok;
};

TEST(Compare, Table) {
  const Case cases[] = {
      {Comparator::Exact, "1 2\n", "1 2\n", true},
      {Comparator::Exact, "1 2\n", "1 2", false},
      {Comparator::Exact, "a", "b", false},
      {Comparator::Whitespace, "1 2\n3\n", "1   2\n3", true},
      {Comparator::Whitespace, "1 2\n", "1 2\n\n\n", true},
      {Comparator::Whitespace, "1 2\n", "1\n2\n", false},  // line structure counts
      {Comparator::Whitespace, "1 2\r\n", "1 2\n", true},
      {Comparator::Whitespace, "x", "X", false},
      {Comparator::Whitespace, "", "", true},
      {Comparator::Whitespace, "", "\n \n", true},
      {Comparator::Whitespace, "5", "", false},
      {Comparator::Float, "0.3333333", "0.33333331", true},
      {Comparator::Float, "1e9", "1000000001", true},  // relative 1e-6
      {Comparator::Float, "1.0", "1.1", false},
      {Comparator::Float, "abc 1.0", "abc 1.0000000001", true},
      {Comparator::Float, "abc", "abd", false},
      {Comparator::Float, "nan", "nan", true},  // equal text
      {Comparator::Float, "inf", "inf", true},
      {Comparator::Float, "inf", "1e308", false},
      {Comparator::Float, "1", "0x1", true},  // strtod reads hex floats: numerically equal
      {Comparator::CaseInsensitive, "YES\n", "yes", true},
      {Comparator::CaseInsensitive, "YES", "no", false},
      {Comparator::UnorderedLines, "a\nb\nc\n", "c\na\nb", true},
      {Comparator::UnorderedLines, "a\nb\n", "a\na\n", false},
      {Comparator::UnorderedLines, "a b\n", "b a\n", false},
      {Comparator::UnorderedTokens, "1 2 3", "3\n2 1", true},
      {Comparator::UnorderedTokens, "1 2 3", "1 2", false},
  };
  for (const auto& c : cases) {
    CompareOptions o;
    o.kind = c.kind;
    auto r = compare(c.expected, c.actual, o);
    EXPECT_EQ(r.ok, c.ok) << comparator_name(c.kind) << ": '" << c.expected << "' vs '" << c.actual
                          << "' " << r.message;
    if (!r.ok) {
      EXPECT_FALSE(r.message.empty());
    }
  }
}

TEST(Compare, MismatchMessageNamesLineAndToken) {
  auto r = compare("1\n2 3\n", "1\n2 4\n", {});
  EXPECT_EQ(r.message, "line 2, token 2: expected '3', got '4'");
  EXPECT_NE(compare("1\n", "1\n2\n", {}).message.find("extra"), std::string::npos);
}

// For programs of asserts: whatever they print, the exit status decides (the judge).
TEST(Compare, ExitStatusComparesNoOutput) {
  CompareOptions o;
  o.kind = Comparator::ExitStatus;
  EXPECT_TRUE(compare("", "anything\n", o).ok);
  // With an expected output (a program of tests' end-of-tests line), one line must be it.
  EXPECT_TRUE(compare("end 1\n", "ok!\nend 1\n", o).ok);
  EXPECT_TRUE(compare("end 1", "end 1\r\nmore\n", o).ok);
  EXPECT_FALSE(compare("end 1\n", "ok!\n", o).ok);
  EXPECT_FALSE(compare("end 1\n", "", o).ok);
  EXPECT_FALSE(compare("end 1\n", "xend 1\n", o).ok);
  EXPECT_NE(compare("end 1\n", "ok!\n", o).message.find("end-of-tests line"), std::string::npos);
  EXPECT_EQ(comparator_from_name("exit_status"), Comparator::ExitStatus);
  EXPECT_STREQ(comparator_name(Comparator::ExitStatus), "exit_status");
}

TEST(Compare, ToleranceIsConfigurable) {
  CompareOptions o;
  o.kind = Comparator::Float;
  o.abs_tol = 0.5;
  o.rel_tol = 0;
  EXPECT_TRUE(compare("1.0", "1.4", o).ok);
  EXPECT_FALSE(compare("1.0", "1.6", o).ok);
}

TEST(Compare, JsonNamesBadFields) {
  EXPECT_EQ(nlohmann::json({{"comparator", "float"}, {"abs_tol", 0.1}}).get<CompareOptions>().kind,
            Comparator::Float);
  EXPECT_THROW(nlohmann::json({{"comparator", "fuzzy"}}).get<CompareOptions>(), InvalidRequest);
  EXPECT_THROW(nlohmann::json({{"abs_tol", -1}}).get<CompareOptions>(), InvalidRequest);
  EXPECT_THROW(nlohmann::json({{"tolerance", 1}}).get<CompareOptions>(), InvalidRequest);
}

}  // namespace
}  // namespace crucible::sandbox::judge
