#include "sandbox/judge/program_end.hpp"

#include <cctype>
#include <random>

#include "base/sha256.hpp"
#include "sandbox/judge/harness.hpp"

namespace crucible::sandbox::judge {
namespace {

const std::string& process_key() {
  static const std::string key = [] {
    std::random_device device;  // the kernel's random source
    std::string k;
    for (int i = 0; i < 8; ++i) k += std::to_string(device()) + ".";
    return k;
  }();
  return key;
}

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':';
}

// Every use of `name` in `text` that does not continue a longer name or a path.
std::string qualify(std::string text, const std::string& name, const std::string& qualified) {
  for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at)) {
    if (at > 0 && name_char(text[at - 1])) {
      at += name.size();
      continue;
    }
    text.replace(at, name.size(), qualified);
    at += qualified.size();
  }
  return text;
}

}  // namespace

std::string add_end_of_tests_line(const languages::Language& language, const std::string& answer,
                                  std::string& test) {
  if (!language.program_end) return "";
  const languages::ProgramEnd& end = *language.program_end;
  std::string edited = test;
  if (!end.replace_first.empty()) {
    bool replaced = false;
    for (const auto& [from, to] : end.replace_first) {
      size_t at = edited.find(from);
      if (at == std::string::npos) continue;
      edited.replace(at, from.size(), to);
      replaced = true;
      break;
    }
    if (!replaced) return "";
  }
  edited += end.append;
  for (const auto& [name, qualified] : end.qualify)
    edited = qualify(std::move(edited), name, qualified);
  const std::string hash =
      sha256_hex(process_key() + '\0' + language.name + '\0' + answer + '\0' + test).substr(0, 32);
  auto marked = [&](std::string text) {
    return replace_all(replace_all(std::move(text), "{marker}", "end of tests " + hash),
                       "{marker_name}", "CrucibleEndOfTests" + hash);
  };
  test = marked(std::move(edited));
  return marked(end.line);
}

// An answer that ends with the language's closing tag ("?>") would turn the test after it into
// text: drop the tag so the test runs.
void drop_answer_closing(const languages::ProgramEnd& end, std::string& source) {
  if (end.answer_closing.empty()) return;
  size_t last = source.find_last_not_of(" \t\r\n");
  if (last == std::string::npos || last + 1 < end.answer_closing.size()) return;
  const size_t at = last + 1 - end.answer_closing.size();
  if (source.compare(at, end.answer_closing.size(), end.answer_closing) == 0) source.resize(at);
}

void make_program_of_tests(Submission& s, const languages::Language* language,
                           const std::string& test) {
  std::string program_test = test, end_line;
  if (language && language->program_end) drop_answer_closing(*language->program_end, s.source);
  if (language) end_line = add_end_of_tests_line(*language, s.source, program_test);
  s.source += "\n" + program_test;
  s.tests = {IoTest{"", end_line}};
  s.options.compare.kind = Comparator::ExitStatus;
}

}  // namespace crucible::sandbox::judge
