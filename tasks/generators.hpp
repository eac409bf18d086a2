// Built-in task generators with a difficulty knob (1-5). Seeded: the same options give
// the same tasks, on any machine.
//
//   arithmetic  addition/subtraction/multiplication with (difficulty + 1)-digit operands,
//               a column-by-column rationale (carries, borrows, partial products), and
//               optionally reversed-digit answers
//   countdown   reach a target from given numbers with + - * / (each at most once); the
//               target is built from the numbers, so a reference solution always exists
//   linear      a*x + b = c*x + d with an exact rational answer and a step-by-step solution
//   word        small word problems (sharing, rates, percentages) with exact rational answers
//   code        stdin/stdout programming tasks from templates with random parameters and
//               a Python reference solution; test outputs come from running it (the
//               caller's runner: the sandbox), so every task is solvable by construction
//   expression  write a Python program printing an expression of (difficulty + 1)
//               two-digit operands; the expected output comes from the sandbox as for code
//   product     a product of two (difficulty + 2)-digit numbers, beyond a small model's
//               mental arithmetic: the task of tool-integrated rollouts
//
//   auto tasks = generate({.family = "linear", .count = 100, .difficulty = 3, .seed = 7});
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tasks/task.hpp"

namespace crucible::tasks {

struct GeneratorOptions {
  std::string family;
  size_t count = 100;
  int difficulty = 1;  // 1 (easiest) to 5
  uint64_t seed = 0;
  bool reversed = false;  // arithmetic: answers with their digits reversed
};

const std::vector<std::string>& generator_families();

// Throws InvalidRequest for an unknown family or a difficulty outside 1-5. Code tasks come
// with test inputs and empty outputs: complete them with complete_code_tests().
std::vector<Task> generate(const GeneratorOptions& options);

// Runs `source` in `language` once per input and returns the stdout of each run; throws
// when a run fails.
using ReferenceRunner =
    std::function<std::vector<std::string>(const std::string& language, const std::string& source,
                                           const std::vector<std::string>& inputs)>;

// Fills the expected outputs of generated code tasks from their reference solutions.
void complete_code_tests(std::vector<Task>& tasks, const ReferenceRunner& run);

}  // namespace crucible::tasks
