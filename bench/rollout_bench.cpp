// Rollout engine costs, with the native policy, against baselines in the same run.
//  1. UloRL segments: a long-tailed output-length mix (most samples stop early, a few run
//     to the maximum L): useful tokens per wall-second for 1, 2 and 4 segments with the
//     same number of samples in flight. 1 segment is plain batched generation.
//  2. S-GRPO serial groups: the cost of m exits against m full paths.
//  With --served fixed|continuous, (1) runs over HTTP instead: the policy behind an in-process
//  `serve-policy` server that batches concurrent requests (policy/batched_policy.hpp), the
//  rollout's samples sent by HttpPolicy, continued segments re-sent as text (as with a vLLM
//  server). "fixed" decodes `active` rows every round, idle rows on fillers, so a round costs
//  the same with 1 or `active` samples in flight: a GPU server's cost model, simulated on the
//  CPU. "continuous" decodes only the rows in flight, as the CPU's own cost. "unbatched":
//  each request decoded alone, one at a time (the baseline for batching). --chunk: tokens
//  per round (requests join between rounds; GPU servers schedule every token).
//
//   build/bin/rollout_bench [--samples 96] [--max-tokens 256] [--active 16] [--exits 8]
//                           [--dim 128] [--layers 4] [--rounds 3] [--served
//                           fixed|continuous|unbatched] [--chunk 4] [--seed 7]
#include <chrono>
#include <cstdio>

#include "base/error.hpp"
#include "bench/bench_flags.hpp"
#include "policy/native_policy.hpp"
#include "policy/remote/http_policy.hpp"
#include "policy/remote/policy_server.hpp"
#include "rewards/reward.hpp"
#include "rollout/segmented.hpp"
#include "rollout/serial.hpp"

