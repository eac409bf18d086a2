#include "rollout/train/report.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "rollout/train/report_chart.hpp"

namespace crucible::rollout {

namespace {

using nlohmann::json;

struct Run {
  std::string name;
  std::vector<json> lines;    // metrics.jsonl
  json config, machine;       // config.json, machine.json (null when absent)
  std::vector<json> heldout;  // heldout.jsonl: every evaluation's completions and verdicts
};

std::vector<json> read_jsonl(const std::filesystem::path& file) {
  std::vector<json> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    json j = json::parse(line, nullptr, false);
    if (!j.is_discarded() && j.contains("iteration")) out.push_back(std::move(j));
  }
  return out;
}

json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return nullptr;
  json j = json::parse(in, nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

std::vector<std::pair<double, double>> series(const Run& run, const std::string& field) {
  std::vector<std::pair<double, double>> s;
  for (const auto& j : run.lines)
    if (j.contains(field) && j[field].is_number())
      s.push_back({j["iteration"].get<double>(), j[field].get<double>()});
  return s;
}

std::string percent(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f%%", 100 * v);
  return b;
}

// Held-out accuracy of every run on one plot: overall, and each task source dashed.
Chart accuracy_chart(const std::vector<Run>& runs) {
  Chart c{.title = "held-out accuracy (greedy)", .unit_interval = true, .lines = {}};
  for (const auto& r : runs) {
    std::string prefix = runs.size() > 1 ? r.name + ": " : "";
    c.lines.push_back({prefix + "all held-out tasks", series(r, "heldout_accuracy"), false});
    std::map<std::string, ChartLine> sources;
    for (const auto& j : r.lines)
      if (j.contains("heldout_by_source") && j["heldout_by_source"].is_object())
        for (const auto& [source, acc] : j["heldout_by_source"].items())
          if (acc.is_number()) {
            ChartLine& line = sources[source];
            line.name = prefix + source;
            line.dashed = true;
            line.points.push_back({j["iteration"].get<double>(), acc.get<double>()});
          }
    if (sources.size() > 1)
      for (auto& [source, line] : sources) c.lines.push_back(std::move(line));
  }
  return c;
}

std::string run_header(const Run& r) {
  std::string html = "<h2>" + escape_html(r.name) + "</h2><p>";
  if (r.machine.is_object())
    html += "<b>Machine:</b> " + escape_html(r.machine.value("cpu", "?")) + ", " +
            format_number(r.machine.value("cores", 0.0)) + " cores, kernels " +
            escape_html(r.machine.value("kernels", "?")) + "<br>";
  const json& c = r.config;
  if (c.is_object()) {
    auto sources = [](const json& list) {
      std::string s;
      if (list.is_array())
        for (const auto& t : list)
          s += (s.empty() ? "" : ", ") +
               (t.contains("file")
                    ? t["file"].get<std::string>()
                    : t.value("family", "?") + " d" + std::to_string(t.value("difficulty", 0)) +
                          " x" + std::to_string(t.value("count", 0)));
      return s;
    };
    const json& m = c.value("model", json::object());
    const json& w = c.value("warmup", json::object());
    html +=
        "<b>Config:</b> seed " + c.value("seed", json(0)).dump() + "; model dim " +
        m.value("dim", json(0)).dump() + ", " + m.value("layers", json(0)).dump() +
        " layers; warm start " + w.value("steps", json(0)).dump() + " SFT steps at lr " +
        w.value("lr", json(0)).dump() + " on " + escape_html(sources(w.value("tasks", json()))) +
        (w.contains("print_slips") ? " (teacher print slips " + w["print_slips"].dump() + ")"
                                   : "") +
        (w.contains("sign_slips") ? " (teacher sign slips " + w["sign_slips"].dump() + ")" : "") +
        (w.contains("tool_demos") ? " (tool demonstrations " + w["tool_demos"].dump() + ")" : "") +
        (w.contains("rechecks") ? " (re-checks " + w["rechecks"].dump() + ")" : "") +
        (c.contains("tools")
             ? "; tools " + escape_html(c["tools"].value("languages", json()).dump())
             : "") +
        "; then " + c.value("iterations", json(0)).dump() + " iterations of " +
        escape_html(c.value("rule", "?")) + " (" + c.value("tasks_per_iteration", json(0)).dump() +
        " tasks x " + c.value("group_size", json(0)).dump() + " samples, lr " +
        c.value("lr", json(0)).dump() + ") on " + escape_html(sources(c.value("tasks", json()))) +
        "; held out: " + escape_html(sources(c.value("eval_tasks", json()))) +
        "<details><summary>config.json</summary><pre>" + escape_html(c.dump(2)) +
        "</pre></details>";
  }
  return html + "</p>";
}

// A few held-out tasks as the policy answered them before and after self-training: the ones
// it learned first, then any it unlearned, then the rest.
std::string before_after(const Run& r, size_t rows) {
  if (r.heldout.empty()) return "";
  size_t last = 0;
  for (const auto& h : r.heldout) last = std::max(last, h.value("iteration", size_t{0}));
  if (last == 0) return "";
  std::map<std::string, json> before, after;
  std::vector<std::string> order;
  for (const auto& h : r.heldout) {
    std::string id = h.value("task_id", "");
    size_t it = h.value("iteration", size_t{0});
    if (it == 0 && before.emplace(id, h).second) order.push_back(id);
    if (it == last) after[id] = h;
  }
  auto rank = [&](const std::string& id) {
    bool b = before[id].value("passed", false),
         a = after.count(id) && after[id].value("passed", false);
    return !b && a ? 0 : b && !a ? 1 : !b ? 2 : 3;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](const std::string& x, const std::string& y) { return rank(x) < rank(y); });
  auto cell = [](const json& h) {
    if (!h.is_object()) return std::string("<td></td>");
    bool ok = h.value("passed", false);
    return "<td class='" + std::string(ok ? "ok" : "bad") + "'><pre>" +
           escape_html(h.value("completion", "")) + "</pre>" + escape_html(h.value("verdict", "")) +
           "</td>";
  };
  std::string html =
      "<h3>Held-out tasks before and after (" + escape_html(r.name) + ", iteration 0 and " +
      std::to_string(last) +
      ")</h3><table class='samples'><tr><th>task</th><th>before</th><th>after</th></tr>";
  for (size_t k = 0; k < order.size() && k < rows; ++k)
    html += "<tr><td><pre>" + escape_html(before[order[k]].value("prompt", "")) + "</pre></td>" +
            cell(before[order[k]]) + cell(after.count(order[k]) ? after[order[k]] : json()) +
            "</tr>";
  return html + "</table>";
}

}  // namespace

