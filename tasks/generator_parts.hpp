// Inside the generators (generators.cpp, code_generators.cpp): the common start of every
// generated task, and the code families built in a file of their own.
#pragma once

#include <cstddef>

#include "base/rng.hpp"
#include "tasks/generators.hpp"
#include "tasks/task.hpp"

namespace crucible::tasks::generated {

// The id, kind, difficulty, source and metadata every generated task starts with.
Task base_task(const GeneratorOptions& o, size_t i, Kind kind);

Task code(const GeneratorOptions& o, size_t i, Rng& rng);
Task expression(const GeneratorOptions& o, size_t i, Rng& rng);

}  // namespace crucible::tasks::generated
