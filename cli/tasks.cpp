// crucible tasks import --format F IN --out OUT.jsonl
// crucible tasks validate FILE.jsonl
// crucible tasks stats FILE.jsonl
// crucible tasks dedup IN --out OUT [--ngram N] [--threshold X]
// crucible tasks decontaminate --train T --eval E --out OUT [--ngram N] [--threshold X]
// crucible tasks split IN --train OUT --eval OUT [--eval-fraction F]
// Files are JSON Lines, plain or .gz. Every problem is reported with its line number.
#include <cstdio>
#include <iostream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/progress.hpp"
#include "cli/commands.hpp"
#include "cli/flags.hpp"
#include "sandbox/sandbox.hpp"
#include "tasks/generators.hpp"
#include "tasks/hygiene.hpp"
#include "tasks/jsonl.hpp"
#include "tasks/loaders.hpp"

namespace crucible::cli {
namespace {

using nlohmann::json;
using tasks::read_tasks;
using tasks::Task;

constexpr std::string_view kUsage[] = {
    "tasks import --format F IN --out OUT.jsonl",
    "tasks validate FILE.jsonl",
    "tasks stats FILE.jsonl",
    "tasks dedup IN --out OUT [--ngram 8] [--threshold 0.8]",
    "tasks decontaminate --train T --eval E --out OUT [--ngram 13] [--threshold 0.5]",
    "tasks split IN --train OUT --eval OUT [--eval-fraction 0.1]",
    "tasks gen --family F --n N --difficulty D --seed S --out OUT [--reversed]"};
constexpr FlagSpec kFlags[] = {
    {"format", "F", "import: the input's format"},
    {"out", "OUT", "the tasks written"},
    {"ngram", "N", "dedup, decontaminate: n-gram length"},
    {"threshold", "X", "dedup, decontaminate: overlap that counts as the same task"},
    {"train", "T", "decontaminate: training tasks; split: where they go"},
    {"eval", "E", "decontaminate: evaluation tasks; split: where they go"},
    {"eval-fraction", "X", "split: share held out (default 0.1)"},
    {"family", "F", "gen: the generator"},
    {"n", "N", "gen: how many tasks"},
    {"difficulty", "D", "gen: 1 to 5"},
    {"seed", "S", "gen: the generator's seed"},
    {"reversed", "", "gen: arithmetic answers with their digits reversed"}};
constexpr CommandSpec kCommand{
    "tasks", kUsage,
    "families: arithmetic, countdown, linear, word, code, expression, product\n"
    "formats: gsm8k, math, humaneval, mbpp, apps, codecontests, verl, reasoning_gym, crucible",
    kFlags};

void write_tasks(const std::string& path, const std::vector<Task>& ts) {
  std::vector<json> rows(ts.begin(), ts.end());
  tasks::write_jsonl(path, rows);
}

std::string one_input(const Flags& flags) {
  if (flags.positionals().size() != 2)
    throw InvalidRequest("expected one input file\n" + kCommand.help());
  return flags.positionals()[1];
}

std::string required(const Flags& flags, const char* name) {
  auto v = flags.get(name);
  if (!v) throw InvalidRequest(std::string("--") + name + " is required\n" + kCommand.help());
  return *v;
}

int import_tasks(const Flags& flags) {
  std::string format = required(flags, "format"), in = one_input(flags),
              out = required(flags, "out");
  std::vector<Task> ok;
  size_t bad = 0;
  tasks::for_each_line(in, [&](size_t line, const std::string& text) {
    try {
      json row = json::parse(text, nullptr, false);
      if (row.is_discarded()) throw InvalidRequest("not valid JSON");
      ok.push_back(tasks::load_record(format, row, line));
    } catch (const InvalidRequest& e) {
      if (std::string(e.what()).rfind("unknown format", 0) == 0) throw;
      ++bad;
      std::fprintf(stderr, "%s:%zu: %s\n", in.c_str(), line, e.what());
    }
  });
  write_tasks(out, ok);
  std::fprintf(stderr, "tasks import: %zu tasks written to %s, %zu rows rejected\n", ok.size(),
               out.c_str(), bad);
  return bad ? 1 : 0;
}

int validate_tasks(const Flags& flags) {
  std::string in = one_input(flags);
  size_t rows = 0, bad = 0;
  tasks::for_each_line(in, [&](size_t line, const std::string& text) {
    ++rows;
    json j = json::parse(text, nullptr, false);
    std::vector<std::string> errors =
        j.is_discarded() ? std::vector<std::string>{"not valid JSON"} : tasks::validate(j);
    for (const auto& e : errors) std::printf("%s:%zu: %s\n", in.c_str(), line, e.c_str());
    bad += !errors.empty();
  });
  std::fprintf(stderr, "tasks validate: %zu rows, %zu invalid\n", rows, bad);
  return bad ? 1 : 0;
}

int stats(const Flags& flags) {
  auto ts = read_tasks(one_input(flags));
  std::map<std::string, size_t> kinds, sources, buckets;
  size_t min_len = ts.empty() ? 0 : SIZE_MAX, max_len = 0, total_len = 0;
  for (const auto& t : ts) {
    ++kinds[tasks::kind_name(t.kind)];
    ++sources[t.source.empty() ? "(none)" : t.source];
    ++buckets[!t.difficulty_bucket.empty() ? t.difficulty_bucket
              : t.difficulty               ? std::to_string(static_cast<int>(*t.difficulty))
                                           : "(none)"];
    min_len = std::min(min_len, t.prompt.size());
    max_len = std::max(max_len, t.prompt.size());
    total_len += t.prompt.size();
  }
  json out = {{"tasks", ts.size()},
              {"by_kind", kinds},
              {"by_source", sources},
              {"by_difficulty", buckets},
              {"prompt_chars",
               {{"min", min_len},
                {"mean", ts.empty() ? 0.0 : double(total_len) / ts.size()},
                {"max", max_len}}}};
  std::cout << out.dump(2) << "\n";
  return 0;
}

int dedup(const Flags& flags) {
  tasks::DedupOptions o;
  if (auto n = flags.number("ngram")) o.ngram = static_cast<size_t>(*n);
  if (auto t = flags.number("threshold")) o.threshold = *t;
  auto ts = read_tasks(one_input(flags));
  auto r = tasks::deduplicate(ts, o);
  write_tasks(required(flags, "out"), r.kept);
  std::cout << json({{"read", ts.size()},
                     {"kept", r.kept.size()},
                     {"exact_duplicates", r.exact_duplicates},
                     {"near_duplicates", r.near_duplicates},
                     {"ngram", o.ngram},
                     {"threshold", o.threshold}})
                   .dump()
            << "\n";
  return 0;
}

int decontaminate(const Flags& flags) {
  tasks::DecontaminationOptions o;
  if (auto n = flags.number("ngram")) o.ngram = static_cast<size_t>(*n);
  if (auto t = flags.number("threshold")) o.threshold = *t;
  auto train = read_tasks(required(flags, "train"));
  auto eval = read_tasks(required(flags, "eval"));
  auto r = tasks::decontaminate(train, eval, o);
  write_tasks(required(flags, "out"), r.kept);
  std::cout << json({{"train", train.size()},
                     {"eval", eval.size()},
                     {"overlapping", r.removed_ids.size()},
                     {"removed_ids", r.removed_ids},
                     {"ngram", o.ngram},
                     {"threshold", o.threshold}})
                   .dump()
            << "\n";
  return 0;
}

int split(const Flags& flags) {
  double fraction = flags.number("eval-fraction").value_or(0.1);
  if (fraction >= 1) throw InvalidRequest("--eval-fraction must be below 1");
  auto ts = read_tasks(one_input(flags));
  std::vector<Task> train, eval;
  for (const auto& t : ts) (tasks::in_eval_split(t.id, fraction) ? eval : train).push_back(t);
  write_tasks(required(flags, "train"), train);
  write_tasks(required(flags, "eval"), eval);
  std::cout
      << json({{"train", train.size()}, {"eval", eval.size()}, {"eval_fraction", fraction}}).dump()
      << "\n";
  return 0;
}

int gen(const Flags& flags) {
  tasks::GeneratorOptions o;
  o.family = required(flags, "family");
  o.count = static_cast<size_t>(flags.number("n").value_or(100));
  double difficulty = flags.number("difficulty").value_or(1);
  if (difficulty != static_cast<int>(difficulty))
    throw InvalidRequest("--difficulty must be a whole number from 1 to 5");
  o.difficulty = static_cast<int>(difficulty);
  if (auto seed = flags.whole("seed", 0, std::numeric_limits<uint64_t>::max() / 2)) o.seed = *seed;
  o.reversed = flags.has("reversed");
  auto ts = tasks::generate(o);
  if (o.family == "code" || o.family == "expression") {
    // Expected outputs come from running each reference solution in the sandbox.
    sandbox::Sandbox sandbox;
    Progress progress("gen", ts.size());
    tasks::complete_code_tests(ts, [&](const std::string& language, const std::string& source,
                                       const std::vector<std::string>& inputs) {
      auto outputs = sandbox.reference_outputs(language, source, inputs);
      progress.advance();
      return outputs;
    });
    progress.finish();
  }
  write_tasks(required(flags, "out"), ts);
  std::fprintf(stderr, "tasks gen: %zu %s tasks (difficulty %d, seed %llu)\n", ts.size(),
               o.family.c_str(), o.difficulty, static_cast<unsigned long long>(o.seed));
  return 0;
}

}  // namespace

int tasks_command(const Args& args) {
  auto parsed = parse_command(args, kCommand);
  if (!parsed) return 0;
  const Flags& flags = *parsed;
  if (flags.positionals().empty()) {
    std::fputs(kCommand.help().c_str(), stderr);
    return 2;
  }
  const std::string& verb = flags.positionals()[0];
  try {
    if (verb == "import") return import_tasks(flags);
    if (verb == "validate") return validate_tasks(flags);
    if (verb == "stats") return stats(flags);
    if (verb == "dedup") return dedup(flags);
    if (verb == "decontaminate") return decontaminate(flags);
    if (verb == "split") return split(flags);
    if (verb == "gen") return gen(flags);
  } catch (const Error& e) {
    if (dynamic_cast<const InvalidRequest*>(&e)) throw;
    throw InvalidRequest(e.what());  // unreadable files are the caller's to fix
  }
  throw InvalidRequest("unknown tasks verb '" + verb + "'\n" + kCommand.help());
}

}  // namespace crucible::cli
