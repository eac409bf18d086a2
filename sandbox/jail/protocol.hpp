// Frames between the library and the jail helper over a stream socket:
//   [u64 little-endian header length][JSON header][blob 0][blob 1]...
// where header["blobs"] lists each blob's length. Blobs carry raw bytes (stdin, stdout,
// stderr), which need not be UTF-8 and so cannot travel inside JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sandbox/fetched_file.hpp"
#include "sandbox/jail/spec.hpp"

namespace crucible::sandbox::jail {

// The byte that carries a request's socket to the helper, and from it to a supervisor
// (send_fds): a request, or the client's last one, after which the helper prepares no
// further jail and the supervisor tears its jail down at normal priority (the client waits
// for that teardown when it ends).
inline constexpr char kRequestTag = 'r';
inline constexpr char kLastRequestTag = 'l';

// The helper's one argument: its client never has two requests out at once (JailClient's
// Requests::OneAtATime), so it serves each in its own process instead of forking a supervisor.
inline constexpr const char* kOneAtATimeFlag = "--one-at-a-time";

struct Frame {
  nlohmann::json header;
  std::vector<std::string> blobs;
};

// Writes one frame; returns false if the peer went away.
bool write_frame(int fd, nlohmann::json header, const std::vector<std::string_view>& blobs);
// Reads one frame; throws SandboxFailure on EOF, a short read or a size over `max_bytes`.
// With a deadline (CLOCK_MONOTONIC ns, >= 0) the descriptor may be non-blocking: the read waits
// for data until then and throws SandboxFailure after it.
Frame read_frame(int fd, uint64_t max_bytes, long long deadline_ns = -1);

bool write_spec(int fd, const JailSpec& spec);
JailSpec read_spec(int fd);
// One report per run, in input order.
bool write_reports(int fd, const std::vector<JailReport>& reports);
std::vector<JailReport> read_reports(int fd);
// A run's fetched files, from init to the supervisor: names and errors in the header, the
// contents as blobs. read_fetched gives nullopt on timeout, EOF or a malformed frame.
bool write_fetched(int fd, const std::vector<FetchedFile>& files);
std::optional<std::vector<FetchedFile>> read_fetched(int fd, long long deadline_ns,
                                                     uint64_t max_bytes);

}  // namespace crucible::sandbox::jail
