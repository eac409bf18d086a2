#include "rollout/sft_data.hpp"

#include "tasks/prompts.hpp"

namespace crucible::rollout {

policy::SftExample sft_example(const tasks::Task& task, const policy::Tokenizer& tokenizer,
                               bool with_rationale, const std::string& prompt_template) {
  policy::SftExample e;
  e.prompt = tokenizer.encode(tasks::PromptTemplates::builtin().render(task, prompt_template).text);
  e.prompt.insert(e.prompt.begin(), tokenizer.bos());
  std::string rationale = with_rationale ? task.solution : "";
  std::string answer = task.kind == tasks::Kind::Math
                           ? "\\boxed{" + task.answer + "}"
                           : "```" + task.language + "\n" + task.solution + "\n```";
  std::string target = "\n";  // built by appending: GCC 12 misreports chained + (-Wrestrict)
  if (prompt_template.find("think") != std::string::npos) {
    target.append("<think>").append(rationale).append("</think>\n");
  } else if (!rationale.empty()) {
    target.append(rationale).append("\n");
  }
  target.append(answer);
  e.completion = tokenizer.encode(target);
  e.completion.push_back(tokenizer.eos());
  return e;
}

}  // namespace crucible::rollout
