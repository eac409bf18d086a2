// One SVG line chart of a training report: named series over iterations, with round ticks
// (a fixed 0-1 axis for rates such as accuracy) and a legend.
//
//   Chart c{.title = "held-out accuracy", .unit_interval = true};
//   c.lines.push_back({"run-1 overall", {{0, 0.12}, {4, 0.55}, {12, 0.97}}});
//   std::string svg = render_chart(c);
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace crucible::rollout {

struct ChartLine {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (iteration, value)
  bool dashed = false;
};

struct Chart {
  std::string title;
  bool unit_interval = false;  // the y axis is 0 to 1 whatever the data
  std::vector<ChartLine> lines;
};

std::string render_chart(const Chart& chart);
// Round tick values covering [lo, hi]: steps of 1, 2 or 5 times a power of ten.
std::vector<double> round_ticks(double lo, double hi, int at_most = 6);
// A number as the report prints it: at most 4 significant digits ("0.9688", "145.6").
std::string format_number(double v);
// Text safe inside HTML and SVG.
std::string escape_html(const std::string& text);

}  // namespace crucible::rollout
