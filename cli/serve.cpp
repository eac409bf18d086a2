// crucible serve [--host 127.0.0.1] [--port N] [--workers N] [--queue N]
//                [--queue-per-client N] [--client-prefix-v4 BITS] [--client-prefix-v6 BITS]
//                [--trusted-proxy ADDR,...]
//                [--token-file F]
//                [--env-sessions N] [--env-ttl S] [--env-turns N] [--env-languages L,...]
// Prints {"listening": "host:port"} on stdout once ready; SIGTERM or SIGINT stops it
// gracefully (no new connections, running and queued jobs finish and are answered).
#include <signal.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "cli/commands.hpp"
#include "cli/flags.hpp"
#include "cli/trainer_routes.hpp"
#include "sandbox/service/server.hpp"

namespace crucible::cli {

namespace {

constexpr FlagSpec kFlags[] = {
    {"host", "H", "address to listen on (default 127.0.0.1)"},
    {"port", "P", "TCP port (default 8080; 0: the system picks)"},
    {"workers", "N", "Crucible's own /v1 jobs at once (few: verdicts must not depend on load)"},
    {"queue", "N", "jobs waiting at most (default 64)"},
    {"queue-per-client", "N", "jobs one client may have waiting (default 3/4 of --queue)"},
    {"client-prefix-v4", "BITS", "IPv4 addresses in one such prefix are one client (default 32)"},
    {"client-prefix-v6", "BITS", "IPv6 addresses in one such prefix are one client (default 64)"},
    {"trusted-proxy", "ADDR,...",
     "reverse proxies (addresses or networks) whose X-Forwarded-For names the client"},
    {"compat-workers", "N", "SandboxFusion's and Piston's jobs at once (default 32)"},
    {"token-file", "FILE", "require this bearer token"},
    {"max-body-mb", "MB", "largest request body (default 16)"},
    {"env-sessions", "N", "environment episodes open at once (default 1024)"},
    {"env-ttl", "S", "seconds an unused episode is kept (default 600)"},
    {"env-turns", "N", "tool calls per episode (default 4)"},
    {"env-languages", "L,...", "the tool's languages (default python3)"}};
constexpr CommandSpec kCommand{
    "serve",
    {},
    "Serves the sandbox over HTTP: /v1/run, /v1/judge, /v1/judge/batch, /v1/languages,\n"
    "/v1/health, /metrics, SandboxFusion's /run_code, Piston's /api/v2/execute and\n"
    "OpenRLHF's /get_reward ({query, prompts, labels} -> {rewards, scores, extra_logs}), and\n"
    "an environment for tool-integrated rollouts: /v1/env/reset {task} -> {session_id,\n"
    "observation}, /v1/env/step {session_id, action} -> {observation, reward, done}.",
    kFlags};

}  // namespace

int serve_command(const Args& args) {
  auto parsed = parse_command(args, kCommand);
  if (!parsed) return 0;
  const Flags& flags = *parsed;
  sandbox::service::ServeOptions options;
  options.host = flags.get("host").value_or("127.0.0.1");
  if (auto port = flags.port("port")) options.port = *port;
  if (auto w = flags.number("workers")) options.workers = static_cast<size_t>(*w);
  if (auto q = flags.number("queue")) options.queue = static_cast<size_t>(*q);
  if (auto q = flags.whole("queue-per-client", 1, 1000000)) options.queue_per_client = *q;
  if (auto b = flags.whole("client-prefix-v4", 0, 32))
    options.client_prefix_v4 = static_cast<int>(*b);
  if (auto b = flags.whole("client-prefix-v6", 0, 128))
    options.client_prefix_v6 = static_cast<int>(*b);
  if (auto p = flags.get("trusted-proxy")) options.trusted_proxies = split_list(*p);
  if (auto c = flags.number("compat-workers")) options.compat_workers = static_cast<size_t>(*c);
  if (auto m = flags.number("max-body-mb"))
    options.max_body_bytes = static_cast<size_t>(*m * (1 << 20));
  options.token_file = flags.get("token-file").value_or("");
  // The environment for external trainers: episodes held here, tool calls in the jail.
  rollout::EnvOptions env_options;
  if (auto n = flags.whole("env-sessions", 1, 1000000)) env_options.max_sessions = *n;
  if (auto t = flags.whole("env-ttl", 1, 86400)) env_options.ttl = std::chrono::seconds(*t);
  if (auto n = flags.whole("env-turns", 1, 64)) env_options.tools.max_turns = *n;
  if (auto l = flags.get("env-languages")) env_options.tools.languages = split_list(*l);
  env_options.tools.default_language = env_options.tools.languages.front();
  // OpenRLHF's remote reward endpoint and the environment's routes.
  options.extra_routes = trainer_routes(std::make_shared<rollout::ToolEnvironment>(env_options));

  // A peer that hangs up must cost one request, never the process: every write that could
  // meet a closed pipe or socket fails with EPIPE instead of raising SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  // Signals are taken by sigwait below, not by whichever thread happens to run.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  sandbox::service::SandboxServer server(options);
  server.start();
  std::cout
      << nlohmann::json({{"listening", options.host + ":" + std::to_string(server.port())}}).dump()
      << std::endl;
  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::fprintf(stderr, "crucible serve: %s received, finishing running jobs\n",
               sig == SIGTERM ? "SIGTERM" : "SIGINT");
  server.stop();
  std::fprintf(stderr, "crucible serve: stopped\n");
  return 0;
}

}  // namespace crucible::cli
