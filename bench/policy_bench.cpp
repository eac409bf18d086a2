// Native policy speed: generation tokens/s with the KV cache at batch 1 and batch 32, and
// training tokens/s (forward + backward + AdamW), for a ~0.3M and a ~1M parameter
// config on 2 threads; each against the naive kernels in the same run.
//
//   build/bin/policy_bench [--gen-tokens 200] [--train-steps 4]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "policy/model/sampler.hpp"
#include "policy/model/sft.hpp"

namespace {

using namespace crucible::policy;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

ModelConfig config(size_t dim, size_t layers, size_t heads, size_t mlp) {
  ModelConfig c;
  c.vocab = Tokenizer().vocab_size();
  c.dim = dim;
  c.layers = layers;
  c.heads = heads;
  c.mlp_dim = mlp;
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
  auto t = Clock::now();
  auto samples = sampler.generate_tokens(prompts, p);
  double s = seconds_since(t);
  size_t produced = 0;
  for (const auto& x : samples) produced += x.tokens.size();
  return static_cast<double>(produced) / s;
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

}  // namespace

int main(int argc, char** argv) {
  size_t gen_tokens = 200, train_steps = 4;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--gen-tokens")) gen_tokens = std::stoul(argv[i + 1]);
    if (!std::strcmp(argv[i], "--train-steps")) train_steps = std::stoul(argv[i + 1]);
  }
  set_blas_threads(2);
  struct Named {
    const char* name;
    ModelConfig c;
  };
  for (const Named& n :
       {Named{"~0.3M", config(64, 5, 4, 192)}, Named{"~1M", config(128, 5, 4, 352)}}) {
    Transformer<float> m(n.c);
    m.init(1);
    std::printf("%s config: %zu parameters (dim %zu, %zu layers, mlp %zu)\n", n.name,
                m.params.size(), n.c.dim, n.c.layers, n.c.mlp_dim);
    for (size_t batch : {size_t{1}, size_t{32}}) {
      m.set_backend(Backend::Naive);
      double naive = generation(m, batch, gen_tokens);
      m.set_backend(Backend::Blas);
      double blas = generation(m, batch, gen_tokens);
      std::printf("  generation, batch %2zu: %8.0f tokens/s (naive kernels %8.0f; %.2fx)\n", batch,
                  blas, naive, blas / naive);
    }
    m.set_backend(Backend::Naive);
    double naive = training(m, 1);
    m.set_backend(Backend::Blas);
    double blas = training(m, train_steps);
    std::printf(
        "  training (8 x 128 tokens, fwd+bwd+AdamW): %8.0f tokens/s (naive kernels %8.0f; %.2fx)\n",
        blas, naive, blas / naive);
  }
  return 0;
}
