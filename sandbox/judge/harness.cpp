#include "sandbox/judge/harness.hpp"

#include <cctype>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <sstream>

#include "base/error.hpp"
#include "sandbox/judge/harness_cpp.hpp"
#include "sandbox/judge/harness_templates.hpp"
#include "sandbox/judge/value_harness.hpp"

namespace crucible::sandbox::judge {
namespace {

// A JSON string literal is also a valid Python and JavaScript string literal.
std::string literal(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

// [A-Za-z_$][A-Za-z0-9_$]*, at most 255 characters; a scan, since the name is untrusted.
static bool is_identifier(const std::string& name) {
  if (name.empty() || name.size() > 255) return false;
  auto ok = [](char c, bool first) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
           (!first && std::isdigit(static_cast<unsigned char>(c)));
  };
  for (size_t i = 0; i < name.size(); ++i)
    if (!ok(name[i], i == 0)) return false;
  return true;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
  return s;
}

bool harness_supports(const std::string& language) {
  return language == "python3" || language == "javascript" || language == "cpp";
}

HarnessProgram build_harness(const std::string& language, const std::string& candidate,
                             const HarnessSpec& spec) {
  if (!spec.entry_point.empty() && !is_identifier(spec.entry_point))
    throw InvalidRequest(
        "harness.entry_point is not an identifier of at most 255 characters "
        "([A-Za-z_$][A-Za-z0-9_$]*)");
  if (spec.items.empty()) throw InvalidRequest("harness.tests must hold at least one test");
  if (!spec.signature.empty() && language != "cpp")
    throw InvalidRequest("harness.signature is read in C++ only, not in '" + language + "'");
  HarnessProgram p{language, "", "", ""};
  if (language == "python3" || language == "javascript") {
    std::string t =
        language == "python3" ? python_harness_template() : javascript_harness_template();
    t = replace_all(t, "@SOURCE@", literal(candidate));
    p.source = replace_all(t, "@ENTRY@", literal(spec.entry_point));
  } else if (language == "cpp") {
    if (spec.entry_point.empty()) throw InvalidRequest("harness.entry_point is required for cpp");
    CppHarness h = build_cpp_harness(candidate, spec);
    p.source = std::move(h.tests_source);
    p.candidate_source = std::move(h.candidate_source);
  } else if (value_harness_supports(language)) {
    ValuePrograms h = build_value_harness(language, candidate, spec);
    if (!h.language.empty()) p.language = h.language;
    p.candidate_source = std::move(h.candidate_source);
    p.expected_source = std::move(h.expected_source);
    p.tolerances = std::move(h.tolerances);
  } else {
    std::string names = "python3, javascript, cpp";
    for (const std::string& name : value_harness_languages()) names += ", " + name;
    throw InvalidRequest("a function-call harness needs one of " + names + ", not '" + language +
                         "'");
  }
  return p;
}

std::string harness_input(const std::string& language, const std::string& nonce,
                          const HarnessSpec& spec) {
  if (language == "cpp") return nonce + "\n";
  nlohmann::json tests = {{"setup", spec.setup}, {"items", spec.items}};
  return nonce + "\n" + tests.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string make_nonce() {
  std::random_device rd;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 8; ++i) {
    unsigned v = rd();
    for (int k = 0; k < 4; ++k) out.push_back(kHex[(v >> (k * 4)) & 15]);
  }
  return out;
}

std::vector<ItemResult> parse_harness_output(const std::string& stdout_data,
                                             const std::string& nonce, size_t items, bool& done) {
  std::vector<ItemResult> results(items);
  done = false;
  std::istringstream in(stdout_data);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(nonce + " ", 0) != 0) continue;
    std::string rest = line.substr(nonce.size() + 1);
    if (rest == "done") {
      done = true;
      continue;
    }
    std::istringstream fields(rest);
    size_t index;
    std::string status;
    if (!(fields >> index >> status) || index >= items) continue;
    std::string message;
    std::getline(fields, message);
    if (!message.empty() && message[0] == ' ') message.erase(0, 1);
    auto& r = results[index];
    r.status = status == "pass"   ? ItemResult::Status::Pass
               : status == "fail" ? ItemResult::Status::Fail
                                  : ItemResult::Status::Error;
    r.message = message;
  }
  return results;
}

}  // namespace crucible::sandbox::judge
