// A scripted policy for tool-integrated turns: byte tokens; generate writes the script's
// first step, each resume the next one (after recording the text it resumed from), and a
// step that ends with a stop string stops there, as a real policy does.
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "policy/policy.hpp"

namespace crucible::testing {

class ToolScriptPolicy : public policy::Policy {
 public:
  explicit ToolScriptPolicy(std::vector<std::string> steps) : steps_(std::move(steps)) {}

  std::vector<policy::Sample> generate(const std::vector<std::string>& prompts,
                                       const policy::SamplingParams& params) override {
    std::vector<policy::Sample> out;
    for (size_t i = 0; i < prompts.size(); ++i) {
      policy::Sample s;
      s.index = i;
      s.prompt = prompts[i];
      s.prompt_tokens = {1};
      s.params = params;
      write(s, 0, params.max_tokens);
      out.push_back(std::move(s));
    }
    return out;
  }
  void resume(std::vector<policy::Sample>& samples, size_t max_new_tokens) override {
    for (auto& s : samples) {
      ++resumed;
      seen_before_resume.push_back(s.text);
      // Forced tokens get scored on resume, as the native policy does.
      s.logprobs.resize(s.tokens.size(), -0.5f);
      s.raw_logprobs.resize(s.tokens.size(), -0.5f);
      write(s, ++step_of_[s.index], max_new_tokens);
    }
  }
  std::string version() const override { return "script@1"; }
  void force(policy::Sample& s, const std::string& text) const override {
    for (char c : text) {
      s.tokens.push_back(static_cast<unsigned char>(c));
      s.forced.push_back(1);
    }
    s.text += text;
    s.finish_reason = "length";
  }

  int resumed = 0;
  std::vector<std::string> seen_before_resume;

 private:
  void write(policy::Sample& s, size_t step, size_t budget) {
    std::string text = step < steps_.size() ? steps_[step] : "";
    size_t n = std::min(budget, text.size());
    for (size_t k = 0; k < n; ++k) {
      s.tokens.push_back(static_cast<unsigned char>(text[k]));
      s.logprobs.push_back(-0.25f);
      s.raw_logprobs.push_back(-0.25f);
      s.forced.push_back(0);
    }
    s.text += text.substr(0, n);
    bool stopped = false;
    for (const auto& stop : s.params.stop)
      stopped = stopped || (s.text.size() >= stop.size() &&
                            s.text.compare(s.text.size() - stop.size(), stop.size(), stop) == 0);
    s.finish_reason = stopped || n == text.size() ? "stop" : "length";
  }
  std::vector<std::string> steps_;
  std::map<size_t, size_t> step_of_;
};

}  // namespace crucible::testing
