// The jail's file-system view: a tmpfs root holding read-only binds of what toolchains
// need (/usr, a few /etc entries), a fresh /proc, a minimal /dev, private tmpfs scratch places
// (/work, /tmp, /dev/shm, /mnt: scratch_table), and the run's box at /box. Nothing else of
// the host is visible.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

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

// Opens the host box directory as an O_PATH descriptor. Called in the new mount namespace
// (a descriptor from the old one cannot be bound) while still host uid 0, so a box under
// a root-only directory is reachable. Throws SandboxFailure.
int open_box(const std::string& box_dir);

// Builds the new root under the staging directory. `box_fd` is an O_PATH descriptor of the
// host box directory, opened before the staging tmpfs could hide its path.
// Throws SandboxFailure naming the mount that failed.
// `data_fd` (or -1) is the same for spec.data_dir, bound read-only at /data.
void build_root(const JailSpec& spec, int box_fd, int data_fd);

// pivot_root into the staging root, detach the host tree, make / read-only, chdir(cwd).
void enter_root(const std::string& cwd);

// Between two runs of one jail: every scratch place fresh (/work with the request's files).
void reset_scratch(const JailSpec& spec);

}  // namespace crucible::sandbox::jail
