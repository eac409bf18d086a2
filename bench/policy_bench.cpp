// Native policy speed against the naive kernels and, when present, against peers at the same
// shapes: generation tokens/s with the KV cache at batch 1, 32 and 128 (a GRPO step samples
// groups), and training tokens/s (forward + backward + AdamW on 8 x 128 tokens), for a ~0.3M
// and a ~1M parameter config on 2 threads. Peers, each timed in the same rounds:
//  - llama2.c's run.c (batch 1): `--peers DIR` after `bash scripts/peers/llama2c.sh SRC DIR`;
//  - llm.c's CPU trainer (training): the same DIR after `bash scripts/peers/llmc.sh SRC DIR`
//    (GPT-2 blocks at the same width, depth and heads; its MLP is 4x wide, ours ~3x);
//  - PyTorch eager (scripts/peers/torch_policy.py), when python3 can import torch.
// Figures are medians of --rounds interleaved rounds; the naive kernels run once (reference).
// Each generation figure follows a two-token warm-up call of the same batch, as in a process
// that has sampled before.
//
//   build/bin/policy_bench [--gen-tokens 200] [--train-steps 4] [--rounds 3] [--peers DIR]
//                          [--shape 0.3M|1M] [--batch N] [--no-naive] [--no-torch]
// The last four narrow a run down for profiling; --train-steps 0 leaves training out.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "base/error.hpp"
#include "bench/bench_flags.hpp"
#include "policy/model/packed_matmul.hpp"
#include "policy/model/sampler.hpp"
#include "policy/model/sft.hpp"

namespace {

using namespace crucible::policy;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Shape {
  const char* name;
  size_t dim, layers, heads, mlp;
};

ModelConfig config(const Shape& s) {
  ModelConfig c;
  c.vocab = Tokenizer().vocab_size();
  c.dim = s.dim;
  c.layers = s.layers;
  c.heads = s.heads;
  c.mlp_dim = s.mlp;
  c.max_seq = 256;
  return c;
}

double generation(Transformer<float>& m, size_t batch, size_t tokens) {
  Tokenizer tok;
  Sampler sampler(m, tok);
  SamplingParams p;
  p.max_tokens = tokens;
  p.seed = 1;
  std::vector<std::vector<int>> prompts(batch, std::vector<int>{tok.bos()});
  // A warm-up call first, as a long-running process is: its caches' memory is then recycled.
  SamplingParams warm = p;
  warm.max_tokens = 2;
  sampler.generate_tokens(prompts, warm);
  auto t = Clock::now();
  auto samples = sampler.generate_tokens(prompts, p);
  double s = seconds_since(t);
  size_t produced = 0;
  for (const auto& x : samples) produced += x.tokens.size();
  return static_cast<double>(produced) / s;
}

// Arithmetic per generated token (a multiply and an add count as two) at the mean context of
// `tokens` tokens after a one-token prompt: the products and the attention's scores and sums.
double flops_per_token(const ModelConfig& c, size_t tokens) {
  const double d = static_cast<double>(c.dim), f = static_cast<double>(c.mlp_dim);
  const double context = static_cast<double>(tokens + 1) / 2;
  const double products = static_cast<double>(c.layers) * (4 * d * d + (c.swiglu ? 3 : 2) * d * f) +
                          d * static_cast<double>(c.vocab);
  return 2 * products + 2 * 2 * static_cast<double>(c.layers) * d * context;
}

// The packed product's own rate on one thread, GFLOP/s: 32 rows through the MLP's first
// matrix, as a batched step computes them, repeated for about 0.2 s. What generation could
// reach if it were products only.
double packed_product_rate(const ModelConfig& c) {
  const size_t rows = 32, in = c.dim, out = c.mlp_dim;
  std::vector<float> w(out * in, 0.01f), x(rows * in, 0.5f), y(rows * out);
  PackedMatrix packed = pack_matrix(w.data(), out, in);
  size_t calls = 0;
  auto t = Clock::now();
  while (seconds_since(t) < 0.2)
    for (int i = 0; i < 100; ++i, ++calls) packed_matmul(y.data(), x.data(), packed, rows);
  return 2.0 * static_cast<double>(rows * in * out * calls) / seconds_since(t) / 1e9;
}

double training(Transformer<float>& m, size_t steps) {
  Tokenizer tok;
  AdamW opt(m.params.size(), decay_mask(m), OptimizerConfig{});
  SftTrainer trainer(m, opt);
  std::vector<SftExample> batch(8);
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i].prompt = {tok.bos()};
    for (size_t k = 0; k < 127; ++k)
      batch[i].completion.push_back(static_cast<int>((i * 31 + k * 7) % 256));
  }
  trainer.step(batch);  // warm-up
  auto t = Clock::now();
  for (size_t s = 0; s < steps; ++s) trainer.step(batch);
  return static_cast<double>(steps * batch.size() * 127) / seconds_since(t);
}