std::string training_report(const std::vector<std::filesystem::path>& dirs) {
  if (dirs.empty()) throw InvalidRequest("report: give at least one run directory");
  std::vector<Run> runs;
  for (const auto& d : dirs) {
    if (!std::filesystem::exists(d / "metrics.jsonl"))
      throw InvalidRequest("report: " + (d / "metrics.jsonl").string() + " cannot be read");
    Run r;
    r.name = d.filename().empty() ? d.parent_path().filename().string() : d.filename().string();
    r.lines = read_jsonl(d / "metrics.jsonl");
    if (r.lines.empty()) throw InvalidRequest("report: " + d.string() + " has no metrics yet");
    r.config = read_json(d / "config.json");
    r.machine = read_json(d / "machine.json");
    r.heldout = read_jsonl(d / "heldout.jsonl");
    runs.push_back(std::move(r));
  }
  struct Plot {
    const char* field;
    const char* title;
    bool rate;
  };
  static const Plot plots[] = {
      {"reward_mean", "mean reward", true},
      {"pass_at_k", "pass@k of the training groups", true},
      {"tasks_solved", "share of picked tasks solved", true},
      {"completion_tokens", "mean completion length (tokens)", false},
      {"thinking_tokens", "mean thinking length (tokens)", false},
      {"policy_entropy", "policy entropy (sampled tokens)", false},
      {"entropy", "entropy of the tokens trained on", false},
      {"tool_call_rate", "share of samples that called the tool", true},
      {"heldout_tool_rate", "share of held-out answers that called the tool", true},
      {"tool_errors", "tool calls that failed (errors and limits)", false}};
  std::string html =
      "<!doctype html><html><head><meta charset='utf-8'><title>crucible training "
      "report</title><style>body{font-family:sans-serif;margin:24px;max-width:1100px}"
      "svg{margin:6px;border:1px solid #eee}table{border-collapse:collapse;margin:8px 0}"
      "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right;vertical-align:top}"
      "table.samples td{text-align:left}pre{margin:0;white-space:pre-wrap}"
      "td.ok{background:#e8f6e8}td.bad{background:#fbeaea}</style></head><body>"
      "<h1>Training report</h1>";
  for (const auto& r : runs) html += run_header(r);
  html +=
      "<table><tr><th>run</th><th>iterations</th><th>held-out accuracy: before</th>"
      "<th>after</th><th>mean reward: last</th><th>seconds</th></tr>";
  for (const auto& r : runs) {
    auto acc = series(r, "heldout_accuracy");
    auto reward = series(r, "reward_mean");
    auto elapsed = series(r, "elapsed");
    html += "<tr><td>" + escape_html(r.name) + "</td><td>" +
            format_number(r.lines.back()["iteration"].get<double>()) + "</td><td>" +
            (acc.empty() ? "" : percent(acc.front().second)) + "</td><td>" +
            (acc.empty() ? "" : percent(acc.back().second)) + "</td><td>" +
            (reward.empty() ? "" : format_number(reward.back().second)) + "</td><td>" +
            (elapsed.empty() ? "" : format_number(elapsed.back().second)) + "</td></tr>";
  }
  html += "</table><div>" + render_chart(accuracy_chart(runs));
  for (const auto& p : plots) {
    Chart c{.title = p.title, .unit_interval = p.rate, .lines = {}};
    bool any = false;  // a measure that stayed 0 in every run (no thinking) is not plotted
    for (const auto& r : runs) {
      c.lines.push_back({r.name, series(r, p.field), false});
      for (auto [x, y] : c.lines.back().points) any = any || y != 0;
    }
    if (any) html += render_chart(c);
  }
  html += "</div>" + before_after(runs.front(), 8);
  return html + "</body></html>\n";
}

}  // namespace crucible::rollout
