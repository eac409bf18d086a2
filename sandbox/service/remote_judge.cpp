#include "sandbox/service/remote_judge.hpp"

namespace crucible::sandbox::service {

judge::JudgeResult RemoteJudge::run(const judge::Submission& submission) {
  nlohmann::json request = submission;
  return judge::judge_result_from_json(client_.judge(request));
}

}  // namespace crucible::sandbox::service
