// A Judge whose runs happen on `crucible serve` endpoints: each submission is POSTed to
// /v1/judge through the SandboxClient (load spread across the endpoints, retries on 5xx,
// 429 and lost connections). Rewards, critics and training loops take it wherever they
// take a local Judge, so generation and execution can scale out.
//
//   RemoteJudge judge({.endpoints = {"http://10.0.0.5:8080", "http://10.0.0.6:8080"}});
//   JudgeResult r = judge.run(submission);
#pragma once

#include "sandbox/judge/judge.hpp"
#include "sandbox/service/client.hpp"

namespace crucible::sandbox::service {

class RemoteJudge : public judge::Judge {
 public:
  explicit RemoteJudge(ClientOptions options) : client_(std::move(options)) {}
  // A rejected request (4xx) is an InvalidRequest; every endpoint failing is a
  // SandboxFailure; a sandbox error on the server comes back as that verdict.
  judge::JudgeResult run(const judge::Submission& submission) override;

 private:
  SandboxClient client_;
};

}  // namespace crucible::sandbox::service
