// A bench's command line, parsed by the CLI's flag parser (cli/flags.hpp): --help prints the
// usage, and an unknown flag, a missing value or a bad number is an error naming it (exit 2),
// never a silently ignored flag or a default the user did not ask for.
//
//   const cli::CommandSpec kSpec{"", {}, "What the bench measures.", {{"runs", "N", "..."}},
//                                "", "build/bin/sandbox_bench"};
//   int main(int argc, char** argv) {
//     return bench_main(argc, argv, kSpec, [](const cli::Flags& flags) { ...; return 0; });
//   }
#pragma once

#include <functional>

#include "cli/flags.hpp"

namespace crucible::bench {

int bench_main(int argc, char** argv, const cli::CommandSpec& spec,
               const std::function<int(const cli::Flags&)>& body);

}  // namespace crucible::bench