namespace {

using namespace crucible;
using Clock = std::chrono::steady_clock;

std::shared_ptr<policy::Transformer<float>> model(size_t max_seq, size_t dim, size_t layers) {
  policy::ModelConfig c;
  c.vocab = policy::Tokenizer().vocab_size();
  c.dim = dim;
  c.layers = layers;
  c.heads = 4;
  c.mlp_dim = dim * 11 / 4;
  c.max_seq = max_seq;
  auto m = std::make_shared<policy::Transformer<float>>(c);
  m->init(1);
  return m;
}

constexpr cli::FlagSpec kFlags[] = {{"samples", "N", "samples (default 96)"},
                                    {"max-tokens", "N", "longest output (default 256)"},
                                    {"active", "N", "samples in flight (default 16)"},
                                    {"exits", "N", "S-GRPO exits (default 8)"},
                                    {"dim", "N", "model width (default 128)"},
                                    {"layers", "N", "model depth (default 4)"},
                                    {"rounds", "N", "rounds (default 3)"},
                                    {"served", "MODE", "over HTTP: fixed, continuous or unbatched"},
                                    {"chunk", "N", "tokens per served round (default 4)"},
                                    {"seed", "N", "seed (default 7)"}};
constexpr cli::CommandSpec kSpec{
    "",
    {},
    "Rollout engine costs (UloRL segments, S-GRPO exits, served batching) with the native policy.",
    kFlags,
    "",
    "build/bin/rollout_bench"};

int run_bench(const cli::Flags& flags) {
  size_t samples = flags.whole("samples", 1, 100'000).value_or(96);
  size_t max_tokens = flags.whole("max-tokens", 1, 100'000).value_or(256);
  size_t active = flags.whole("active", 1, 10'000).value_or(16);
  size_t exits = flags.whole("exits", 1, 1'000).value_or(8);
  size_t dim = flags.whole("dim", 8, 4096).value_or(128);
  size_t layers = flags.whole("layers", 1, 64).value_or(4);
  size_t rounds = flags.whole("rounds", 1, 1'000).value_or(3);
  std::string served = flags.get("served").value_or("");
  size_t chunk = flags.whole("chunk", 1, 100'000).value_or(4);
  size_t seed = flags.whole("seed", 0, ~0ull).value_or(7);
  if (!served.empty() && served != "fixed" && served != "continuous" && served != "unbatched")
    throw InvalidRequest("--served takes fixed, continuous or unbatched, not " + served);
  policy::set_policy_threads(2);
  policy::NativePolicy native(model(max_tokens + 64, dim, layers), policy::Tokenizer(), "bench");
  std::vector<tasks::Task> tasks(samples);
  for (size_t i = 0; i < samples; ++i) {
    tasks[i].id = "t" + std::to_string(i);
    tasks[i].kind = tasks::Kind::Math;
    tasks[i].prompt = "q" + std::to_string(i);
    tasks[i].answer = "1";
  }
  // An untrained model stops at any of these four tokens with probability ~1.5% per token:
  // lengths are geometric (mean ~65), and ~2% of samples run to L = 256. (Over HTTP the
  // same four stop as stop strings: one byte is one token.)
  policy::SamplingParams sampling;
  sampling.seed = seed;
  sampling.stop_tokens = {'a', 'b', 'c', 'd'};
  std::unique_ptr<policy::PolicyServer> server;
  std::unique_ptr<policy::HttpPolicy> remote;
  if (!served.empty()) {
    native.keep_decoder(true);  // a server's weights do not change between its rounds
    policy::PolicyServerOptions so;
    so.http.port = 0;
    so.workers = so.queue = 2 * active;
    so.batching = policy::BatchingOptions{
        .chunk_tokens = chunk, .max_rows = active, .fixed_rows = served == "fixed"};
    if (served == "unbatched") {  // the server before batching: one request at a time
      so.batching.reset();
      so.workers = 1;
    }
    server = std::make_unique<policy::PolicyServer>(native, "bench", so);
    server->start();
    remote = std::make_unique<policy::HttpPolicy>(
        policy::HttpPolicyOptions{.base_url = "http://127.0.0.1:" + std::to_string(server->port()),
                                  .model = "bench",
                                  .concurrency = active});
    sampling.stop_tokens.clear();
    sampling.stop = {"a", "b", "c", "d"};
  }
  policy::Policy& rollout_policy =
      remote ? static_cast<policy::Policy&>(*remote) : static_cast<policy::Policy&>(native);
  const rewards::Scorer none(
      [](const tasks::Task&, const rewards::Completion&) { return rewards::Reward{}; });
  // Rounds interleave the segment counts (host noise hits them alike); the best round of
  // each is reported.
  const std::vector<size_t> segment_counts{1, 2, 4};
  std::vector<double> best(segment_counts.size(), 1e30);
  size_t tokens = 0, at_limit = 0, finished = 0;
  std::vector<size_t> steps(segment_counts.size(), 0);
  for (size_t round = 0; round < rounds; ++round)
    for (size_t k = 0; k < segment_counts.size(); ++k) {
      rollout::SegmentOptions o;
      o.max_tokens = max_tokens;
      o.segments = segment_counts[k];
      o.active = active;
      o.sampling = sampling;
      o.prompt_template = "plain";
      rollout::SegmentedRollout r(rollout_policy, tasks, o, none);
      tokens = at_limit = finished = steps[k] = 0;
      auto t0 = Clock::now();
      while (!r.exhausted()) {
        for (const auto& rec : r.step()) {
          tokens += rec.completion_tokens.size();
          ++finished;
          at_limit += rec.finish_reason == "overlong";
        }
        ++steps[k];
      }
      best[k] = std::min(best[k], std::chrono::duration<double>(Clock::now() - t0).count());
    }
  std::printf("model dim %zu, %zu layers; %zu samples, %zu tokens (%zu at L = %zu), best of %zu\n",
              dim, layers, finished, tokens, at_limit, max_tokens, rounds);
  if (server && server->batching())
    std::printf(
        "served over HTTP, %s rows (%zu per round%s): %zu rounds held %.1f real rows each\n",
        served.c_str(), active, served == "fixed" ? ", idle ones on fillers" : " at most",
        server->batching()->rounds(),
        static_cast<double>(server->batching()->rows_decoded()) /
            static_cast<double>(std::max<size_t>(1, server->batching()->rounds())));
  for (size_t k = 0; k < segment_counts.size(); ++k)
    std::printf("segments %zu: %.2f s over %zu steps: %.0f tokens/s (%.2fx 1 segment)\n",
                segment_counts[k], best[k], steps[k], static_cast<double>(tokens) / best[k],
                best[0] / best[k]);
  // Serial groups: m exits decode answers only.
  rollout::SerialOptions so;
  so.exits = exits;
  so.answer_tokens = 16;
  so.sampling.max_tokens = max_tokens;
  so.sampling.seed = 3;
  const rewards::Scorer& scorer = none;
  auto t0 = Clock::now();
  rollout::SerialGroup g = rollout::run_serial_group(native, tasks[0], "<think>", so, scorer);
  double group_s = std::chrono::duration<double>(Clock::now() - t0).count();
  t0 = Clock::now();
  policy::SamplingParams full = so.sampling;
  std::vector<std::string> prompts(exits, "<think>");
  auto paths = native.generate(prompts, full);
  double paths_s = std::chrono::duration<double>(Clock::now() - t0).count();
  size_t path_tokens = 0;
  for (const auto& p : paths) path_tokens += p.tokens.size();
  std::printf(
      "serial group, %zu exits: %zu answer tokens + %zu full-path tokens in %.3f s; %zu full "
      "paths: %zu tokens in %.3f s (%.2fx the time)\n",
      g.exit_positions.size(), g.exit_answer_tokens, g.full_path_tokens, group_s, exits,
      path_tokens, paths_s, paths_s / group_s);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return crucible::bench::bench_main(argc, argv, kSpec, run_bench);
}
