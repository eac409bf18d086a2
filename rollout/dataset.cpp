#include "rollout/dataset.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <optional>

#include "base/error.hpp"
#include "base/files.hpp"
#include "base/json_fields.hpp"
#include "base/rng.hpp"
#include "rollout/engine.hpp"
#include "rollout/verl_row.hpp"

namespace crucible::rollout {

using nlohmann::json;

LabelOptions LabelOptions::from_json(const json& j) {
  LabelOptions o;
  if (j.is_null()) return o;
  JsonFields f(j, "label config: ");
  f.text("mode", o.mode, {"parallel", "serial"});
  f.count("n", 1, 1024, o.n);
  f.count("segments", 1, 64, o.segments);
  f.count("batch_tasks", 1, 1024, o.batch_tasks);
  f.text("template", o.prompt_template);
  std::string advantage;
  if (f.text("advantage", advantage, {"standard", "no_std", "leave_one_out"}))
    o.advantage = advantage == "standard" ? rewards::AdvantageMode::Standard
                  : advantage == "no_std" ? rewards::AdvantageMode::NoStd
                                          : rewards::AdvantageMode::LeaveOneOut;
  f.count("max_tokens", 1, 1 << 20, o.sampling.max_tokens);
  f.number("temperature", 0, 10, o.sampling.temperature);
  f.number("top_p", 1e-9, 1, o.sampling.top_p);
  f.count("top_k", 0, 1 << 20, o.sampling.top_k);
  size_t seed = o.sampling.seed;
  f.count("seed", 0, static_cast<size_t>(1) << 52, seed);
  o.sampling.seed = seed;
  f.names("tools", o.tools);
  f.count("tool_turns", 1, 64, o.tool_turns);
  f.done();
  if (!o.tools.empty() && (o.mode != "parallel" || o.segments > 1))
    throw InvalidRequest("label config: tools work in parallel mode without segments");
  if (o.mode == "serial" && o.n < 2)
    throw InvalidRequest("label config: serial mode needs n >= 2 (exits + full path)");
  return o;
}

void to_json(json& j, const LabelSummary& s) {
  j = {{"tasks", s.tasks},
       {"resumed_tasks", s.resumed_tasks},
       {"samples", s.samples},
       {"accuracy", s.samples > s.invalid ? static_cast<double>(s.correct) /
                                                static_cast<double>(s.samples - s.invalid)
                                          : 0.0},
       {"invalid", s.invalid},
       {"verdicts", s.verdicts},
       {"mean_tokens", s.mean_tokens},
       {"seconds", s.seconds},
       {"samples_per_second", s.seconds > 0 ? static_cast<double>(s.samples) / s.seconds : 0.0},
       {"repeated", s.repeated}};
  if (s.tools.samples_with_calls > 0) j["tools"] = s.tools;
}

std::set<std::string> recover_dataset(const std::string& path, size_t group_size) {
  std::set<std::string> done;
  if (!std::filesystem::exists(path)) return done;
  std::string content = read_whole_lines(path);            // a torn last line is cut
  std::map<std::string, size_t> counts, expected;          // records seen, records the group has
  std::vector<std::pair<std::string, std::string>> lines;  // task id, line
  size_t start = 0;
  while (start < content.size()) {
    size_t end = content.find('\n', start);
    std::string line = content.substr(start, end - start);
    start = end + 1;
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("task_id"))
      throw InvalidRequest(path + ": a line is not a sample record; refusing to append to it");
    std::string id = j["task_id"].get<std::string>();
    ++counts[id];
    expected[id] = j.value("group_size", group_size);
    lines.push_back({id, std::move(line)});
  }
  std::string kept;
  for (const auto& [id, line] : lines)
    if (counts[id] >= expected[id]) kept += line + "\n";
  for (const auto& [id, c] : counts)
    if (c >= expected[id]) done.insert(id);
  if (kept.size() != content.size() || content.size() != std::filesystem::file_size(path))
    write_file(path, kept);
  return done;
}

