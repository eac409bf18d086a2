#include "tasks/jsonl.hpp"

#include <zlib.h>

#include <fstream>
#include <memory>

#include "base/error.hpp"
#include "base/json_input.hpp"

namespace crucible::tasks {

void for_each_line(const std::string& path,
                   const std::function<void(size_t, const std::string&)>& row) {
  // zlib reads plain files transparently too, so one path serves both. The file closes on
  // every path, a throwing `row` included.
  std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
  gzFile f = file.get();
  if (!f) throw Error("cannot open " + path);
  std::string line;
  size_t number = 0;
  char buf[1 << 16];
  for (;;) {
    char* got = gzgets(f, buf, sizeof buf);
    if (!got) break;
    line += got;
    if (line.empty() || line.back() != '\n') {
      if (!gzeof(f)) continue;  // a line longer than the buffer
    }
    ++number;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (line.find_first_not_of(" \t") != std::string::npos) row(number, line);
    line.clear();
  }
  int err = 0;
  const char* message = gzerror(f, &err);
  if (err < 0) throw Error(path + ": " + message);
  if (!line.empty()) row(++number, line);
}

void write_jsonl(const std::string& path, const std::vector<nlohmann::json>& rows) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) throw Error("cannot write " + path);
  for (const auto& r : rows)
    out << r.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  if (!out.flush()) throw Error("cannot write " + path);
}

std::vector<Task> read_tasks(const std::string& path) {
  std::vector<Task> out;
  for_each_line(path, [&](size_t line, const std::string& text) {
    nlohmann::json j = parse_json_input_or_discarded(text, path + ":" + std::to_string(line));
    if (j.is_discarded())
      throw InvalidRequest(path + ":" + std::to_string(line) + ": not valid JSON");
    try {
      out.push_back(Task::from_json(j));
    } catch (const InvalidRequest& e) {
      throw InvalidRequest(path + ":" + std::to_string(line) + ": " + e.what());
    }
  });
  return out;
}

}  // namespace crucible::tasks
