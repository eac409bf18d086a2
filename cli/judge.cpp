// crucible judge SUBMISSION.json
// crucible judge --batch IN.jsonl --out OUT.jsonl [-j N]
//
// Batch mode writes exactly one line per input line, in order: a judge result, or an
// error record {"line", "error"} for a malformed line. A sandbox failure is a result with
// verdict SandboxError (the sample is invalid), never a crash of the batch.
#include <cstdio>
#include <deque>
#include <fstream>
#include <future>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/files.hpp"
#include "base/json_input.hpp"
#include "base/progress.hpp"
#include "base/worker_pool.hpp"
#include "cli/commands.hpp"
#include "cli/flags.hpp"
#include "sandbox/judge/formats.hpp"

namespace crucible::cli {
namespace {

using nlohmann::json;
using sandbox::judge::Judge;
using sandbox::judge::record_from_json;

constexpr std::string_view kUsage[] = {"judge SUBMISSION.json",
                                       "judge --batch IN.jsonl --out OUT.jsonl [-j N]"};
constexpr FlagSpec kFlags[] = {{"batch", "IN.jsonl", "one submission per line"},
                               {"out", "OUT.jsonl", "batch results, in input order"},
                               {"j", "N", "submissions judged at once"}};
constexpr CommandSpec kCommand{
    "judge", kUsage,
    "Judges a submission (native, HumanEval, MBPP or APPS/CodeContests shape) and prints the\n"
    "result as JSON. Batch mode writes one result line per input line, in order.\n"
    "Exit code: 0 accepted (batch: every line judged), 1 not accepted, 2 bad usage, 3 sandbox "
    "error.",
    kFlags};
std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Judges one JSONL line; never throws.
json judge_line(Judge& judge, const std::string& line, size_t number) {
  if (line.find_first_not_of(" \t\r") == std::string::npos)
    return {{"line", number}, {"error", "empty line"}};
  try {
    json j = parse_json_input(line, "line " + std::to_string(number));
    auto record = record_from_json(j);
    json out = judge.run(record.submission);
    out["line"] = number;
    out["format"] = record.format;
    if (!record.id.empty()) out["id"] = record.id;
    return out;
  } catch (const json::exception& e) {
    return {{"line", number}, {"error", std::string("malformed JSON: ") + e.what()}};
  } catch (const InvalidRequest& e) {
    return {{"line", number}, {"error", e.what()}};
  } catch (const std::exception& e) {
    return {{"line", number}, {"verdict", "SandboxError"}, {"error", e.what()}};
  }
}

int batch(const Flags& flags) {
  std::string in_path = *flags.get("batch");
  auto out_path = flags.get("out");
  if (!out_path) throw InvalidRequest("--batch needs --out OUT.jsonl");
  size_t jobs = static_cast<size_t>(flags.number("j").value_or(2));
  std::ifstream in(in_path);
  if (!in) throw InvalidRequest("cannot read --batch " + in_path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::ofstream out(*out_path, std::ios::trunc);
  if (!out) throw InvalidRequest("cannot write --out " + *out_path);

  sandbox::Sandbox sandbox;
  Judge judge(sandbox);
  WorkerPool pool(jobs, jobs * 2);
  Progress progress("judge", lines.size());
  std::deque<std::future<json>> pending;
  size_t accepted = 0, errors = 0, done = 0;
  auto write_front = [&] {
    json result = pending.front().get();
    pending.pop_front();
    out << dump(result) << "\n";
    ++done;
    accepted += result.value("accepted", false);
    errors += result.contains("error");
    progress.advance("accepted " + std::to_string(accepted * 100 / done) + "%");
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    // Blank lines still get their record so line numbers stay aligned.
    pending.push_back(
        pool.submit([&judge, line = lines[i], n = i + 1] { return judge_line(judge, line, n); }));
    while (pending.size() > jobs * 2) write_front();
  }
  while (!pending.empty()) write_front();
  progress.finish();
  out.flush();
  std::fprintf(stderr, "judge: %zu lines, %zu accepted, %zu errors -> %s\n", lines.size(), accepted,
               errors, out_path->c_str());
  return out ? 0 : 1;
}

}  // namespace

int judge_command(const Args& args) {
  auto parsed = parse_command(args, kCommand);
  if (!parsed) return 0;
  const Flags& flags = *parsed;
  if (flags.has("batch")) return batch(flags);
  if (flags.positionals().size() != 1)
    throw InvalidRequest("expected one SUBMISSION.json\n" + kCommand.help());
  std::string text;
  try {
    text = flags.positionals()[0] == "-" ? std::string(std::istreambuf_iterator<char>(std::cin), {})
                                         : read_file(flags.positionals()[0]);
  } catch (const Error& e) {
    throw InvalidRequest(e.what());
  }
  json j = parse_json_input_or_discarded(text, flags.positionals()[0]);
  if (j.is_discarded()) throw InvalidRequest(flags.positionals()[0] + " is not valid JSON");
  auto record = record_from_json(j);
  sandbox::Sandbox sandbox;
  auto result = Judge(sandbox).run(record.submission);
  json out = result;
  std::cout << out.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  if (result.verdict == sandbox::Verdict::SandboxError) return 3;
  return result.verdict == sandbox::Verdict::Accepted ? 0 : 1;
}

}  // namespace crucible::cli
