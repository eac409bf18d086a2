// HumanEval-X (CodeGeeX's HumanEval in C++, Java, JavaScript, Go, Python and Rust): records
// {task_id "CPP/0" | "Java/0" | "JavaScript/0" | "Go/0" | "Python/0" | "Rust/0", prompt,
// declaration, test, canonical_solution} and samples of them with "generation" (or
// "completion"). Each is judged as CodeGeeX's own evaluation assembles it: the prompt, the
// answer and the test as one program in C++ (it prints an end-of-tests line, program_end.hpp),
// in the function-call harnesses for Python and JavaScript, and in the value harnesses for
// Java's list of checks and Go's assert.Equal lines (humaneval_x_java.hpp, harness_go.hpp;
// other Java and Go tests as one program).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "sandbox/judge/judge.hpp"

namespace crucible::sandbox::judge {

// A record with prompt, test and declaration but no entry_point.
bool is_humaneval_x(const nlohmann::json& j);

// Throws InvalidRequest naming what is missing, or a language it cannot judge (Rust's tests
// need crates the sandbox does not have).
Submission humaneval_x_submission(const nlohmann::json& j);

}  // namespace crucible::sandbox::judge
