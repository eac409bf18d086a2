#include "rollout/train/machine.hpp"

#include <fstream>
#include <string>
#include <thread>

namespace crucible::rollout {

nlohmann::json describe_machine(policy::Backend kernels) {
  std::string cpu = "unknown";
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; std::getline(info, line);)
    if (line.rfind("model name", 0) == 0 && line.find(':') != std::string::npos) {
      cpu = line.substr(line.find(':') + 1);
      cpu.erase(0, cpu.find_first_not_of(" \t"));
      break;
    }
  return {{"cpu", cpu},
          {"cores", std::thread::hardware_concurrency()},
          {"kernels", policy::kernel_name(kernels)}};
}

}  // namespace crucible::rollout
