#include "tasks/prompts.hpp"

#include <regex>

#include "base/error.hpp"

namespace crucible::tasks {
namespace {

using nlohmann::json;

// Rejects any {placeholder} other than the three known ones.
void check_placeholders(const std::string& text, const std::string& where) {
  static const std::regex placeholder(R"re(\{([A-Za-z_]+)\})re");
  for (std::sregex_iterator it(text.begin(), text.end(), placeholder), end; it != end; ++it) {
    std::string name = (*it)[1];
    if (name != "prompt" && name != "language" && name != "entry_point")
      throw InvalidRequest(where + ": unknown placeholder {" + name + "}");
  }
}

std::string fill(std::string text, const Task& t) {
  std::string entry = t.tests.is_object() && t.tests.contains("harness")
                          ? t.tests["harness"].value("entry_point", "")
                          : "";
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"{prompt}", t.prompt},
                                   {"{language}", t.language.empty() ? "python3" : t.language},
                                   {"{entry_point}", entry}})
    for (size_t pos = 0; (pos = text.find(key, pos)) != std::string::npos; pos += value.size())
      text.replace(pos, key.size(), value);
  return text;
}

}  // namespace

PromptTemplates PromptTemplates::parse(const std::string& json_text) {
  json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.contains("templates") || !doc["templates"].is_array())
    throw InvalidRequest("prompt templates: expected {\"templates\": [...]}");
  PromptTemplates out;
  for (size_t i = 0; i < doc["templates"].size(); ++i) {
    const json& t = doc["templates"][i];
    std::string where = "templates[" + std::to_string(i) + "]";
    if (!t.is_object() || !t.contains("name") || !t["name"].is_string())
      throw InvalidRequest(where + ".name must be a string");
    PromptTemplate p;
    p.name = t["name"];
    where = "template '" + p.name + "'";
    if (!t.contains("kinds") || !t["kinds"].is_array() || t["kinds"].empty())
      throw InvalidRequest(where + ".kinds must list math and/or code");
    for (const auto& k : t["kinds"]) {
      if (k == "math")
        p.math = true;
      else if (k == "code")
        p.code = true;
      else
        throw InvalidRequest(where + ".kinds: unknown kind " + k.dump());
    }
    if (t.contains("text") == t.contains("messages"))
      throw InvalidRequest(where + " needs exactly one of text or messages");
    if (t.contains("text")) {
      if (!t["text"].is_string()) throw InvalidRequest(where + ".text must be a string");
      p.text = t["text"];
      check_placeholders(p.text, where + ".text");
    } else {
      if (!t["messages"].is_array() || t["messages"].empty())
        throw InvalidRequest(where + ".messages must be a list");
      for (const auto& m : t["messages"]) {
        if (!m.is_object() || !m.contains("role") || !m.contains("content") ||
            !m["content"].is_string())
          throw InvalidRequest(where + ".messages must hold {role, content}");
        check_placeholders(m["content"], where + ".messages");
      }
      p.messages = t["messages"];
    }
    for (const auto& existing : out.templates_)
      if (existing.name == p.name) throw InvalidRequest(where + " is defined twice");
    out.templates_.push_back(std::move(p));
  }
  return out;
}

const PromptTemplates& PromptTemplates::builtin() {
  static const PromptTemplates templates = parse(kEmbeddedPromptTemplates);
  return templates;
}

const PromptTemplate& PromptTemplates::find(const std::string& name) const {
  for (const auto& t : templates_)
    if (t.name == name) return t;
  std::string known;
  for (const auto& t : templates_) known += (known.empty() ? "" : ", ") + t.name;
  throw InvalidRequest("unknown prompt template '" + name + "'; known: " + known);
}

Rendered PromptTemplates::render(const Task& task, const std::string& name) const {
  const PromptTemplate& t = find(name);
  if ((task.kind == Kind::Math && !t.math) || (task.kind == Kind::Code && !t.code))
    throw InvalidRequest("prompt template '" + name + "' does not apply to " +
                         kind_name(task.kind) + " tasks");
  Rendered r;
  if (!t.text.empty()) {
    r.text = fill(t.text, task);
    r.messages = json::array({{{"role", "user"}, {"content", r.text}}});
  } else {
    r.messages = t.messages;
    for (auto& m : r.messages) {
      m["content"] = fill(m["content"], task);
      if (m["role"] == "user") r.text = m["content"];
    }
  }
  return r;
}

}  // namespace crucible::tasks
