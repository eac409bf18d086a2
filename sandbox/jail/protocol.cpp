#include "sandbox/jail/protocol.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "base/error.hpp"
#include "base/files.hpp"
#include "sandbox/jail/clock.hpp"

namespace crucible::sandbox::jail {
namespace {

// A header is parsed whole. Our own requests stay far below this: names, paths and arguments
// are bounded before they are sent (Sandbox: kMaxWorkFiles, kMaxArgsTotalBytes), and even
// 4,096 names of 255 control characters each, escaped six times over in JSON, fit.
constexpr uint64_t kMaxHeader = 16 << 20;

// Waits until `fd` is readable or the deadline passes (then throws).
void wait_readable(int fd, long long deadline_ns) {
  long long left = deadline_ns - monotonic_ns();
  if (left <= 0) throw SandboxFailure("jail protocol: timed out waiting for the jail");
  pollfd p{fd, POLLIN, 0};
  ::poll(&p, 1, static_cast<int>(std::min<long long>((left + 999'999) / 1'000'000, 1 << 30)));
}

void read_exact(int fd, char* buf, size_t n, long long deadline_ns) {
  while (n > 0) {
    ssize_t got = ::read(fd, buf, n);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && errno == EAGAIN && deadline_ns >= 0) {
      wait_readable(fd, deadline_ns);
      continue;
    }
    if (got < 0) throw SandboxFailure(errno_message("jail protocol: read failed", errno));
    if (got == 0) throw SandboxFailure("jail protocol: the jail helper closed the connection");
    buf += got;
    n -= static_cast<size_t>(got);
  }
}

// Names and errors of fetched files; their contents travel as blobs beside the header.
nlohmann::json fetched_to_json(const std::vector<FetchedFile>& files) {
  auto out = nlohmann::json::array();
  for (const auto& f : files) out.push_back({{"name", f.name}, {"error", f.error}});
  return out;
}

std::vector<FetchedFile> fetched_from_json(const nlohmann::json& j) {
  std::vector<FetchedFile> out;
  for (const auto& f : j)
    out.push_back({f.at("name").get<std::string>(), {}, f.at("error").get<std::string>()});
  return out;
}

// Requests and reports travel over sockets. A peer that has gone (a jail that refused a
// request) makes a plain write raise SIGPIPE, which kills a process that did not ignore it:
// the service, a library user. MSG_NOSIGNAL turns that into EPIPE, a failed write the caller
// reports. (Init's fetched files go up a pipe: plain writes there.)
bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == ENOTSOCK) return write_all(fd, data);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::vector<std::string> work_file_names(const JailSpec& s) {
  std::vector<std::string> names;
  for (const auto& file : s.work_files) names.push_back(file.first);
  return names;
}

}  // namespace

bool write_frame(int fd, nlohmann::json header, const std::vector<std::string_view>& blobs) {
  auto sizes = nlohmann::json::array();
  for (const auto& b : blobs) sizes.push_back(b.size());
  header["blobs"] = sizes;
  std::string text = header.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  uint64_t len = text.size();
  char prefix[8];
  std::memcpy(prefix, &len, 8);  // x86-64 and arm64 are little-endian, as the format says
  if (!send_all(fd, std::string_view(prefix, 8)) || !send_all(fd, text)) return false;
  for (const auto& b : blobs)
    if (!send_all(fd, b)) return false;
  return true;
}

Frame read_frame(int fd, uint64_t max_bytes, long long deadline_ns) {
  char prefix[8];
  read_exact(fd, prefix, 8, deadline_ns);
  uint64_t len;
  std::memcpy(&len, prefix, 8);
  if (len > kMaxHeader) throw SandboxFailure("jail protocol: header too large");
  std::string text(len, '\0');
  read_exact(fd, text.data(), len, deadline_ns);
  Frame frame;
  frame.header = nlohmann::json::parse(text, nullptr, false);
  if (frame.header.is_discarded() || !frame.header.contains("blobs"))
    throw SandboxFailure("jail protocol: malformed header");
  uint64_t total = 0;
  if (!frame.header["blobs"].is_array()) throw SandboxFailure("jail protocol: malformed header");
  for (const auto& size : frame.header["blobs"]) {
    if (!size.is_number_unsigned()) throw SandboxFailure("jail protocol: malformed header");
    uint64_t n = size.get<uint64_t>();
    total += n;
    if (total > max_bytes) throw SandboxFailure("jail protocol: frame larger than allowed");
    std::string blob(n, '\0');
    read_exact(fd, blob.data(), n, deadline_ns);
    frame.blobs.push_back(std::move(blob));
  }
  return frame;
}

// The inputs and the work files' contents travel as blobs, in that order, not in the header:
// a header is parsed whole and kept small (kMaxHeader), while a request may carry megabytes of
// files (a data set beside the program).
bool write_spec(int fd, const JailSpec& spec) {
  nlohmann::json header;
  spec_header_to_json(header, spec);
  header["inputs"] = spec.inputs.size();
  std::vector<std::string_view> blobs(spec.inputs.begin(), spec.inputs.end());
  for (const auto& file : spec.work_files) blobs.push_back(file.second);
  return write_frame(fd, std::move(header), blobs);
}

JailSpec read_spec(int fd) {
  Frame f = read_frame(fd, 1ull << 30);
  JailSpec spec;
  spec_header_from_json(f.header, spec);
  size_t inputs = f.header.value("inputs", size_t{0});
  if (inputs > f.blobs.size() || f.blobs.size() - inputs != spec.work_files.size())
    throw SandboxFailure("jail protocol: the spec's blobs do not match its inputs and files");
  for (size_t i = 0; i < spec.work_files.size(); ++i)
    spec.work_files[i].second = std::move(f.blobs[inputs + i]);
  f.blobs.resize(inputs);
  spec.inputs = std::move(f.blobs);
  return spec;
}

bool write_reports(int fd, const std::vector<JailReport>& reports) {
  nlohmann::json runs = nlohmann::json::array();
  std::vector<std::string_view> blobs;
  for (const auto& r : reports) {
    nlohmann::json h;
    report_header_to_json(h, r);
    runs.push_back(std::move(h));
    blobs.push_back(r.stdout_data);
    blobs.push_back(r.stderr_data);
    for (const auto& f : r.fetched) blobs.push_back(f.content);
  }
  return write_frame(fd, {{"runs", runs}}, blobs);
}

std::vector<JailReport> read_reports(int fd) {
  Frame f = read_frame(fd, 4ull << 30);
  if (!f.header.contains("runs") || !f.header["runs"].is_array())
    throw SandboxFailure("jail protocol: malformed reports");
  std::vector<JailReport> out(f.header["runs"].size());
  size_t blob = 0;
  auto next_blob = [&]() -> std::string {
    if (blob >= f.blobs.size()) throw SandboxFailure("jail protocol: malformed reports");
    return std::move(f.blobs[blob++]);
  };
  for (size_t i = 0; i < out.size(); ++i) {
    report_header_from_json(f.header["runs"][i], out[i]);
    out[i].stdout_data = next_blob();
    out[i].stderr_data = next_blob();
    for (auto& file : out[i].fetched) file.content = next_blob();
  }
  if (blob != f.blobs.size()) throw SandboxFailure("jail protocol: malformed reports");
  return out;
}

bool write_fetched(int fd, const std::vector<FetchedFile>& files) {
  nlohmann::json header = {{"fetched", fetched_to_json(files)}};
  std::vector<std::string_view> blobs;
  for (const auto& f : files) blobs.push_back(f.content);
  return write_frame(fd, std::move(header), blobs);
}

std::optional<std::vector<FetchedFile>> read_fetched(int fd, long long deadline_ns,
                                                     uint64_t max_bytes) {
  try {
    Frame f = read_frame(fd, max_bytes, deadline_ns);
    std::vector<FetchedFile> files = fetched_from_json(f.header.at("fetched"));
    if (files.size() != f.blobs.size()) return std::nullopt;
    for (size_t i = 0; i < files.size(); ++i) files[i].content = std::move(f.blobs[i]);
    return files;
  } catch (const std::exception&) {  // SandboxFailure, or a header of the wrong shape
    return std::nullopt;
  }
}

void spec_header_to_json(nlohmann::json& j, const JailSpec& s) {
  j = {{"argv", s.argv},
       {"env", s.env},
       {"box_dir", s.box_dir},
       {"box_writable", s.box_writable},
       {"extra_ro_paths", s.extra_ro_paths},
       {"data_dir", s.data_dir},
       {"work_files", work_file_names(s)},
       {"cwd", s.cwd},
       {"fetch_files", s.fetch_files},
       {"limits", s.limits}};
}

void spec_header_from_json(const nlohmann::json& j, JailSpec& s) {
  s.argv = j.at("argv").get<std::vector<std::string>>();
  s.env = j.at("env").get<std::vector<std::string>>();
  s.box_dir = j.at("box_dir").get<std::string>();
  s.box_writable = j.at("box_writable").get<bool>();
  s.extra_ro_paths = j.at("extra_ro_paths").get<std::vector<std::string>>();
  s.data_dir = j.at("data_dir").get<std::string>();
  s.work_files.clear();
  for (auto& name : j.at("work_files").get<std::vector<std::string>>())
    s.work_files.emplace_back(std::move(name), std::string());
  s.cwd = j.at("cwd").get<std::string>();
  s.fetch_files = j.at("fetch_files").get<std::vector<std::string>>();
  s.limits = j.at("limits").get<Limits>();
}

void report_header_to_json(nlohmann::json& j, const JailReport& r) {
  j = {{"setup_error", r.setup_error},
       {"exited", r.exited},
       {"exit_code", r.exit_code},
       {"term_signal", r.term_signal},
       {"cpu_seconds", r.cpu_seconds},
       {"wall_seconds", r.wall_seconds},
       {"peak_memory_bytes", r.peak_memory_bytes},
       {"oom_kills", r.oom_kills},
       {"cpu_exceeded", r.cpu_exceeded},
       {"wall_exceeded", r.wall_exceeded},
       {"stdout_exceeded", r.stdout_exceeded},
       {"stderr_exceeded", r.stderr_exceeded}};
  j["fetched"] = fetched_to_json(r.fetched);  // the contents travel as blobs
}

void report_header_from_json(const nlohmann::json& j, JailReport& r) {
  r.setup_error = j.at("setup_error").get<std::string>();
  r.exited = j.at("exited").get<bool>();
  r.exit_code = j.at("exit_code").get<int>();
  r.term_signal = j.at("term_signal").get<int>();
  r.cpu_seconds = j.at("cpu_seconds").get<double>();
  r.wall_seconds = j.at("wall_seconds").get<double>();
  r.peak_memory_bytes = j.at("peak_memory_bytes").get<uint64_t>();
  r.oom_kills = j.at("oom_kills").get<uint64_t>();
  r.cpu_exceeded = j.at("cpu_exceeded").get<bool>();
  r.wall_exceeded = j.at("wall_exceeded").get<bool>();
  r.stdout_exceeded = j.at("stdout_exceeded").get<bool>();
  r.stderr_exceeded = j.at("stderr_exceeded").get<bool>();
  r.fetched = fetched_from_json(j.at("fetched"));
}

}  // namespace crucible::sandbox::jail
