#include "base/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace crucible {

Progress::Progress(std::string label, size_t total)
    : label_(std::move(label)),
      total_(total),
      visible_(::isatty(2)),
      start_(std::chrono::steady_clock::now()) {}

void Progress::advance(const std::string& note) {
  ++done_;
  if (!visible_) return;
  auto now = std::chrono::steady_clock::now();
  if (done_ < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  double secs = std::chrono::duration<double>(now - start_).count();
  constexpr int kWidth = 30;
  int filled = total_ ? static_cast<int>(kWidth * done_ / total_) : 0;
  std::string bar(filled, '=');
  bar.resize(kWidth, ' ');
  std::fprintf(stderr, "\r%s [%s] %zu/%zu %.1f/s %s\x1b[K", label_.c_str(), bar.c_str(), done_,
               total_, secs > 0 ? done_ / secs : 0.0, note.c_str());
}

void Progress::finish() {
  if (visible_) std::fputc('\n', stderr);
}

}  // namespace crucible
