// The jail's file-system view: a tmpfs root holding read-only binds of what toolchains
// need (/usr, a few /etc entries), a fresh /proc, a minimal /dev, private tmpfs scratch places
// (/work, /tmp, /dev/shm, /mnt: scratch_table), and the run's box at /box. Nothing else of
// the host is visible.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/unique_fd.hpp"
#include "sandbox/jail/spec.hpp"

namespace crucible::sandbox::jail {

// One row of the base root: a host path and how it appears inside.
struct RootEntry {
  const char* path;
  bool optional;  // absent on some hosts
  const char* why;
};
const std::vector<RootEntry>& root_table();

// One writable place of a run: a fresh size-capped tmpfs, emptied between runs of a jail.
struct ScratchPlace {
  const char* path;
  const char* why;
};
const std::vector<ScratchPlace>& scratch_table();

// The scratch place a path lies in and its rest: a relative path is in /work; an absolute one
// must start with a scratch place and a slash. nullopt for an absolute path elsewhere. The rest
// is not checked (see valid_work_file_name).
std::optional<std::pair<std::string, std::string>> split_scratch_path(const std::string& path);

// A relative path with no empty, "." or ".." parts: safe to create under /work.
bool valid_work_file_name(const std::string& name);

// Supervisor side (the host's mount namespace, host root): a detached copy of the mount
// tree at `dir` (open_tree), nosuid and nodev, read-only unless `writable`, for init to
// attach. Made by the supervisor because init, already uid 0 of its own namespace, cannot
// pass a directory only the host's root may enter. Throws SandboxFailure.
unique_fd detach_tree(const std::string& dir, bool writable);

// Init side, ahead of any request: the spec-independent root (tmpfs, read-only binds of
// root_table, /etc files, /dev, /proc), pivoted into, the scratch places mounted empty at the
// default file-size limit, and the host's tree detached (the request brings what it needs as
// detached trees: detaching it cost the request path 0.1-4 ms, an RCU grace period). Throws
// SandboxFailure naming the mount that failed.
void build_base_root();

// A request's detached trees (detach_tree), in the order they travel to init.
struct RequestTrees {
  int box = -1;
  int data = -1;              // -1: none
  std::vector<int> extra_ro;  // one per spec.extra_ro_paths
};

// Init side, once the request is known: the scratch places resized to the request's
// file-size limit where it is not the default, the request's files, the box tree at /box, the
// data tree at /data and each extra read-only path's tree at its path; then / made read-only
// and the working directory entered.
void finish_root(const JailSpec& spec, const RequestTrees& trees);

// Between two runs of one jail: every scratch place fresh (/work with the request's files).
void reset_scratch(const JailSpec& spec);

}  // namespace crucible::sandbox::jail
