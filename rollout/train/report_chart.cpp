#include "rollout/train/report_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace crucible::rollout {
namespace {

// Coordinates and ticks: a rounding residue such as 1e-17 is drawn as 0.
std::string num(double v) {
  return format_number(std::abs(v) < 1e-12 ? 0.0 : v);
}

const char* kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

}  // namespace

std::string format_number(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.4g", v);
  return b;
}

std::string escape_html(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else if (c == '"')
      out += "&quot;";
    else if (c == '\'')
      out += "&#39;";
    else
      out += c;
  }
  return out;
}

std::vector<double> round_ticks(double lo, double hi, int at_most) {
  if (!(hi > lo)) hi = lo + 1;
  double raw = (hi - lo) / std::max(1, at_most - 1);
  double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * power >= raw) {
      step = m * power;
      break;
    }
  std::vector<double> ticks;
  for (double t = std::floor(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push_back(std::round(t / step) * step);
  if (ticks.back() < hi - step * 1e-9) ticks.push_back(ticks.back() + step);
  return ticks;
}

std::string render_chart(const Chart& chart) {
  constexpr double W = 520, H = 300, L = 56, R = 16, T = 30, B = 40;
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
  for (const auto& line : chart.lines)
    for (auto [x, y] : line.points) {
      x0 = std::min(x0, x), x1 = std::max(x1, x);
      y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
  std::string svg = "<svg xmlns='http://www.w3.org/2000/svg' width='" + num(W) + "' height='" +
                    num(H) + "' role='img'><title>" + escape_html(chart.title) + "</title>";
  svg += "<text x='" + num(W / 2) + "' y='18' text-anchor='middle' font-size='14'>" +
         escape_html(chart.title) + "</text>";
  if (x0 > x1) return svg + "<text x='60' y='130' font-size='12'>no data</text></svg>";
  if (chart.unit_interval) y0 = 0, y1 = 1;
  std::vector<double> yt =
      chart.unit_interval ? std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1} : round_ticks(y0, y1);
  std::vector<double> xt = round_ticks(x0, std::max(x1, x0 + 1), 7);
  for (double& t : xt) t = std::round(t);  // iterations are whole
  xt.erase(std::unique(xt.begin(), xt.end()), xt.end());
  y0 = yt.front(), y1 = yt.back(), x0 = xt.front(), x1 = xt.back();
  auto px = [&](double x) { return L + (x - x0) / (x1 - x0) * (W - L - R); };
  auto py = [&](double y) { return H - B - (y - y0) / (y1 - y0) * (H - T - B); };
  for (double y : yt)
    svg += "<line x1='" + num(L) + "' x2='" + num(W - R) + "' y1='" + num(py(y)) + "' y2='" +
           num(py(y)) + "' stroke='#eee'/><text x='" + num(L - 4) + "' y='" + num(py(y) + 4) +
           "' text-anchor='end' font-size='10'>" + num(y) + "</text>";
  for (double x : xt)
    svg += "<text x='" + num(px(x)) + "' y='" + num(H - B + 14) +
           "' text-anchor='middle' font-size='10'>" + num(x) + "</text>";
  svg += "<rect x='" + num(L) + "' y='" + num(T) + "' width='" + num(W - L - R) + "' height='" +
         num(H - T - B) + "' fill='none' stroke='#888'/>";
  svg += "<text x='" + num(W / 2) + "' y='" + num(H - 6) +
         "' text-anchor='middle' font-size='11'>iteration</text>";
  for (size_t r = 0; r < chart.lines.size(); ++r) {
    const ChartLine& line = chart.lines[r];
    const char* color = kColors[r % 6];
    std::string path;
    for (auto [x, y] : line.points)
      path += (path.empty() ? "M" : " L") + num(px(x)) + " " + num(py(y));
    if (!path.empty())
      svg += "<path d='" + path + "' fill='none' stroke='" + color + "' stroke-width='2'" +
             (line.dashed ? " stroke-dasharray='5 3'" : "") + "/>";
    for (auto [x, y] : line.points)
      svg +=
          "<circle cx='" + num(px(x)) + "' cy='" + num(py(y)) + "' r='2.5' fill='" + color + "'/>";
    svg += "<text x='" + num(L + 8) + "' y='" + num(T + 14 + 13 * static_cast<double>(r)) +
           "' font-size='11' fill='" + color + "'>" + escape_html(line.name) + "</text>";
  }
  return svg + "</svg>";
}

}  // namespace crucible::rollout
