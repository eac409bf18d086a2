// The code families of the generators: "code" (templates with parameters, a Python
// reference and random inputs) and "expression" (print an integer expression).
#include <functional>

#include "base/rng.hpp"
#include "tasks/generator_parts.hpp"

namespace crucible::tasks::generated {
namespace {

using nlohmann::json;

struct CodeTemplate {
  const char* name;
  std::function<void(Task&, Rng&, int)> build;
};

std::string ints(Rng& rng, size_t n, int64_t lo, int64_t hi) {
  std::string s;
  for (size_t k = 0; k < n; ++k) {
    if (k) s += ' ';
    s += std::to_string(rng.uniform(lo, hi));
  }
  return s;
}

const std::vector<CodeTemplate>& code_templates() {
  static const std::vector<CodeTemplate> templates = {
      {"sum_mod",
       [](Task& t, Rng& rng, int d) {
         int64_t m = rng.uniform(7, 1000 * d);
         t.prompt = "Read an integer n, then n integers on the next line. Print their sum modulo " +
                    std::to_string(m) + " (a number from 0 to " + std::to_string(m - 1) + ").";
         t.solution = "n = int(input())\nxs = list(map(int, input().split()))\nprint(sum(xs) % " +
                      std::to_string(m) + ")\n";
         for (int k = 0; k < 5; ++k) {
           size_t n = rng.uniform(1, 5 * d + 3);
           t.tests["tests"].push_back(
               {{"input", std::to_string(n) + "\n" + ints(rng, n, -1000, 1000) + "\n"},
                {"output", ""}});
         }
       }},
      {"reverse_words",
       [](Task& t, Rng& rng, int d) {
         static const char* seps[] = {" ", ",", "-", " | "};
         std::string sep = seps[rng.uniform(0, 3)];
         static const char* words[] = {"alpha", "beta",  "gamma", "delta", "sun",
                                       "moon",  "river", "stone", "tree",  "cloud"};
         t.prompt =
             "Read one line of words separated by spaces. Print the words in reverse order, joined "
             "by \"" +
             sep + "\".";
         t.solution = "print(" + json(sep).dump() + ".join(input().split()[::-1]))\n";
         for (int k = 0; k < 5; ++k) {
           std::string line;
           for (int64_t w = rng.uniform(1, 3 + 2 * d); w > 0; --w) {
             if (!line.empty()) line += ' ';
             line += words[rng.uniform(0, 9)];
           }
           t.tests["tests"].push_back({{"input", line + "\n"}, {"output", ""}});
         }
       }},
      {"count_primes",
       [](Task& t, Rng& rng, int d) {
         t.prompt = "Read an integer n. Print how many prime numbers are smaller than n.";
         t.solution =
             "n = int(input())\nsieve = [True] * max(n, 2)\nsieve[0] = sieve[1] = False\n"
             "for i in range(2, int(n ** 0.5) + 1):\n    if sieve[i]:\n        sieve[i*i::i] = "
             "[False] * len(sieve[i*i::i])\n"
             "print(sum(sieve[:n]) if n > 2 else 0)\n";
         int64_t top = 1;
         for (int k = 0; k < d + 1; ++k) top *= 10;
         for (int k = 0; k < 5; ++k)
           t.tests["tests"].push_back(
               {{"input", std::to_string(rng.uniform(0, top)) + "\n"}, {"output", ""}});
       }},
      {"gcd_list",
       [](Task& t, Rng& rng, int d) {
         t.prompt =
             "Read an integer n, then n positive integers on the next line. Print their greatest "
             "common divisor.";
         t.solution =
             "import math\nn = int(input())\nprint(math.gcd(*map(int, input().split())))\n";
         for (int k = 0; k < 5; ++k) {
           int64_t g = rng.uniform(1, 12 * d);
           size_t n = rng.uniform(1, 2 + 2 * d);
           std::string line;
           for (size_t m = 0; m < n; ++m) {
             if (m) line += ' ';
             line += std::to_string(g * rng.uniform(1, 50 * d));
           }
           t.tests["tests"].push_back(
               {{"input", std::to_string(n) + "\n" + line + "\n"}, {"output", ""}});
         }
       }},
      {"kth_largest",
       [](Task& t, Rng& rng, int d) {
         int64_t k = rng.uniform(1, 3);
         t.prompt = "Read an integer n (n >= " + std::to_string(k) +
                    "), then n integers on the next line. Print the " +
                    std::string(k == 1   ? "largest"
                                : k == 2 ? "second largest"
                                         : "third largest") +
                    " of them (counting repeated values separately).";
         t.solution =
             "n = int(input())\nxs = sorted(map(int, input().split()), reverse=True)\nprint(xs[" +
             std::to_string(k - 1) + "])\n";
         for (int c = 0; c < 5; ++c) {
           size_t n = rng.uniform(k, k + 4 * d);
           t.tests["tests"].push_back(
               {{"input", std::to_string(n) + "\n" + ints(rng, n, -100 * d, 100 * d) + "\n"},
                {"output", ""}});
         }
       }},
  };
  return templates;
}

}  // namespace

Task code(const GeneratorOptions& o, size_t i, Rng& rng) {
  Task t = base_task(o, i, Kind::Code);
  const auto& templates = code_templates();
  const auto& tpl = templates[rng.uniform(0, static_cast<int64_t>(templates.size()) - 1)];
  t.language = "python3";
  t.tests = {{"tests", json::array()}};
  tpl.build(t, rng, o.difficulty);
  t.metadata["template"] = tpl.name;
  return t;
}

// A program that prints the value of an integer expression: the policy must carry the
// expression into code, and only running that code (in the sandbox) says whether it did.
Task expression(const GeneratorOptions& o, size_t i, Rng& rng) {
  Task t = base_task(o, i, Kind::Code);
  std::string expr;
  for (int k = 0; k <= o.difficulty; ++k) {
    if (k > 0) expr += rng.chance(0.5) ? " + " : " - ";
    expr += std::to_string(rng.uniform(10, 99));
  }
  t.prompt = "Write Python that prints " + expr + ".";
  t.language = "python3";
  t.solution = "print(" + expr + ")";
  t.tests = {{"tests", json::array({{{"input", ""}, {"output", ""}}})}};
  t.metadata["expression"] = expr;
  return t;
}

}  // namespace crucible::tasks::generated
