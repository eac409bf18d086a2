#include "rollout/train/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "base/error.hpp"

namespace crucible::rollout {

namespace {

using nlohmann::json;

struct Run {
  std::string name;
  std::vector<json> lines;
};

struct Series {
  std::vector<std::pair<double, double>> points;  // (iteration, value)
};

Series series(const Run& run, const std::string& field) {
  Series s;
  for (const auto& j : run.lines)
    if (j.contains(field) && j[field].is_number())
      s.points.push_back({j["iteration"].get<double>(), j[field].get<double>()});
  return s;
}

std::string escape(const std::string& text) {
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
    else
      out += c;
  }
  return out;
}

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.4g", v);
  return b;
}

const char* kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

// One line chart: every run's series of `field`, with axes, ticks and a legend.
std::string chart(const std::vector<Run>& runs, const std::string& field,
                  const std::string& title) {
  constexpr double W = 460, H = 260, L = 56, R = 16, T = 30, B = 40;
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
  std::vector<Series> all;
  for (const auto& r : runs) {
    all.push_back(series(r, field));
    for (auto [x, y] : all.back().points) {
      x0 = std::min(x0, x), x1 = std::max(x1, x);
      y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
  }
  std::string svg = "<svg xmlns='http://www.w3.org/2000/svg' width='" + num(W) + "' height='" +
                    num(H) + "' role='img'><title>" + escape(title) + "</title>";
  svg += "<text x='" + num(W / 2) + "' y='18' text-anchor='middle' font-size='14'>" +
         escape(title) + "</text>";
  if (x0 > x1) return svg + "<text x='60' y='130' font-size='12'>no data</text></svg>";
  if (x1 == x0) x1 = x0 + 1;
  if (y1 == y0) y1 = y0 + (y0 == 0 ? 1 : std::abs(y0) * 0.1);
  auto px = [&](double x) { return L + (x - x0) / (x1 - x0) * (W - L - R); };
  auto py = [&](double y) { return H - B - (y - y0) / (y1 - y0) * (H - T - B); };
  svg += "<rect x='" + num(L) + "' y='" + num(T) + "' width='" + num(W - L - R) + "' height='" +
         num(H - T - B) + "' fill='none' stroke='#888'/>";
  for (int k = 0; k <= 4; ++k) {
    double y = y0 + (y1 - y0) * k / 4, x = x0 + (x1 - x0) * k / 4;
    svg += "<text x='" + num(L - 4) + "' y='" + num(py(y) + 4) +
           "' text-anchor='end' font-size='10'>" + num(y) + "</text>";
    svg += "<text x='" + num(px(x)) + "' y='" + num(H - B + 14) +
           "' text-anchor='middle' font-size='10'>" + num(std::round(x)) + "</text>";
  }
  svg += "<text x='" + num(W / 2) + "' y='" + num(H - 6) +
         "' text-anchor='middle' font-size='11'>iteration</text>";
  for (size_t r = 0; r < all.size(); ++r) {
    const char* color = kColors[r % 6];
    std::string path;
    for (auto [x, y] : all[r].points)
      path += (path.empty() ? "M" : " L") + num(px(x)) + " " + num(py(y));
    if (!path.empty())
      svg += "<path d='" + path + "' fill='none' stroke='" + color + "' stroke-width='2'/>";
    for (auto [x, y] : all[r].points)
      svg +=
          "<circle cx='" + num(px(x)) + "' cy='" + num(py(y)) + "' r='2.5' fill='" + color + "'/>";
    svg += "<text x='" + num(L + 8) + "' y='" + num(T + 14 + 13 * static_cast<double>(r)) +
           "' font-size='11' fill='" + color + "'>" + escape(runs[r].name) + "</text>";
  }
  return svg + "</svg>";
}

}  // namespace

std::string training_report(const std::vector<std::filesystem::path>& dirs) {
  if (dirs.empty()) throw InvalidRequest("report: give at least one run directory");
  std::vector<Run> runs;
  for (const auto& d : dirs) {
    std::ifstream in(d / "metrics.jsonl");
    if (!in) throw InvalidRequest("report: " + (d / "metrics.jsonl").string() + " cannot be read");
    Run r;
    r.name = d.filename().empty() ? d.parent_path().filename().string() : d.filename().string();
    for (std::string line; std::getline(in, line);) {
      json j = json::parse(line, nullptr, false);
      if (!j.is_discarded() && j.contains("iteration")) r.lines.push_back(j);
    }
    if (r.lines.empty()) throw InvalidRequest("report: " + d.string() + " has no metrics yet");
    runs.push_back(std::move(r));
  }
  static const std::vector<std::pair<std::string, std::string>> plots = {
      {"heldout_accuracy", "held-out accuracy"},
      {"reward_mean", "mean reward"},
      {"completion_tokens", "mean completion length (tokens)"},
      {"thinking_tokens", "mean thinking length (tokens)"},
      {"policy_entropy", "policy entropy (sampled tokens)"},
      {"entropy", "entropy of the tokens trained on"},
      {"tasks_solved", "share of picked tasks solved"}};
  std::string html =
      "<!doctype html><html><head><meta charset='utf-8'><title>crucible training "
      "report</title><style>body{font-family:sans-serif;margin:24px}"
      "svg{margin:6px;border:1px solid #eee}table{border-collapse:collapse}"
      "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}</style></head><body>"
      "<h1>Training report</h1><table><tr><th>run</th><th>iterations</th>"
      "<th>held-out accuracy: first</th><th>last</th><th>mean reward: last</th>"
      "<th>seconds</th></tr>";
  for (const auto& r : runs) {
    auto acc = series(r, "heldout_accuracy").points;
    auto reward = series(r, "reward_mean").points;
    auto elapsed = series(r, "elapsed").points;
    html += "<tr><td>" + escape(r.name) + "</td><td>" +
            num(r.lines.back()["iteration"].get<double>()) + "</td><td>" +
            (acc.empty() ? "" : num(acc.front().second)) + "</td><td>" +
            (acc.empty() ? "" : num(acc.back().second)) + "</td><td>" +
            (reward.empty() ? "" : num(reward.back().second)) + "</td><td>" +
            (elapsed.empty() ? "" : num(elapsed.back().second)) + "</td></tr>";
  }
  html += "</table><div>";
  for (const auto& [field, title] : plots) html += chart(runs, field, title);
  return html + "</div></body></html>\n";
}

}  // namespace crucible::rollout
