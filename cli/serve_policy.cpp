// crucible serve-policy --ckpt CKPT [--port P] [--host H] [--name NAME] [--queue N]
//                      [--max-rows N] [--chunk-tokens N]
//
// Serves a native checkpoint over the OpenAI-compatible completions API until SIGINT or
// SIGTERM; prints {"url": ...} once listening.
#include <algorithm>
#include <csignal>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "cli/commands.hpp"
#include "cli/flags.hpp"
#include "policy/native_policy.hpp"
#include "policy/remote/policy_server.hpp"

namespace crucible::cli {
namespace {

constexpr FlagSpec kFlags[] = {
    {"ckpt", "CKPT", "the checkpoint to serve", true},
    {"port", "P", "TCP port (default 8000; 0: the system picks)"},
    {"host", "H", "address to listen on (default 127.0.0.1)"},
    {"name", "NAME", "the model name clients ask for"},
    {"queue", "N", "requests waiting at most (default 16)"},
    {"max-rows", "N",
     "samples decoding at once: concurrent requests share one batch (default 64; 0: each "
     "request decoded alone, one at a time)"},
    {"chunk-tokens", "N", "tokens per batch round; requests join between rounds (default 4)"}};
constexpr CommandSpec kCommand{
    "serve-policy",
    {},
    "Serves a native policy checkpoint, OpenAI-compatible: POST /v1/completions and\n"
    "/v1/chat/completions (stream, logprobs with top alternatives, stop strings; generation\n"
    "ends at <eos>), GET /v1/models and /v1/models/{id}; errors in OpenAI's shape.",
    kFlags};
}  // namespace

int serve_policy_command(const Args& args) {
  auto parsed = parse_command(args, kCommand);
  if (!parsed) return 0;
  const Flags& f = *parsed;
  policy::NativePolicy native(*f.get("ckpt"));
  native.keep_decoder(true);  // the served weights never change
  policy::PolicyServerOptions o;
  o.http.host = f.get("host").value_or("127.0.0.1");
  o.http.port = f.port("port").value_or(8000);  // 0: the system picks (printed below)
  o.queue = f.whole("queue", 1, 100000).value_or(16);
  size_t rows = f.whole("max-rows", 0, 4096).value_or(64);
  if (rows == 0) {
    o.batching.reset();
    o.workers = 1;
  } else {
    o.batching->max_rows = rows;
    o.batching->chunk_tokens = f.whole("chunk-tokens", 1, 4096).value_or(4);
    o.workers = std::max<size_t>(rows, 1);
  }
  // The vocabulary the OpenAI API renders with: <eos> ends a completion, special tokens
  // other than <think> and </think> never appear in text.
  const policy::Tokenizer& tok = native.tokenizer();
  o.limits.stop_tokens = {tok.eos()};
  o.limits.hidden_tokens = {"<pad>", "<bos>", "<eos>"};
  o.limits.token_text = [&tok](int id) { return tok.decode_one(id); };
  std::string name = f.get("name").value_or(native.name());
  policy::set_policy_threads(2);
  // A peer that hangs up must cost one request, never the process: every write that could
  // meet a closed pipe or socket fails with EPIPE instead of raising SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // every thread started below inherits the mask
  policy::PolicyServer server(native, name, o);
  server.start();
  std::cout << nlohmann::json(
                   {{"url", "http://" + o.http.host + ":" + std::to_string(server.port())},
                    {"model", name}})
                   .dump()
            << std::endl;
  int received = 0;
  sigwait(&signals, &received);
  server.stop();
  return 0;
}

}  // namespace crucible::cli
