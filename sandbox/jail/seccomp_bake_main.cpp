// crucible-seccomp-bake OUT.cpp: writes the seccomp filter, compiled by libseccomp from
// seccomp_rules' table, as C++ defining baked_seccomp_program() (seccomp_baked.hpp). Run by
// the build only.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sandbox/jail/seccomp_rules.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: crucible-seccomp-bake OUT.cpp\n");
    return 2;
  }
  try {
    auto program = crucible::sandbox::jail::compile_seccomp_program();
    std::string tmp = std::string(argv[1]) + ".tmp";
    {
      std::ofstream out(tmp);
      out << "// Written by crucible-seccomp-bake from seccomp_rules' table; not edited.\n"
             "#include \"sandbox/jail/seccomp_baked.hpp\"\n\n"
             "namespace crucible::sandbox::jail {\n\n"
             "std::vector<sock_filter> baked_seccomp_program() {\n"
             "  return {\n";
      char row[96];
      for (const auto& insn : program) {
        std::snprintf(row, sizeof row, "      {0x%04x, %u, %u, 0x%08x},\n", insn.code, insn.jt,
                      insn.jf, insn.k);
        out << row;
      }
      out << "  };\n}\n\n}  // namespace crucible::sandbox::jail\n";
      if (!out.flush()) throw std::runtime_error("cannot write " + tmp);
    }
    std::filesystem::rename(tmp, argv[1]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "crucible-seccomp-bake: %s\n", e.what());
    return 1;
  }
  return 0;
}
