// The crucible executable's subcommands: one file each, each thin over the libraries.
// A command returns the process exit code; bad usage throws InvalidRequest.
#pragma once

#include <string>
#include <vector>

namespace crucible::cli {

using Args = std::vector<std::string>;

int run_command(const Args& args);           // crucible run
int doctor_command(const Args& args);        // crucible doctor
int demo_command(const Args& args);          // crucible demo
int judge_command(const Args& args);         // crucible judge
int serve_command(const Args& args);         // crucible serve
int tasks_command(const Args& args);         // crucible tasks
int verify_command(const Args& args);        // crucible verify
int sft_command(const Args& args);           // crucible sft
int sample_command(const Args& args);        // crucible sample
int serve_policy_command(const Args& args);  // crucible serve-policy
int label_command(const Args& args);         // crucible label
int train_command(const Args& args);         // crucible train
int report_command(const Args& args);        // crucible report
int critique_command(const Args& args);      // crucible critique
int refine_command(const Args& args);        // crucible refine

}  // namespace crucible::cli