std::string run_command(const std::string& command) {
  std::string out;
  if (FILE* p = popen(command.c_str(), "r")) {
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    pclose(p);
  }
  return out;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// llama2.c's own figure ("achieved tok/s", after the first token) for 200 forced prompt
// tokens, the better of 1 and 2 OpenMP threads; 0 when it did not run.
double llama2c(const fs::path& dir, const Shape& s) {
  fs::path run = dir / "llama2c_run", model = dir / (std::string("llama2c_") + s.name + ".bin");
  if (!fs::exists(run) || !fs::exists(model)) return 0;
  std::string prompt;
  for (int i = 0; i < 199; ++i) prompt += static_cast<char>('a' + i % 10);
  double best = 0;
  for (int threads : {1, 2}) {
    std::string out =
        run_command("OMP_NUM_THREADS=" + std::to_string(threads) + " '" + run.string() + "' '" +
                    model.string() + "' -z '" + (dir / "llama2c_tokenizer.bin").string() +
                    "' -n 201 -i " + prompt + " 2>&1 >/dev/null");
    auto at = out.find("achieved tok/s: ");
    if (at != std::string::npos) best = std::max(best, std::stod(out.substr(at + 16)));
  }
  return best;
}

// llm.c's CPU trainer (train_gpt2.c) at the shape: tokens per second of its own step timer
// (forward, backward, AdamW on 8 x 128 tokens), the median of its 8 timed steps, the better
// of 1 and 2 OpenMP threads; 0 when it did not run.
double llmc(const fs::path& dir, const Shape& s) {
  fs::path run = dir / "llmc_train", data = dir / (std::string("llmc_") + s.name);
  if (!fs::exists(run) || !fs::exists(data / "gpt2_124M.bin")) return 0;
  double best = 0;
  for (int threads : {1, 2}) {
    std::string out =
        run_command("cd '" + data.string() + "' && OMP_NUM_THREADS=" + std::to_string(threads) +
                    " '" + run.string() + "' 2>/dev/null");
    std::vector<double> ms;  // steps 1-8: step 0 warms up
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
      int step = -1;
      auto took = line.find("(took ");
      if (std::sscanf(line.c_str(), "step %d:", &step) == 1 && step >= 1 &&
          took != std::string::npos)
        ms.push_back(std::stod(line.substr(took + 6)));
    }
    if (!ms.empty()) best = std::max(best, 8 * 128 / (median(ms) / 1000));
  }
  return best;
}

// PyTorch's figures for the shape, keyed as the script prints them; empty without torch.
nlohmann::json torch_eager(const std::string& python, const fs::path& script, const Shape& s,
                           size_t gen_tokens, size_t train_steps) {
  if (!fs::exists(script)) return {};
  char args[256];
  std::snprintf(args, sizeof args,
                " --dim %zu --hidden %zu --layers %zu --heads %zu --vocab %zu --seq 256 "
                "--gen-tokens %zu --train-steps %zu 2>/dev/null",
                s.dim, s.mlp, s.layers, s.heads, Tokenizer().vocab_size(), gen_tokens, train_steps);
  std::string out = run_command(python + " '" + script.string() + "'" + args);
  auto j = nlohmann::json::parse(out, nullptr, false);
  return j.is_object() ? j : nlohmann::json{};
}

constexpr crucible::cli::FlagSpec kFlags[] = {
    {"gen-tokens", "N", "tokens generated per figure (default 200)"},
    {"train-steps", "N", "training steps per figure; 0 leaves training out (default 4)"},
    {"rounds", "N", "interleaved rounds (default 3)"},
    {"peers", "DIR", "where scripts/peers/*.sh built llama2.c and llm.c"},
    {"shape", "0.3M|1M", "only this shape"},
    {"batch", "N", "only this generation batch"},
    {"no-naive", "", "leave the naive kernels out"},
    {"no-torch", "", "leave PyTorch out"}};
constexpr crucible::cli::CommandSpec kSpec{
    "",
    {},
    "Native policy speed against its naive kernels and, when present, llama2.c, llm.c and "
    "PyTorch.",
    kFlags,
    "",
    "build/bin/policy_bench"};

