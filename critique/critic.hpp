// What every critic does: read a task and a completion, return a Critique. The arithmetic,
// execution and model critics implement it, so refinement and GSI do not care which.
//
//   std::unique_ptr<Critic> critic = make_critic("execution", {.judge = &judge});
//   Critique c = critic->critique(task, completion);
#pragma once

#include <memory>
#include <string>

#include "critique/critique.hpp"
#include "tasks/task.hpp"

namespace crucible::sandbox::judge {
class Judge;
}
namespace crucible::policy {
class Policy;
}

namespace crucible::critique {

class Critic {
 public:
  virtual ~Critic() = default;
  virtual Critique critique(const tasks::Task& task, const std::string& completion) = 0;
  virtual std::string name() const = 0;
};

struct CriticResources {
  sandbox::judge::Judge* judge = nullptr;  // the execution critic runs programs with it
  policy::Policy* model = nullptr;         // the model critic asks it
  // The arithmetic critic judges the final answer against the task's reference; without
  // it, only the steps are checked (a critic that knows no answers).
  bool use_reference = true;
};

// "arithmetic", "execution" or "model"; throws InvalidRequest naming an unknown critic or
// a resource it needs and was not given.
std::unique_ptr<Critic> make_critic(const std::string& name, const CriticResources& resources);

}  // namespace crucible::critique
