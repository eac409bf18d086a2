// The verifier against a labelled corpus in the styles real models write (GSM8K solutions
// with dollars in prose and "A:" lines, MATH-style \(\boxed{}\) responses, open reasoning
// datasets with several boxes and labelled references, plain text): every (gold, pred,
// correct) case of tests/fixtures/verify/corpus.jsonl, built by make_corpus.py there.
// The corpus must agree with its labels on at least 99.5% of cases, in every style; each
// disagreement is printed so a regression names its case.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "rewards/math/verifier.hpp"

namespace crucible::rewards::math {
namespace {

TEST(VerifierCorpus, AgreesWithTheLabelsOfRealStyleAnswers) {
  std::ifstream in(std::string(CRUCIBLE_SOURCE_DIR) + "/tests/fixtures/verify/corpus.jsonl");
  ASSERT_TRUE(in) << "missing tests/fixtures/verify/corpus.jsonl";
  std::map<std::string, std::pair<int, int>> by_style;  // style -> (agree, total)
  int agree = 0, total = 0;
  for (std::string line; std::getline(in, line);) {
    auto row = nlohmann::json::parse(line);
    VerifyOptions options;
    options.timeout = std::chrono::seconds(5);  // sanitizer builds are slow; steps still bound
    Verification v =
        verify(row["gold"].get<std::string>(), row["pred"].get<std::string>(), options);
    bool ok = v.correct == row["correct"].get<bool>();
    auto& [style_agree, style_total] = by_style[row["style"].get<std::string>()];
    ++style_total;
    ++total;
    if (ok) {
      ++style_agree;
      ++agree;
    } else {
      ADD_FAILURE() << row["id"] << " labelled " << row["correct"] << " but judged "
                    << status_name(v.status) << " (" << v.reason << "); pred_answer '"
                    << v.pred_answer << "' via " << v.extraction << ", gold_parsed '"
                    << v.gold_parsed << "', pred_parsed '" << v.pred_parsed << "'";
    }
  }
  ASSERT_GE(total, 1500);
  for (const auto& [style, counts] : by_style)
    std::printf("%-16s %d/%d\n", style.c_str(), counts.first, counts.second);
  EXPECT_GE(agree * 1000, total * 995) << agree << " of " << total << " agree";
}

}  // namespace
}  // namespace crucible::rewards::math
