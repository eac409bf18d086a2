// The report's charts: round ticks that cover the data, a fixed 0-1 axis for rates, and text
// that cannot break out of the SVG.
#include "rollout/train/report_chart.hpp"

#include <gtest/gtest.h>

namespace crucible::rollout {
namespace {

void expect_ticks(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << i;
}

TEST(ReportChart, TicksAreRoundAndCoverTheData) {
  expect_ticks(round_ticks(0, 1), {0, 0.2, 0.4, 0.6, 0.8, 1});
  expect_ticks(round_ticks(36.1, 42.6), {36, 38, 40, 42, 44});
  expect_ticks(round_ticks(0, 0.017), {0, 0.005, 0.01, 0.015, 0.02});
  expect_ticks(round_ticks(0, 12, 7), {0, 2, 4, 6, 8, 10, 12});
  std::vector<double> flat = round_ticks(5, 5);
  ASSERT_GE(flat.size(), 2u) << "a constant series still gets an axis";
  EXPECT_LE(flat.front(), 5);
  EXPECT_GE(flat.back(), 5);
}

TEST(ReportChart, RatesUseTheUnitAxisAndTextIsEscaped) {
  Chart c{.title = "accuracy <b>", .unit_interval = true, .lines = {}};
  c.lines.push_back({"run '1'", {{0, 0.1}, {4, 0.3}}, false});
  std::string svg = render_chart(c);
  EXPECT_NE(svg.find(">1</text>"), std::string::npos) << "the axis reaches 1 with data at 0.3";
  EXPECT_NE(svg.find(">0</text>"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_NE(svg.find("accuracy &lt;b&gt;"), std::string::npos);
  EXPECT_NE(svg.find("run &#39;1&#39;"), std::string::npos);
  Chart empty{.title = "none", .unit_interval = false, .lines = {}};
  EXPECT_NE(render_chart(empty).find("no data"), std::string::npos);
}

}  // namespace
}  // namespace crucible::rollout
