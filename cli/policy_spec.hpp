// A policy named on the command line: native:CKPT_DIR or openai:URL (with a model name).
#pragma once

#include <memory>
#include <string>

#include "policy/policy.hpp"

namespace crucible::cli {

// Throws InvalidRequest naming a spec that is neither, or openai:URL without a model.
std::unique_ptr<policy::Policy> make_policy(const std::string& spec, const std::string& model);

}  // namespace crucible::cli
