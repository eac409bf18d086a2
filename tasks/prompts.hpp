// Prompt templates as data (tasks/prompt_templates.json, embedded at build time, or a
// file of the same shape): how a task is shown to a policy, selectable per run.
//
//   const PromptTemplates& t = PromptTemplates::builtin();
//   Rendered r = t.render(task, "think_boxed");   // r.text, or r.messages for chat templates
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tasks/task.hpp"

namespace crucible::tasks {

struct PromptTemplate {
  std::string name;
  bool math = false, code = false;  // which kinds it applies to
  std::string text;                 // empty for chat templates
  nlohmann::json messages;          // [{role, content}] or null
};

struct Rendered {
  std::string text;         // the prompt as one string (chat templates: the user turn)
  nlohmann::json messages;  // chat form; for text templates a single user message
};

class PromptTemplates {
 public:
  // Parses a templates document; InvalidRequest names the bad template or placeholder.
  static PromptTemplates parse(const std::string& json_text);
  static const PromptTemplates& builtin();
  // InvalidRequest for an unknown name (listing the known ones).
  const PromptTemplate& find(const std::string& name) const;
  // InvalidRequest when the template does not apply to the task's kind.
  Rendered render(const Task& task, const std::string& name) const;
  const std::vector<PromptTemplate>& all() const { return templates_; }

 private:
  std::vector<PromptTemplate> templates_;
};

extern const char* const kEmbeddedPromptTemplates;

}  // namespace crucible::tasks
