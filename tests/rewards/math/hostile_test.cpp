// Hostile and malformed answers: every one gets a bounded, clearly labelled result
// (never a crash, a hang or a silent "wrong"), and the verifier is safe from many threads.
#include <gtest/gtest.h>

#include <thread>

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "rewards/math/verifier.hpp"

namespace crucible::rewards::math {
namespace {

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

struct HostileRow {
  std::string name;
  std::string gold;
  std::string pred;
  VerifyStatus status;
  const char* message;  // substring of the message; "" = any
};

std::vector<HostileRow> rows() {
  return {
      {"deeply_nested_braces", "2", "\\boxed{" + repeat("{", 3000) + "1" + repeat("}", 3000) + "}",
       VerifyStatus::UnparseablePred, "nesting deeper than"},
      {"deeply_nested_parens", "2", "\\boxed{" + repeat("(", 3000) + "1" + repeat(")", 3000) + "}",
       VerifyStatus::UnparseablePred, "nesting deeper than"},
      {"long_unary_chain", "5", "\\boxed{" + repeat("-", 4000) + "5}",
       VerifyStatus::UnparseablePred, "nested too deeply"},
      {"hundred_kb_answer", "1", "\\boxed{" + repeat("1+", 50000) + "1}",
       VerifyStatus::UnparseablePred, "bytes; the limit is"},
      {"hundred_kb_output_of_prose", "7", repeat("lorem ipsum ", 9000) + " so 7",
       VerifyStatus::Correct, ""},
      {"two_megabyte_output", "1", repeat("a", 2 << 20), VerifyStatus::UnparseablePred,
       "the limit is"},
      {"tower_of_powers_equal", "10^{10^{10}}", "10^{10^{10}}", VerifyStatus::Correct, ""},
      {"tower_of_powers_differs", "10^{10^{10}}", "10^{10^{10}}+1", VerifyStatus::Wrong, ""},
      {"tower_against_number", "10^{10^{10}}", "10", VerifyStatus::Wrong, ""},
      {"huge_factorial", "1000000!", "1000000!", VerifyStatus::Correct, ""},
      {"huge_exponent_of_variable", "x^{10^{9}}", "x^{10^{9}}+1", VerifyStatus::Wrong, ""},
      {"long_number_literal", "1", repeat("9", 5000), VerifyStatus::UnparseablePred, "digits"},
      {"huge_scientific_exponent", "1", "\\boxed{1e99999}", VerifyStatus::UnparseablePred,
       "exponent"},
      {"unbalanced_frac", "\\frac{1}{2}", "the answer is \\frac{1}{", VerifyStatus::UnparseablePred,
       "end of answer"},
      {"unbalanced_left_right", "1", "the answer is \\left( 1", VerifyStatus::UnparseablePred,
       "expected"},
      {"unbalanced_box_falls_back", "3", "\\boxed{3", VerifyStatus::Correct, ""},
      {"invalid_utf8_pred", "1", "the answer is \xff\xfe 1", VerifyStatus::UnparseablePred,
       "invalid UTF-8 at byte 14"},
      {"invalid_utf8_gold", "\xc3\x28", "1", VerifyStatus::UnparseableGold,
       "invalid UTF-8 at byte 0"},
      {"overlong_utf8", "1", "\xc0\xaf", VerifyStatus::UnparseablePred, "invalid UTF-8"},
      {"empty_output", "1", "", VerifyStatus::NoAnswer, "no answer"},
      {"empty_gold", "", "1", VerifyStatus::UnparseableGold, "empty"},
      {"unknown_command", "1", "\\boxed{\\evil{1}}", VerifyStatus::UnparseablePred,
       "unknown command"},
      {"division_by_zero_equal", "\\frac{1}{0}", "\\frac{1}{0}", VerifyStatus::Correct, ""},
      {"division_by_zero_differs", "1", "\\frac{1}{0}", VerifyStatus::Wrong, ""},
      {"nul_bytes", "1", std::string("\\boxed{1\0}", 10), VerifyStatus::UnparseablePred,
       "unexpected character"},
      {"only_punctuation", "1", "?!?", VerifyStatus::NoAnswer, ""},
      // Found by the fuzzer: a separator word at the end of an answer looped forever.
      {"trailing_separator_word", "1", "\\boxed{-0\\%or}", VerifyStatus::Wrong, ""},
  };
}

class Hostile : public ::testing::TestWithParam<HostileRow> {};

TEST_P(Hostile, GetsABoundedLabelledResult) {
  const HostileRow& r = GetParam();
  Verification v = verify(r.gold, r.pred, VerifyOptions{});
  EXPECT_EQ(status_name(v.status), std::string(status_name(r.status)))
      << "reason: " << v.reason << " message: " << v.message;
  if (*r.message) {
    EXPECT_NE(v.message.find(r.message), std::string::npos) << v.message;
  }
  if (v.status == VerifyStatus::UnparseablePred || v.status == VerifyStatus::UnparseableGold) {
    EXPECT_FALSE(v.message.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Table, Hostile, ::testing::ValuesIn(rows()),
                         [](const auto& info) { return info.param.name; });

// Work is bounded by a step count too, so the same input times out on every machine.
TEST(HostileBudget, ARunawayComparisonReportsTimeout) {
  // Elements written differently ("\frac{2i}{2}" for i), so each pair is evaluated.
  std::string a = "\\{", b = "\\{";
  for (int i = 0; i < 100; ++i) {
    if (i) a.append(","), b.append(",");
    a.append(std::to_string(i));
    b.append("\\frac{" + std::to_string(2 * (99 - i)) + "}{2}");
  }
  a += "\\}";
  b += "\\}";
  VerifyOptions tight;
  tight.max_steps = 500;
  b = "\\boxed{" + b + "}";
  Verification v = verify(a, b, tight);
  EXPECT_EQ(v.status, VerifyStatus::Timeout);
  EXPECT_FALSE(v.correct);
  VerifyOptions ample;  // the default deadline is too short under sanitizers
  ample.timeout = std::chrono::seconds(30);
  EXPECT_TRUE(verify(a, b, ample).correct);
}

TEST(HostileOptions, BadOptionsNameTheField) {
  EXPECT_THROW(VerifyOptions::from_json(nlohmann::json{{"significant_digits", 0}}), InvalidRequest);
  EXPECT_THROW(VerifyOptions::from_json(nlohmann::json{{"percent", "half"}}), InvalidRequest);
  try {
    VerifyOptions::from_json(nlohmann::json{{"tolerence", 0.1}});
    ADD_FAILURE();
  } catch (const InvalidRequest& e) {
    EXPECT_NE(std::string(e.what()).find("options.tolerence is not a known field"),
              std::string::npos);
  }
}

// Many threads verifying at once get exactly the single-threaded results.
TEST(Concurrency, ManyThreadsAgreeWithOne) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 200; ++i) {
    pairs.push_back({"\\frac{" + std::to_string(i) + "}{7}",
                     "\\boxed{" + std::to_string(i % 3 ? i : i + 1) + "/7}"});
    pairs.push_back(
        {"x^" + std::to_string(i % 5 + 1) + "+1", "1+x^{" + std::to_string(i % 5 + 1) + "}"});
    pairs.push_back({"\\sqrt{" + std::to_string(i + 2) + "}", std::to_string(i + 2) + "^{1/2}"});
  }
  std::vector<int> expected;
  for (const auto& [g, p] : pairs) expected.push_back(verify(g, p, {}).correct);
  std::vector<std::vector<int>> got(8);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t)
    threads.emplace_back([&, t] {
      for (const auto& [g, p] : pairs) got[t].push_back(verify(g, p, {}).correct);
    });
  for (auto& t : threads) t.join();
  for (const auto& g : got) EXPECT_EQ(g, expected);
  EXPECT_GT(std::count(expected.begin(), expected.end(), 1), 0);
  EXPECT_GT(std::count(expected.begin(), expected.end(), 0), 0);
}

}  // namespace
}  // namespace crucible::rewards::math
