#include "rollout/sft_data.hpp"

#include "base/error.hpp"
#include "rollout/tool_turns.hpp"
#include "tasks/prompts.hpp"

namespace crucible::rollout {

namespace {

std::vector<int> prompt_tokens(const tasks::Task& task, const policy::Tokenizer& tokenizer,
                               const std::string& prompt_template) {
  std::vector<int> p =
      tokenizer.encode(tasks::PromptTemplates::builtin().render(task, prompt_template).text);
  p.insert(p.begin(), tokenizer.bos());
  return p;
}

// Appends `text` to the completion, trained on or not.
void append(policy::SftExample& e, const policy::Tokenizer& tokenizer, const std::string& text,
            bool trained) {
  std::vector<int> tokens = tokenizer.encode(text);
  e.completion.insert(e.completion.end(), tokens.begin(), tokens.end());
  e.completion_mask.insert(e.completion_mask.end(), tokens.size(), trained ? 1 : 0);
}

// The task's program in a python fence, as both tool and unrun demonstrations write it:
// one text, so the two differ only in whether it runs.
std::string program_block(const tasks::Task& task) {
  if (!task.metadata.contains("program") || !task.metadata["program"].is_string())
    throw InvalidRequest("task '" + task.id + "' has no program for a tool demonstration");
  std::string block = "\n```python\n";
  return block.append(task.metadata["program"].get<std::string>()).append("\n```\n");
}

void end_with_eos(policy::SftExample& e, const policy::Tokenizer& tokenizer) {
  e.completion.push_back(tokenizer.eos());
  e.completion_mask.push_back(1);
}

}  // namespace

policy::SftExample sft_tool_example(const tasks::Task& task, const policy::Tokenizer& tokenizer,
                                    const std::string& prompt_template) {
  std::string block = program_block(task);
  policy::SftExample e;
  e.prompt = prompt_tokens(task, tokenizer, prompt_template);
  append(e, tokenizer, block + kToolCallMarker, true);
  append(e, tokenizer, task.answer + "\n```\n", false);  // the environment's turn
  end_with_eos(e, tokenizer);
  return e;
}

policy::SftExample sft_unrun_example(const tasks::Task& task, const policy::Tokenizer& tokenizer,
                                     const std::string& prompt_template) {
  std::string block = program_block(task);
  policy::SftExample e;
  e.prompt = prompt_tokens(task, tokenizer, prompt_template);
  append(e, tokenizer, block + "\\boxed{" + task.answer + "}", true);
  end_with_eos(e, tokenizer);
  return e;
}

policy::SftExample sft_example(const tasks::Task& task, const policy::Tokenizer& tokenizer,
                               bool with_rationale, const std::string& prompt_template) {
  policy::SftExample e;
  e.prompt = prompt_tokens(task, tokenizer, prompt_template);
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
