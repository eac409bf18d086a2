#include "base/log.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace crucible::log {
namespace {

Level threshold() {
  static const Level level = [] {
    const char* env = std::getenv("CRUCIBLE_LOG");
    if (!env) return Level::Warn;
    if (!std::strcmp(env, "error")) return Level::Error;
    if (!std::strcmp(env, "info")) return Level::Info;
    if (!std::strcmp(env, "debug")) return Level::Debug;
    return Level::Warn;
  }();
  return level;
}

}  // namespace

void write(Level level, std::string_view message) {
  if (level > threshold()) return;
  static constexpr const char* kNames[] = {"error", "warn", "info", "debug"};
  static std::mutex mu;
  std::lock_guard lock(mu);
  std::fprintf(stderr, "crucible %s: %.*s\n", kNames[static_cast<int>(level)],
               static_cast<int>(message.size()), message.data());
}

}  // namespace crucible::log
