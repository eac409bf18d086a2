#include "sandbox/service/access.hpp"

#include "base/error.hpp"
#include "sandbox/service/remote_judge.hpp"

namespace crucible::sandbox::service {

using nlohmann::json;

Limits tool_call_limits() {
  Limits l;
  l.cpu_seconds = 2;
  l.wall_seconds = 5;
  l.memory_bytes = 256ull << 20;
  l.processes = 16;
  l.output_bytes = 64 << 10;
  return l;
}

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
    a.tool_calls = [client](const std::string& language, const std::string& source) {
      const Limits l = tool_call_limits();
      json o = client->run({{"language", language},
                            {"source", source},
                            {"limits",
                             {{"cpu_seconds", l.cpu_seconds},
                              {"wall_seconds", l.wall_seconds},
                              {"memory_bytes", l.memory_bytes},
                              {"processes", l.processes},
                              {"output_bytes", l.output_bytes}}}});
      std::string verdict = o.value("verdict", "");
      if (verdict.empty() || verdict == "SandboxError")
        throw SandboxFailure("a tool call failed on the sandbox service: " + o.dump());
      return tasks::ToolRun{o.value("stdout", ""), o.value("stderr", ""), verdict,
                            o.value("wall_seconds", 0.0)};
    };
  } else if (local) {
    a.judge = std::make_unique<judge::Judge>(*local);
    a.reference_outputs = [local](const std::string& language, const std::string& source,
                                  const std::vector<std::string>& inputs) {
      return local->reference_outputs(language, source, inputs);
    };
    a.tool_calls = [local](const std::string& language, const std::string& source) {
      Outcome o = local->execute(local->prepare(language, source, ""), "", tool_call_limits());
      if (o.verdict == Verdict::SandboxError)
        throw SandboxFailure("a tool call failed in the sandbox: " + o.message);
      // A program that does not compile is the policy's error: its diagnostics are shown.
      std::string err = o.verdict == Verdict::CompileError ? o.compile_output : o.stderr_data;
      return tasks::ToolRun{o.stdout_data, err, verdict_name(o.verdict), o.wall_seconds};
    };
  }
  return a;
}

}  // namespace crucible::sandbox::service
