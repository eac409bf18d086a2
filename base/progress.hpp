// A one-line progress display on stderr, shown only when stderr is a terminal (so logs
// and CI output stay clean).
//
//   Progress p("judge", total);
//   p.advance(); ... p.finish();
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace crucible {

class Progress {
 public:
  Progress(std::string label, size_t total);
  // Counts one more item; `note` is appended (e.g. "accepted 80%").
  void advance(const std::string& note = "");
  void finish();
  bool visible() const { return visible_; }

 private:
  std::string label_;
  size_t total_, done_ = 0;
  bool visible_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace crucible