int run_bench(const crucible::cli::Flags& flags) {
  size_t gen_tokens = flags.whole("gen-tokens", 1, 100'000).value_or(200);
  size_t train_steps = flags.whole("train-steps", 0, 100'000).value_or(4);
  size_t rounds = flags.whole("rounds", 1, 1'000).value_or(3);
  fs::path peers = flags.get("peers").value_or("");
  std::string only_shape = flags.get("shape").value_or("");
  size_t only_batch = flags.whole("batch", 1, 4096).value_or(0);
  bool with_naive = !flags.has("no-naive"), with_torch = !flags.has("no-torch");
  if (!only_shape.empty() && only_shape != "0.3M" && only_shape != "1M")
    throw crucible::InvalidRequest("--shape " + only_shape + ": known shapes are 0.3M and 1M");
  fs::path torch_script =
      fs::read_symlink("/proc/self/exe").parent_path() / "../../scripts/peers/torch_policy.py";
  // The first python3 that imports torch (Debian's python3-torch is for /usr/bin/python3).
  std::string python;
  for (const char* candidate : {"python3", "/usr/bin/python3"})
    if (with_torch && python.empty() &&
        run_command(std::string(candidate) + " -c 'import torch' 2>&1").empty())
      python = candidate;
  bool have_torch = !python.empty();
  set_policy_threads(2);
  std::printf("packed kernels: %s; BLAS: %s; peers: llama2.c %s, PyTorch %s\n",
              isa_name(default_isa()).c_str(), kernel_name(Backend::Blas).c_str(),
              peers.empty() ? "(no --peers)" : peers.c_str(),
              have_torch   ? "present"
              : with_torch ? "(python3 cannot import torch)"
                           : "(--no-torch)");
  std::vector<size_t> batches{1, 32, 128};
  if (only_batch) batches = {only_batch};
  for (const Shape& s : {Shape{"0.3M", 64, 5, 4, 192}, Shape{"1M", 128, 5, 4, 352}}) {
    if (!only_shape.empty() && only_shape != s.name) continue;
    Transformer<float> m(config(s));
    m.init(1);
    std::printf("\n~%s config: %zu parameters (dim %zu, %zu layers, mlp %zu), median of %zu\n",
                s.name, m.params.size(), s.dim, s.layers, s.mlp, rounds);
    std::map<std::string, std::vector<double>> got;
    for (size_t r = 0; r < rounds; ++r) {
      m.set_backend(Backend::Blas);
      for (size_t b : batches)
        got["gen" + std::to_string(b)].push_back(generation(m, b, gen_tokens));
      if (train_steps > 0) got["train"].push_back(training(m, train_steps));
      if (!peers.empty()) got["llama2c"].push_back(llama2c(peers, s));
      if (!peers.empty()) got["llmc"].push_back(llmc(peers, s));
      if (have_torch) {
        auto j = torch_eager(python, torch_script, s, gen_tokens, train_steps);
        for (auto& [key, value] : j.items())
          if (value.is_number()) got["torch_" + key].push_back(value.get<double>());
      }
    }
    m.set_backend(Backend::Naive);
    auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
    auto peer = [&](const std::string& key, double ours) {
      double v = median(got[key]);
      if (v <= 0) return std::string("            -");
      char buf[64];
      std::snprintf(buf, sizeof buf, "%8.0f (%.2fx)", v, ratio(ours, v));
      return std::string(buf);
    };
    std::printf("  %-22s %10s %18s %18s %18s\n", "tokens/s", "Crucible", "naive (x)",
                "llama2.c|llm.c (x)", "PyTorch (x)");
    double batch1 = median(got["gen1"]);
    for (size_t b : batches) {
      double ours = median(got["gen" + std::to_string(b)]);
      double naive = with_naive ? generation(m, b, b > 32 ? gen_tokens / 4 : gen_tokens) : 0;
      char label[64];
      std::snprintf(label, sizeof label, "generation, batch %zu", b);
      std::printf("  %-22s %10.0f %9.0f (%5.2fx) %18s %18s", label, ours, naive, ratio(ours, naive),
                  b == 1 ? peer("llama2c", ours).c_str() : "            -",
                  peer("torch_generation_" + std::to_string(b), ours).c_str());
      if (b > 1 && batch1 > 0) std::printf("   %.2fx batch 1", ratio(ours, batch1));
      std::printf("\n");
    }
    // How far generation is from the products' own speed: batch 1 runs on one thread, a
    // batch on both.
    const double rate = packed_product_rate(m.config()),
                 per_token = flops_per_token(m.config(), gen_tokens);
    std::printf("  packed product alone: %.0f GFLOP/s on a thread;", rate);
    for (size_t b : batches) {
      const double gflops = median(got["gen" + std::to_string(b)]) * per_token / 1e9;
      const double limit = rate * (b == 1 ? 1 : 2);
      std::printf(" batch %zu %.0f GFLOP/s (%.0f%%)%s", b, gflops, 100 * gflops / limit,
                  b == batches.back() ? "\n" : ",");
    }
    if (train_steps == 0) continue;
    double ours = median(got["train"]), naive = with_naive ? training(m, 1) : 0;
    std::printf("  %-22s %10.0f %9.0f (%5.2fx) %18s %18s\n", "training 8 x 128", ours, naive,
                ratio(ours, naive), peer("llmc", ours).c_str(),
                peer("torch_training", ours).c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return crucible::bench::bench_main(argc, argv, kSpec, run_bench);
}
