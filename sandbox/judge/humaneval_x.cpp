#include "sandbox/judge/humaneval_x.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "sandbox/judge/harness_go.hpp"
#include "sandbox/judge/humaneval_x_cpp.hpp"
#include "sandbox/judge/humaneval_x_java.hpp"
#include "sandbox/judge/identifier.hpp"
#include "sandbox/judge/program_end.hpp"
#include "sandbox/languages/registry.hpp"

namespace crucible::sandbox::judge {
namespace {

using nlohmann::json;

// What CodeGeeX's evaluation puts before a Python or C++ program (numpy left out: it is not
// part of the sandbox), and the Go packages it imports when the answer uses them.
constexpr const char* kPythonImports[] = {"import math",          "import re",
                                          "import sys",           "import copy",
                                          "import datetime",      "import itertools",
                                          "import collections",   "import heapq",
                                          "import statistics",    "import functools",
                                          "import hashlib",       "import string",
                                          "from typing import *", "from collections import *"};
constexpr const char* kCppIncludes[] = {
    "#include<stdlib.h>", "#include<algorithm>", "#include<math.h>",
    "#include<stdio.h>",  "#include<vector>",    "#include<string>",
    "#include<climits>",  "#include<cstring>",   "#include<iostream>"};
constexpr const char* kGoPackages[] = {"math",  "strings", "fmt",  "strconv",   "time",
                                       "bytes", "regexp",  "sort", "math/rand", "crypto/md5"};

std::string field(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string())
    throw InvalidRequest(std::string("HumanEval-X record: ") + key + " must be a string");
  return j[key];
}

// The language from "language", else from the task_id's prefix ("CPP/0").
std::string language_of(const json& j) {
  std::string said;
  if (j.contains("language") && j["language"].is_string())
    said = j["language"];
  else if (j.contains("task_id") && j["task_id"].is_string())
    said = j["task_id"].get<std::string>().substr(0, j["task_id"].get<std::string>().find('/'));
  std::string l;
  try {
    l = languages::Registry::builtin().find(said).name;
  } catch (const InvalidRequest&) {
    // not one of the registry's names: refused below, naming HumanEval-X's languages
  }
  for (const char* name : {"cpp", "java", "javascript", "go", "python3"})
    if (l == name) return l;
  if (l == "rust")
    throw InvalidRequest(
        "HumanEval-X's Rust tests are a cargo test module using the rand, regex and md5 "
        "crates, which this sandbox does not have");
  throw InvalidRequest("HumanEval-X record: '" + said +
                       "' is not one of its languages (CPP, Java, JavaScript, Go, Python); "
                       "give the task_id's prefix or \"language\"");
}

std::string answer_of(const json& j) {
  for (const char* key : {"generation", "completion", "canonical_solution"})
    if (j.contains(key) && j[key].is_string()) return j[key];
  throw InvalidRequest("HumanEval-X record: give generation, completion or canonical_solution");
}

// The last top-level declaration in a declaration text (its helpers come first, the function
// the prompt opens last): where its line starts, and the name after one of `keywords`.
struct Declared {
  size_t at = std::string::npos;
  std::string name;
};

Declared last_declared(const std::string& text, std::initializer_list<const char*> keywords) {
  Declared last;
  for (size_t line = 0; line < text.size();) {
    for (const char* keyword : keywords) {
      const std::string k = std::string(keyword) + " ";
      if (text.compare(line, k.size(), k) != 0) continue;
      size_t begin = line + k.size();
      while (begin < text.size() && text[begin] == ' ') ++begin;
      size_t end = begin;
      while (end < text.size() && is_identifier_char(text[end])) ++end;
      if (end > begin) last = {line, text.substr(begin, end - begin)};
    }
    size_t next = text.find('\n', line);
    line = next == std::string::npos ? text.size() : next + 1;
  }
  return last;
}

// CodeGeeX keeps a Python generation's lines up to its first top-level line.
std::string python_body(const std::string& generation) {
  std::string out;
  size_t at = 0;
  while (at <= generation.size()) {
    size_t end = generation.find('\n', at);
    std::string line =
        generation.substr(at, end == std::string::npos ? std::string::npos : end - at);
    bool blank = line.find_first_not_of(" \t\r") == std::string::npos;
    if (!blank && line[0] != ' ' && line[0] != '\t') break;
    out += line + "\n";
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return out;
}

// A submission whose test runs in a harness, apart from the answer.
Submission harness_submission(const std::string& language, std::string source, HarnessSpec spec) {
  Submission s;
  s.language = language;
  s.source = std::move(source);
  s.harness = std::move(spec);
  return s;
}

Submission python_submission(const json& j, const std::string& answer) {
  std::string source;
  for (const char* line : kPythonImports) source += std::string(line) + "\n";
  source += field(j, "prompt") + (j.contains("generation") ? python_body(answer) : answer);
  // The test ends with check(<entry point>): the harness calls check with the candidate.
  std::string test = field(j, "test"), entry;
  size_t call = test.rfind("\ncheck(");
  if (call != std::string::npos) {
    size_t open = call + 7, close = test.find(')', open);
    if (close != std::string::npos) entry = test.substr(open, close - open);
    size_t line_end = test.find('\n', call + 1);
    test.erase(call + 1, line_end == std::string::npos ? std::string::npos : line_end - call);
  }
  if (entry.empty()) entry = last_declared(field(j, "declaration"), {"def"}).name;
  return harness_submission("python3", std::move(source),
                            HarnessSpec{entry, test, {"check(candidate)"}});
}

Submission javascript_submission(const json& j, const std::string& answer) {
  // The helpers the declaration defines before the function (encodeCyclic before
  // decodeCyclic) are the task's own code, which the tests call: they are the tests' setup.
  const std::string declaration = field(j, "declaration");
  const Declared entry = last_declared(declaration, {"const", "function", "let", "var"});
  if (entry.name.empty())
    throw InvalidRequest("HumanEval-X record: the declaration names no JavaScript function");
  return harness_submission(
      "javascript", field(j, "prompt") + answer,
      HarnessSpec{entry.name, declaration.substr(0, entry.at), {field(j, "test")}});
}

Submission program_submission(const std::string& language, const std::string& source,
                              const std::string& test) {
  Submission s;
  s.language = language;
  s.source = source;
  make_program_of_tests(s, &languages::Registry::builtin().find(language), test);
  return s;
}

Submission go_submission(const json& j, const std::string& answer) {
  // The test setup (package main, testing, testify) first, then the packages the answer uses
  // that it lacks, then the prompt without its own imports.
  const std::string setup = field(j, "test_setup");
  std::string prompt = field(j, "prompt"), imports;
  const std::string own = j.contains("import") && j["import"].is_string() ? j["import"] : "";
  if (!own.empty() && prompt.find(own) != std::string::npos)
    prompt.erase(prompt.find(own), own.size());
  // Its assert.Equal lines run in the Go value harness, apart from the answer: the answer's
  // package then imports fmt and testing (the harness's), not testify.
  auto calls = go_testify_asserts_as_calls(field(j, "test"));
  const std::string entry = last_declared(field(j, "declaration"), {"func"}).name;
  if (entry.empty()) calls.reset();
  // The packages the program's code uses: the answer's, then in the harness what each item
  // calls (not what it compares with), else the whole test's (Go/44's strconv.Itoa). Not the
  // prompt's: its comments' prose ("... after sort.") would import what nothing uses.
  std::string used = answer;
  if (!calls) used.append("\n").append(field(j, "test"));
  if (calls)
    for (const std::string& item : calls->spec.items)
      if (const auto read = read_go_item(item)) used += "\n" + read->call;
  for (const char* package : kGoPackages) {
    std::string p = package, last = p.substr(p.rfind('/') + 1);
    const bool present = calls ? p == "fmt" : setup.find(p) != std::string::npos;
    if (!present && used.find(last + ".") != std::string::npos) imports += "    \"" + p + "\"\n";
  }
  if (calls) {
    calls->spec.entry_point = entry;
    return harness_submission("go_test",
                              "package main\n\nimport (\n    \"fmt\"\n    \"testing\"\n" + imports +
                                  ")\n\n" + prompt + answer,
                              std::move(calls->spec));
  }
  std::string source = setup + "\n";
  if (!imports.empty()) source += "import (\n" + imports + ")\n";
  source += prompt + answer;
  return program_submission("go_test", source, field(j, "test"));
}

}  // namespace

bool is_humaneval_x(const json& j) {
  return j.is_object() && j.contains("prompt") && j.contains("test") && j.contains("declaration") &&
         !j.contains("entry_point");
}

Submission humaneval_x_submission(const json& j) {
  const std::string language = language_of(j), answer = answer_of(j);
  if (language == "python3") return python_submission(j, answer);
  if (language == "javascript") return javascript_submission(j, answer);
  if (language == "go") return go_submission(j, answer);
  std::string source = field(j, "prompt") + answer;
  if (language == "java") {
    // Its checks run in the Java value harness, apart from the answer, where they have its shape.
    if (auto calls = java_correct_list_as_calls(field(j, "prompt"), field(j, "test")))
      return harness_submission("java", source + java_correct_list_opening(),
                                std::move(calls->spec));
  }
  if (language == "cpp") {
    std::string includes;
    for (const char* line : kCppIncludes)
      if (source.find(line) == std::string::npos) includes += std::string(line) + "\n";
    source = includes + "\n" + source;
    // Its test runs in the C++ function-call harness, apart from the answer.
    if (auto spec = humaneval_x_cpp_calls(field(j, "declaration"), field(j, "test")))
      return harness_submission("cpp", source, std::move(*spec));
  }
  return program_submission(language, source, field(j, "test"));
}

}  // namespace crucible::sandbox::judge
