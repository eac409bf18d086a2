#include "rollout/tool_env.hpp"

#include <random>

#include "base/error.hpp"
#include "base/json_fields.hpp"
#include "tasks/prompts.hpp"

namespace crucible::rollout {

using nlohmann::json;

namespace {

// 128 bits from the OS: a session cannot be guessed by another client.
std::string new_session_id() {
  std::random_device device;
  std::string id;
  static const char* hex = "0123456789abcdef";
  for (int i = 0; i < 4; ++i) {
    uint32_t v = device();
    for (int k = 0; k < 8; ++k, v >>= 4) id += hex[v & 15];
  }
  return id;
}

}  // namespace

ToolEnvironment::ToolEnvironment(EnvOptions options) : options_(std::move(options)) {
  if (options_.max_sessions == 0) throw InvalidRequest("env: max_sessions must be positive");
}

void ToolEnvironment::drop_expired(Clock::time_point now) {
  std::erase_if(sessions_, [&](const auto& entry) {
    return !entry.second->busy && now - entry.second->last_used > options_.ttl;
  });
}

json ToolEnvironment::reset(const json& request) {
  JsonFields f(request, "env reset: ");
  const json* task_json = f.value("task");
  std::string prompt_template = "plain";
  f.text("template", prompt_template);
  f.done();
  if (!task_json || !task_json->is_object())
    f.fail("task", task_json ? "must be a task object"
                             : "is required (a task object: id, kind, prompt, answer or tests)");
  auto session = std::make_shared<Session>();
  try {
    session->task = tasks::Task::from_json(*task_json);
  } catch (const InvalidRequest& e) {
    f.fail("task", std::string("is not a task: ") + e.what());
  }
  std::string prompt =
      tasks::PromptTemplates::builtin().render(session->task, prompt_template).text;
  session->task.prompt = prompt;  // the transcript the reward reads starts after it
  if (prompt.size() > options_.max_transcript_bytes)
    f.fail("task", "renders to a prompt longer than the episode's limit (" +
                       std::to_string(options_.max_transcript_bytes) + " bytes)");
  std::string id = new_session_id();
  {
    std::lock_guard lock(mu_);
    auto now = Clock::now();
    drop_expired(now);
    if (sessions_.size() >= options_.max_sessions)
      throw Busy("env: " + std::to_string(options_.max_sessions) +
                 " episodes are open; finish some or let them expire (after " +
                 std::to_string(options_.ttl.count()) + " s unused)");
    session->last_used = now;
    sessions_.emplace(id, session);
  }
  return {{"session_id", id},
          {"observation", prompt},
          {"done", false},
          {"max_turns", options_.tools.max_turns},
          {"languages", options_.tools.languages},
          {"ttl_seconds", options_.ttl.count()}};
}

std::shared_ptr<ToolEnvironment::Session> ToolEnvironment::checkout(const std::string& id) {
  std::lock_guard lock(mu_);
  drop_expired(Clock::now());
  auto it = sessions_.find(id);
  if (it == sessions_.end())
    throw NotFound("env step: session_id: no open episode '" + id.substr(0, 64) +
                   "' (unknown, finished, or expired after " +
                   std::to_string(options_.ttl.count()) + " s unused)");
  if (it->second->busy)
    throw InvalidRequest("env step: session_id: another step of this episode is running");
  it->second->busy = true;
  return it->second;
}

json ToolEnvironment::step(const json& request, const rewards::Scorer& score,
                           const ToolRunner& run) {
  JsonFields f(request, "env step: ");
  std::string id, action;
  f.text("session_id", id);
  f.text("action", action);
  f.done();
  if (id.empty()) f.fail("session_id", "is required");
  if (action.size() > options_.max_action_bytes)
    f.fail("action", "is longer than " + std::to_string(options_.max_action_bytes) + " bytes");
  std::shared_ptr<Session> s = checkout(id);
  auto finish = [&](bool ended) {
    std::lock_guard lock(mu_);
    s->busy = false;
    s->last_used = Clock::now();
    if (ended) sessions_.erase(id);
  };
  try {
    s->transcript += action;
    bool too_long = s->task.prompt.size() + s->transcript.size() > options_.max_transcript_bytes;
    auto program = tool_call_at_end(s->transcript, options_.tools);
    if (program && s->turns < options_.tools.max_turns && !too_long) {
      ToolCall call{++s->turns, program->first, program->second, "", "", 0};
      try {
        call.observation = s->book.call(run, call, options_.tools);
      } catch (const SandboxFailure& e) {
        finish(true);
        return {{"observation", ""},
                {"reward", nullptr},
                {"done", true},
                {"valid", false},
                {"turn", s->turns},
                {"error", std::string("sandbox failure in tool call: ") + e.what()}};
      }
      s->transcript += call.observation;
      finish(false);
      return {
          {"observation", call.observation},
          {"reward", 0},
          {"done", false},
          {"turn", s->turns},
          {"call",
           {{"language", call.language}, {"verdict", call.verdict}, {"seconds", call.seconds}}}};
    }
    rewards::Reward r = score(s->task, {s->transcript, 0});
    json out = {{"observation", ""},  {"reward", r.valid ? json(r.value) : json(nullptr)},
                {"done", true},       {"valid", r.valid},
                {"turn", s->turns},   {"verdict", r.verdict},
                {"reward_details", r}};
    if (program) out["ended_by"] = too_long ? "max_transcript_bytes" : "max_turns";
    finish(true);
    return out;
  } catch (...) {
    finish(true);  // an episode whose step failed is over; nothing of it stays
    throw;
  }
}

}  // namespace crucible::rollout
