#include "sandbox/service/access.hpp"

#include "base/error.hpp"
#include "sandbox/service/remote_judge.hpp"

namespace crucible::sandbox::service {

using nlohmann::json;

SandboxAccess sandbox_access(const std::vector<std::string>& endpoints, Sandbox* local) {
  SandboxAccess a;
  if (!endpoints.empty()) {
    ClientOptions co;
    co.endpoints = endpoints;
    a.judge = std::make_unique<RemoteJudge>(co);
    a.client = std::make_unique<SandboxClient>(co);
    SandboxClient* client = a.client.get();
    // A reference program runs on the service (the same jail, elsewhere) once per input.
    a.reference_outputs = [client](const std::string& language, const std::string& source,
                                   const std::vector<std::string>& inputs) {
      std::vector<std::string> out;
      for (const auto& input : inputs) {
        json o = client->run({{"language", language}, {"source", source}, {"stdin", input}});
        if (o.value("verdict", "") != "Accepted")
          throw SandboxFailure("a reference program failed on the sandbox service: " + o.dump());
        out.push_back(o.value("stdout", ""));
      }
      return out;
    };
  } else if (local) {
    a.judge = std::make_unique<judge::Judge>(*local);
    a.reference_outputs = [local](const std::string& language, const std::string& source,
                                  const std::vector<std::string>& inputs) {
      return local->reference_outputs(language, source, inputs);
    };
  }
  return a;
}

}  // namespace crucible::sandbox::service
