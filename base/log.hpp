// Logging to stderr, so stdout stays machine-readable. Level from $CRUCIBLE_LOG
// (error, warn, info, debug; default warn).
//
//   log::info("compiled " + lang);
#pragma once

#include <string_view>

namespace crucible::log {

enum class Level { Error = 0, Warn = 1, Info = 2, Debug = 3 };

void write(Level level, std::string_view message);
inline void error(std::string_view m) {
  write(Level::Error, m);
}
inline void warn(std::string_view m) {
  write(Level::Warn, m);
}
inline void info(std::string_view m) {
  write(Level::Info, m);
}
inline void debug(std::string_view m) {
  write(Level::Debug, m);
}

}  // namespace crucible::log
