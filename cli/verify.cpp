// crucible verify --gold G --pred P [--options JSON]
// crucible verify --batch IN.jsonl [--out OUT.jsonl] [-j N]
//
// Batch lines are {"gold", "pred", "options"?}; each output line is the verification of
// its input line ({line, correct, status, reason, gold_parsed, pred_parsed, ...}) or
// {line, error} for a malformed line, in input order.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/error.hpp"
#include "base/json_fields.hpp"
#include "base/json_input.hpp"
#include "cli/commands.hpp"
#include "cli/flags.hpp"
#include "rewards/math/verifier.hpp"

namespace crucible::cli {
namespace {

using nlohmann::json;
namespace math = rewards::math;

constexpr std::string_view kUsage[] = {
    "verify --gold G (--pred P | --pred-file F) [--options JSON] [--explain]",
    "verify --batch IN.jsonl [--out OUT.jsonl] [-j N] [--explain]"};
constexpr FlagSpec kFlags[] = {{"gold", "G", "the reference answer"},
                               {"pred", "P", "the model's output"},
                               {"pred-file", "F", "the model's output, from a file"},
                               {"options", "JSON", "verifier options"},
                               {"batch", "IN.jsonl", "lines of {gold, pred, options, id}"},
                               {"out", "OUT.jsonl", "batch results (default: stdout)"},
                               {"j", "N", "lines verified at once"},
                               {"explain", "", "say which rule decided, per side"}};
constexpr CommandSpec kCommand{
    "verify", kUsage,
    "Checks a model's math answer against a reference: extracts the answer (\\boxed{}, \"the\n"
    "answer is\", the last math span or number), parses both and compares them exactly.\n"
    "Prints {correct, status, reason, gold_parsed, pred_parsed, ...} as JSON; --explain adds\n"
    "\"explain\": per side the extraction rule that fired, the text it read and the parsed "
    "tree.\n"
    "Options: significant_digits, tolerance, random_points, timeout_ms, join_boxes,\n"
    "inequality_for_interval, percent (either|fraction|value).\n"
    "Exit code: 0 correct (batch: every line verified), 1 not correct, 2 bad usage.",
    kFlags};
std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json verify_line(const std::string& line, size_t number, bool with_explain) {
  try {
    json j = parse_json_input(line, "line " + std::to_string(number));
    if (!j.is_object()) throw InvalidRequest("a line must be a JSON object");
    JsonFields::only(j, "", {"gold", "pred", "options", "id"});
    for (const char* field : {"gold", "pred"})
      if (!j.contains(field) || !j[field].is_string())
        throw InvalidRequest(std::string(field) + ": must be a string");
    auto options = math::VerifyOptions::from_json(j.value("options", json()));
    json out = math::verify(j["gold"].get<std::string>(), j["pred"].get<std::string>(), options);
    out["line"] = number;
    if (j.contains("id")) out["id"] = j["id"];
    if (with_explain)
      out["explain"] =
          math::explain(j["gold"].get<std::string>(), j["pred"].get<std::string>(), options);
    return out;
  } catch (const json::exception& e) {
    return {{"line", number}, {"error", std::string("malformed JSON: ") + e.what()}};
  } catch (const InvalidRequest& e) {
    return {{"line", number}, {"error", e.what()}};
  }
}

int batch(const Flags& flags) {
  std::string in_path = *flags.get("batch");
  std::ifstream in(in_path);
  if (!in) throw InvalidRequest("cannot read --batch " + in_path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (line.find_first_not_of(" \t\r") != std::string::npos) lines.push_back(line);
  size_t jobs = static_cast<size_t>(flags.number("j").value_or(2));
  std::vector<json> results(lines.size());
  std::vector<std::thread> threads;
  for (size_t t = 0; t < jobs; ++t)
    threads.emplace_back([&, t] {
      for (size_t i = t; i < lines.size(); i += jobs)
        results[i] = verify_line(lines[i], i + 1, flags.has("explain"));
    });
  for (auto& t : threads) t.join();

  std::ofstream file;
  if (auto out = flags.get("out")) {
    file.open(*out, std::ios::trunc);
    if (!file) throw InvalidRequest("cannot write --out " + *out);
  }
  std::ostream& out = file.is_open() ? file : std::cout;
  size_t correct = 0, errors = 0;
  for (const auto& r : results) {
    out << dump(r) << '\n';
    correct += r.value("correct", false);
    errors += r.contains("error");
  }
  std::cerr << "verify: " << results.size() << " lines, " << correct << " correct, " << errors
            << " malformed\n";
  return errors ? 1 : 0;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InvalidRequest("cannot read --pred-file " + path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

int verify_command(const Args& args) {
  auto parsed = parse_command(args, kCommand);
  if (!parsed) return 0;
  const Flags& flags = *parsed;
  if (flags.has("batch")) return batch(flags);
  if (!flags.has("gold") || (flags.has("pred") == flags.has("pred-file")))
    throw InvalidRequest("needs --gold and one of --pred / --pred-file\n" + kCommand.help());
  json options_json;
  if (auto o = flags.get("options")) {
    options_json = json::parse(*o, nullptr, false);
    if (options_json.is_discarded()) throw InvalidRequest("--options: not valid JSON");
  }
  auto options = math::VerifyOptions::from_json(options_json);
  std::string pred = flags.has("pred") ? *flags.get("pred") : read_file(*flags.get("pred-file"));
  math::Verification v = math::verify(*flags.get("gold"), pred, options);
  json out = v;
  if (flags.has("explain")) out["explain"] = math::explain(*flags.get("gold"), pred, options);
  std::cout << dump(out) << '\n';
  return v.correct ? 0 : 1;
}

}  // namespace crucible::cli
