#include "policy/model/checkpoint.hpp"

#include <bit>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "base/error.hpp"
#include "base/files.hpp"

namespace crucible::policy {

namespace fs = std::filesystem;
using nlohmann::json;

static_assert(std::endian::native == std::endian::little, "safetensors data is little-endian");

void write_safetensors(const std::string& path, const SafetensorsFile& file) {
  json header = json::object();
  size_t offset = 0;
  for (const auto& [name, t] : file.tensors) {
    size_t bytes = t.data.size() * sizeof(float);
    header[name] = {
        {"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  if (!file.metadata.empty()) header["__metadata__"] = file.metadata;
  std::string h = header.dump();
  while (h.size() % 8) h += ' ';
  std::string out(8, '\0');
  uint64_t n = h.size();
  std::memcpy(out.data(), &n, 8);
  out += h;
  out.reserve(out.size() + offset);
  for (const auto& [name, t] : file.tensors)
    out.append(reinterpret_cast<const char*>(t.data.data()), t.data.size() * sizeof(float));
  replace_file(path, out);  // a crash never leaves a half-written checkpoint
}

SafetensorsFile read_safetensors(const std::string& path) {
  std::string bytes;
  try {
    bytes = read_file(path);
  } catch (const std::exception&) {
    throw InvalidRequest("checkpoint: cannot read " + path);
  }
  auto bad = [&](const std::string& what) {
    return InvalidRequest("checkpoint " + path + ": " + what);
  };
  if (bytes.size() < 8) throw bad("shorter than the 8-byte header length");
  uint64_t n;
  std::memcpy(&n, bytes.data(), 8);
  if (n > bytes.size() - 8 || n > (100u << 20))
    throw bad("header length " + std::to_string(n) + " exceeds the file");
  json header =
      json::parse(bytes.begin() + 8, bytes.begin() + 8 + static_cast<long>(n), nullptr, false);
  if (header.is_discarded() || !header.is_object()) throw bad("header is not a JSON object");
  const size_t data_start = 8 + n, data_size = bytes.size() - data_start;
  SafetensorsFile file;
  for (const auto& [name, info] : header.items()) {
    if (name == "__metadata__") {
      if (!info.is_object()) throw bad("__metadata__ must be an object of strings");
      for (const auto& [k, v] : info.items()) {
        if (!v.is_string()) throw bad("__metadata__." + k + " must be a string");
        file.metadata[k] = v.get<std::string>();
      }
      continue;
    }
    if (!info.is_object() || info.value("dtype", "") != "F32")
      throw bad("tensor " + name + ": only dtype F32 is supported");
    const json& shape = info.value("shape", json());
    const json& offsets = info.value("data_offsets", json());
    if (!shape.is_array() || !offsets.is_array() || offsets.size() != 2 ||
        !offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned())
      throw bad("tensor " + name + ": needs shape and data_offsets [begin, end]");
    SafetensorsFile::Tensor t;
    size_t count = 1;
    for (const auto& d : shape) {
      if (!d.is_number_unsigned())
        throw bad("tensor " + name + ": shape must hold non-negative integers");
      t.shape.push_back(d.get<size_t>());
      count *= t.shape.back();
    }
    size_t begin = offsets[0].get<size_t>(), end = offsets[1].get<size_t>();
    if (begin > end || end > data_size)
      throw bad("tensor " + name + ": data_offsets outside the data");
    if (end - begin != count * sizeof(float))
      throw bad("tensor " + name + ": data size does not match its shape");
    t.data.resize(count);
    std::memcpy(t.data.data(), bytes.data() + data_start + begin, end - begin);
    file.tensors.push_back({name, std::move(t)});
  }
  return file;
}

namespace {

SafetensorsFile::Tensor slice(const std::vector<float>& buffer, const ParamLayout::Tensor& t) {
  SafetensorsFile::Tensor out;
  out.shape = t.cols == 1 ? std::vector<size_t>{t.rows} : std::vector<size_t>{t.rows, t.cols};
  out.data.assign(buffer.begin() + static_cast<long>(t.offset),
                  buffer.begin() + static_cast<long>(t.offset + t.rows * t.cols));
  return out;
}

// Copies every expected tensor (by name and shape) into `buffer`.
void gather(const SafetensorsFile& file, const std::vector<ParamLayout::Tensor>& tensors,
            const std::string& prefix, std::vector<float>& buffer, const std::string& path) {
  std::map<std::string, const SafetensorsFile::Tensor*> by_name;
  for (const auto& [name, t] : file.tensors) by_name[name] = &t;
  for (const auto& t : tensors) {
    auto it = by_name.find(prefix + t.name);
    if (it == by_name.end())
      throw InvalidRequest("checkpoint " + path + ": tensor " + prefix + t.name + " is missing");
    if (it->second->data.size() != t.rows * t.cols)
      throw InvalidRequest("checkpoint " + path + ": tensor " + prefix + t.name +
                           " has the wrong shape for the config");
    std::copy(it->second->data.begin(), it->second->data.end(),
              buffer.begin() + static_cast<long>(t.offset));
  }
}

json optimizer_json(const OptimizerConfig& c) {
  return {{"lr", c.lr},
          {"min_lr_ratio", c.min_lr_ratio},
          {"warmup", c.warmup},
          {"total", c.total},
          {"beta1", c.beta1},
          {"beta2", c.beta2},
          {"eps", c.eps},
          {"weight_decay", c.weight_decay},
          {"clip_norm", c.clip_norm}};
}

json parse_metadata(const SafetensorsFile& file, const std::string& key, const std::string& path) {
  auto it = file.metadata.find(key);
  if (it == file.metadata.end())
    throw InvalidRequest("checkpoint " + path + ": __metadata__." + key + " is missing");
  json j = json::parse(it->second, nullptr, false);
  if (j.is_discarded())
    throw InvalidRequest("checkpoint " + path + ": __metadata__." + key + " is not JSON");
  return j;
}

}  // namespace

void save_checkpoint(const std::string& dir, const Transformer<float>& model,
                     const Tokenizer& tokenizer, const AdamW* optimizer,
                     const json& trainer_state) {
  fs::create_directories(dir);
  auto tensors = model.layout().tensors(model.config());
  SafetensorsFile weights;
  for (const auto& t : tensors) weights.tensors.push_back({t.name, slice(model.params, t)});
  weights.metadata = {{"format", "crucible"},
                      {"config", json(model.config()).dump()},
                      {"tokenizer", json(tokenizer).dump()}};
  write_safetensors(dir + "/model.safetensors", weights);
  write_file(dir + "/config.json", json(model.config()).dump(2) + "\n");
  write_file(dir + "/tokenizer.json", json(tokenizer).dump(2) + "\n");
  if (!optimizer) return;
  SafetensorsFile state;
  auto& opt = const_cast<AdamW&>(*optimizer);
  for (const auto& t : tensors) state.tensors.push_back({"m." + t.name, slice(opt.m(), t)});
  for (const auto& t : tensors) state.tensors.push_back({"v." + t.name, slice(opt.v(), t)});
  state.metadata = {{"steps", std::to_string(optimizer->steps())},
                    {"optimizer", optimizer_json(optimizer->config()).dump()},
                    {"trainer", trainer_state.dump()}};
  write_safetensors(dir + "/optimizer.safetensors", state);
}

Checkpoint load_checkpoint(const std::string& dir) {
  std::string path = dir + "/model.safetensors";
  if (!fs::exists(path)) throw InvalidRequest("checkpoint: " + path + " does not exist");
  SafetensorsFile weights = read_safetensors(path);
  Checkpoint c;
  c.config = ModelConfig::from_json(parse_metadata(weights, "config", path));
  c.tokenizer = Tokenizer::from_json(parse_metadata(weights, "tokenizer", path));
  if (c.config.vocab != c.tokenizer.vocab_size())
    throw InvalidRequest("checkpoint " + path + ": config vocab does not match the tokenizer");
  ParamLayout layout(c.config);
  c.params.assign(layout.total, 0.f);
  auto tensors = layout.tensors(c.config);
  gather(weights, tensors, "", c.params, path);
  std::string opt_path = dir + "/optimizer.safetensors";
  if (fs::exists(opt_path)) {
    SafetensorsFile state = read_safetensors(opt_path);
    c.optimizer_config = OptimizerConfig::from_json(parse_metadata(state, "optimizer", opt_path));
    c.trainer_state = parse_metadata(state, "trainer", opt_path);
    try {
      c.optimizer_steps = std::stoul(state.metadata.at("steps"));
    } catch (const std::exception&) {
      throw InvalidRequest("checkpoint " + opt_path + ": __metadata__.steps must be a number");
    }
    c.adam_m.assign(layout.total, 0.f);
    c.adam_v.assign(layout.total, 0.f);
    gather(state, tensors, "m.", c.adam_m, opt_path);
    gather(state, tensors, "v.", c.adam_v, opt_path);
  }
  return c;
}

}  // namespace crucible::policy