namespace {

// Appends a whole group in one write and syncs it, so a task is on disk whole or not at all.
void append_group(int fd, const std::vector<json>& lines) {
  std::string block;
  for (const auto& l : lines)
    block += l.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  append_durably(fd, block, "the dataset");
}

bool accepted(const SampleRecord& r) {
  return r.reward.passed();
}

}  // namespace

LabelSummary label_dataset(policy::Policy& policy, const rewards::Scorer& score,
                           const std::vector<tasks::Task>& all_tasks, const LabelOptions& o,
                           const std::string& out_path,
                           const std::function<void(const std::vector<SampleRecord>&)>& on_group,
                           const tasks::ToolRunner& tool_runner) {
  auto t0 = std::chrono::steady_clock::now();
  LabelSummary summary;
  std::set<std::string> done = recover_dataset(out_path, o.n);
  std::vector<tasks::Task> pending;
  for (const auto& t : all_tasks) {
    if (done.count(t.id)) {
      ++summary.resumed_tasks;
    } else {
      pending.push_back(t);
      ++summary.tasks;
    }
  }
  int fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw InvalidRequest(errno_message("cannot open --out " + out_path, errno));
  json sampling = {{"max_tokens", o.sampling.max_tokens},
                   {"temperature", o.sampling.temperature},
                   {"top_p", o.sampling.top_p},
                   {"top_k", o.sampling.top_k},
                   {"seed", o.sampling.seed},
                   {"template", o.prompt_template},
                   {"mode", o.mode},
                   {"n", o.n},
                   {"segments", o.segments}};
  if (!o.tools.empty()) sampling["tools"] = o.tools, sampling["tool_turns"] = o.tool_turns;
  std::vector<TaskSamples> per_task;
  size_t total_tokens = 0;
  std::map<std::string, const tasks::Task*> by_id;
  for (const auto& t : pending) by_id[t.id] = &t;
  auto write = [&](std::vector<SampleRecord>& group) {
    std::vector<json> lines;
    const tasks::Task& task = *by_id.at(group.front().task_id);
    TaskSamples ts{
        task.id, task.difficulty_bucket, task.kind == tasks::Kind::Math ? task.answer : "", {}, {},
        {}};
    for (auto& r : group) {
      json j = r;
      j["policy"] = o.policy_id;
      j["sampling"] = sampling;
      j["group_size"] = group.size();
      lines.push_back(std::move(j));
      ++summary.samples;
      summary.correct += accepted(r);
      summary.invalid += !r.reward.valid;
      ++summary.verdicts[r.reward.verdict];
      summary.tools.add(r);
      total_tokens += r.completion_tokens.size();
      ts.completions.push_back(r.text);
      ts.correct.push_back(accepted(r));
      ts.tokens.push_back(r.completion_tokens.size());
    }
    append_group(fd, lines);
    per_task.push_back(std::move(ts));
    if (on_group) on_group(group);
  };
  try {
    // Samples are scored two at a time with a hard timeout each (rewards in flight).
    RewardPool pool(2, std::max<size_t>(16, 2 * o.batch_tasks * o.n), std::chrono::seconds(120));
    std::optional<ToolUse> tools;
    if (!o.tools.empty()) {
      if (!tool_runner) throw InvalidRequest("label: tools need the sandbox to run the calls");
      ToolOptions to;
      to.max_turns = o.tool_turns;
      to.max_tokens = o.sampling.max_tokens;
      to.default_language = o.tools.front();
      to.languages = o.tools;
      tools = ToolUse{to, tool_runner};
    }
    const RolloutEngine engine(policy, score, &pool, tools ? &*tools : nullptr);
    if (o.mode == "serial") {
      SerialOptions so;
      so.exits = o.n - 1;
      so.sampling = o.sampling;
      for (const auto& t : pending) {
        SerialGroup g = engine.serial(t, o.prompt_template, so);
        write(g.members);  // fewer than n members when the path had fewer thinking tokens
      }
    } else if (o.segments > 1) {
      std::vector<tasks::Task> repeated;
      for (const auto& t : pending)
        for (size_t i = 0; i < o.n; ++i) repeated.push_back(t);
      SegmentOptions so;
      so.max_tokens = o.sampling.max_tokens;
      so.segments = o.segments;
      so.active = o.batch_tasks * o.n;
      so.sampling = o.sampling;
      so.prompt_template = o.prompt_template;
      std::unique_ptr<SegmentedRollout> rollout = engine.segmented(repeated, so);
      std::map<std::string, std::vector<SampleRecord>> open;
      while (!rollout->exhausted())
        for (auto& r : rollout->step()) {
          auto& group = open[r.task_id];
          group.push_back(std::move(r));
          if (group.size() == o.n) {
            std::vector<rewards::Reward> rs;
            for (const auto& m : group) rs.push_back(m.reward);
            auto adv = rewards::group_advantages(rs, o.advantage);
            for (size_t i = 0; i < group.size(); ++i) group[i].advantage = adv[i];
            std::string id = group.front().task_id;  // erase must not read the node it frees
            write(group);
            open.erase(id);
          }
        }
    } else {
      // The next chunk generates while this one's rewards finish: two chunks in flight (the
      // policy serialises generation), written back in order.
      auto run_chunk = [&, o](size_t start) {
        std::vector<tasks::Task> chunk(
            pending.begin() + static_cast<long>(start),
            pending.begin() + static_cast<long>(std::min(pending.size(), start + o.batch_tasks)));
        TaskCursor cursor(chunk);
        GroupOptions go;
        go.group_size = o.n;
        go.groups_per_batch = chunk.size();
        go.advantage = o.advantage;
        go.sampling = o.sampling;
        go.sampling.seed = derive_seed(o.sampling.seed, 1, start);  // a stream per chunk
        go.prompt_template = o.prompt_template;
        go.max_rounds = 1;
        return engine.parallel(cursor, go);
      };
      std::deque<std::future<GroupBatch>> in_flight;
      for (size_t start = 0; start < pending.size() || !in_flight.empty(); start += o.batch_tasks) {
        if (start < pending.size())
          in_flight.push_back(std::async(std::launch::async, run_chunk, start));
        if (in_flight.size() == 2 || start >= pending.size()) {
          GroupBatch b = in_flight.front().get();
          in_flight.pop_front();
          for (auto& g : b.groups) write(g);
        }
      }
    }
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  summary.mean_tokens =
      summary.samples ? static_cast<double>(total_tokens) / static_cast<double>(summary.samples)
                      : 0;
  std::vector<size_t> ks;
  for (size_t k = 1; k <= o.n; k *= 2) ks.push_back(k);
  summary.repeated = repeated_sampling(per_task, ks, {});
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return summary;
}

namespace {

// Writes row(record) for every accepted record (valid, reward >= 1) of `dataset`; a null
// row is skipped. Returns how many rows were written.
size_t export_accepted(const std::string& dataset, const std::string& out,
                       const std::function<json(json&)>& row) {
  std::ifstream in(dataset);
  if (!in) throw InvalidRequest("cannot read " + dataset);
  std::string lines;
  size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j["reward"].value("valid", false) ||
        j["reward"].value("value", 0.0) < 1)
      continue;
    json r = row(j);
    if (r.is_null()) continue;
    lines += r.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    ++n;
  }
  write_file(out, lines);
  return n;
}

}  // namespace

size_t export_sft(const std::string& dataset, const std::string& out) {
  return export_accepted(dataset, out, [](json& j) {
    return json({{"prompt", j["prompt"]}, {"completion", j["text"]}, {"task_id", j["task_id"]}});
  });
}

size_t export_verl(const std::string& dataset, const std::vector<tasks::Task>& tasks,
                   const std::string& out) {
  std::map<std::string, const tasks::Task*> by_id;
  for (const auto& t : tasks) by_id[t.id] = &t;
  return export_accepted(dataset, out, [&](json& j) -> json {
    auto it = by_id.find(j["task_id"].get<std::string>());
    if (it == by_id.end()) return nullptr;
    return verl_row(*it->second, j["prompt"].get<std::string>(), j["text"].get<std::string>(),
                    j["reward"]["value"].get<double>());
  });
}

}  // namespace crucible::rollout
