// A scripted policy for serial-group tests: byte tokens; the full path thinks
// "abcdefghij" then answers; each resumed exit answers right ("\\boxed{7}") or wrong by
// `exit_pattern`, in the order the exits are given.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy/policy.hpp"
#include "tasks/task.hpp"

namespace crucible::testing {

inline constexpr const char* kThinking = "<think>abcdefghij</think>\n\n";

class ScriptedPolicy : public policy::Policy {
 public:
  ScriptedPolicy(std::vector<bool> exit_pattern, bool full_right, std::string thinking = kThinking)
      : exit_pattern_(std::move(exit_pattern)),
        full_right_(full_right),
        thinking_(std::move(thinking)) {}

  std::vector<policy::Sample> generate(const std::vector<std::string>& prompts,
                                       const policy::SamplingParams& params) override {
    policy::Sample s;
    s.prompt = prompts.at(0);
    s.params = params;
    append(s, thinking_ + (full_right_ ? "\\boxed{7}" : "\\boxed{8}"), 0);
    s.finish_reason = "stop";
    return {s};
  }
  void resume(std::vector<policy::Sample>& samples, size_t max_new_tokens) override {
    resumed_calls++;
    for (size_t i = 0; i < samples.size(); ++i) {
      std::string answer = exit_pattern_.at(i) ? "\\boxed{7}" : "\\boxed{9}";
      EXPECT_LE(answer.size(), max_new_tokens);
      append(samples[i], answer, 0);
      samples[i].finish_reason = "stop";
    }
  }
  std::string version() const override { return "scripted@1"; }
  policy::Sample prefix(const policy::Sample& s, size_t n) const override {
    policy::Sample p = s;
    p.tokens.resize(n);
    p.logprobs.resize(n);
    p.raw_logprobs.resize(n);
    p.forced.resize(n);
    p.text = p.text.substr(0, n);
    return p;
  }
  void force(policy::Sample& s, const std::string& text) const override { append(s, text, 1); }
  int resumed_calls = 0;

 private:
  static void append(policy::Sample& s, const std::string& text, uint8_t forced) {
    for (char c : text) {
      s.tokens.push_back(static_cast<unsigned char>(c));
      s.logprobs.push_back(-0.25f);
      s.raw_logprobs.push_back(-0.25f);
      s.forced.push_back(forced);
    }
    s.text += text;
  }
  std::vector<bool> exit_pattern_;
  bool full_right_;
  std::string thinking_;
};

// The task the script answers: "3 + 4?", answer 7.
inline tasks::Task seven() {
  tasks::Task t;
  t.id = "t7";
  t.kind = tasks::Kind::Math;
  t.prompt = "3 + 4?";
  t.answer = "7";
  return t;
}

}  // namespace crucible::testing
