// The machine a run ran on, as its report prints it: CPU model, cores and the matrix kernel
// (results in fp32 depend on the kernel's rounding, so a figure names the one it came from).
//
//   {"cpu": "AMD EPYC 7B13", "cores": 2, "kernels": "OpenBLAS Zen"}
#pragma once

#include <nlohmann/json.hpp>

#include "policy/model/kernels.hpp"

namespace crucible::rollout {

nlohmann::json describe_machine(policy::Backend kernels);

}  // namespace crucible::rollout
