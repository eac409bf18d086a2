#include "rollout/verl_row.hpp"

namespace crucible::rollout {

nlohmann::json verl_row(const tasks::Task& t, const std::string& prompt,
                        const std::string& response, double reward) {
  using nlohmann::json;
  return {{"data_source", t.source.empty() ? "crucible" : t.source},
          {"prompt", json::array({{{"role", "user"}, {"content", prompt}}})},
          {"ability", tasks::kind_name(t.kind)},
          {"reward_model",
           {{"style", "rule"},
            {"ground_truth", t.kind == tasks::Kind::Math ? json(t.answer) : t.tests}}},
          {"extra_info", {{"task_id", t.id}, {"response", response}, {"reward", reward}}}};
}

}  // namespace crucible::rollout
