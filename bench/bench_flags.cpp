#include "bench/bench_flags.hpp"

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "base/error.hpp"

namespace crucible::bench {

int bench_main(int argc, char** argv, const cli::CommandSpec& spec,
               const std::function<int(const cli::Flags&)>& body) {
  try {
    auto flags = cli::parse_command(std::vector<std::string>(argv + 1, argv + argc), spec);
    if (!flags) return 0;  // --help
    return body(*flags);
  } catch (const InvalidRequest& e) {
    std::fprintf(stderr, "%.*s: %s (--help lists the flags)\n",
                 static_cast<int>(spec.program.size()), spec.program.data(), e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%.*s: %s\n", static_cast<int>(spec.program.size()), spec.program.data(),
                 e.what());
    return 1;
  }
}

}  // namespace crucible::bench
