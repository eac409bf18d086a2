// Reading and writing task files: JSON Lines, plain or gzip-compressed (by the .gz name),
// with line numbers kept so every error can point at its line.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tasks/task.hpp"

namespace crucible::tasks {

// Calls `row(line_number, text)` for every non-blank line; throws Error naming the file
// when it cannot be read (a corrupt .gz included).
void for_each_line(const std::string& path,
                   const std::function<void(size_t, const std::string&)>& row);

// Reads a Crucible task file (plain or .gz); a bad line is an InvalidRequest naming the
// file and line.
std::vector<Task> read_tasks(const std::string& path);

// Writes one JSON document per line (invalid UTF-8 replaced); throws Error on failure.
void write_jsonl(const std::string& path, const std::vector<nlohmann::json>& rows);

}  // namespace crucible::tasks
