#include "rollout/train/teacher.hpp"

namespace crucible::rollout {

std::string slip_signs(const std::string& demonstration, double rate, Rng& rng) {
  std::string out = demonstration;
  for (size_t at = out.find(" - "); at != std::string::npos; at = out.find(" - ", at + 3))
    if (rng.chance(rate)) out[at + 1] = '+';
  return out;
}

std::string quote_prints(const std::string& demonstration, double rate, Rng& rng) {
  if (!rng.chance(rate)) return demonstration;
  std::string out;
  size_t start = 0;
  while (start <= demonstration.size()) {
    size_t end = demonstration.find('\n', start);
    if (end == std::string::npos) end = demonstration.size();
    std::string line = demonstration.substr(start, end - start);
    size_t indent = line.find_first_not_of(" \t");
    bool call = indent != std::string::npos && line.compare(indent, 6, "print(") == 0 &&
                line.back() == ')' && line.size() > indent + 7;
    std::string argument = call ? line.substr(indent + 6, line.size() - indent - 7) : "";
    if (call && argument.find_first_of("\"'") == std::string::npos)
      line = line.substr(0, indent) + "print(\"" + argument + "\")";
    out += line;
    if (end < demonstration.size()) out += '\n';
    start = end + 1;
  }
  return out;
}

std::string with_recheck(const std::string& rationale) {
  if (rationale.empty()) return rationale;
  std::string out = rationale;
  out.append("\nCheck:\n").append(rationale);
  return out;
}

}  // namespace crucible::rollout
