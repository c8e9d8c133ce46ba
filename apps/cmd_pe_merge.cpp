// graphtx pe-merge: join the parts of `graphtx pe --shard i/N` runs into one output file.
#include "apps/command.hpp"
#include "apps/pe_output.hpp"
#include "graph/errors.hpp"

#include <cstdio>
#include <memory>

namespace graphtx::cli {
namespace {

struct MergeArgs {
  std::string out;
  std::vector<std::string> parts;
  double max_pt_gib = 2.0;
};

const CommandRegistration registration{"pe-merge", [](CLI::App& app) {
  auto args = std::make_shared<MergeArgs>();
  CLI::App* cmd = app.add_subcommand("pe-merge", "Join the shards of 'graphtx pe --shard i/N' into one .pt or .npz file");
  cmd->add_option("--out", args->out, "Output file (.pt or .npz)")->required();
  cmd->add_option("parts", args->parts, "The OUT.parts directories the shards wrote (one, if they shared a file system)")->required();
  cmd->add_option("--max-pt-gib", args->max_pt_gib, "Refuse a .pt output (assembled in memory) above this size (GiB); .npz streams")
      ->default_val(2.0);
  cmd->footer("Refuses when the shards ran different jobs, or a chunk is missing or present twice.");
  cmd->callback([args] {
    const OutputFormat format = output_format(args->out);
    if (!(args->max_pt_gib > 0)) throw UsageError("--max-pt-gib must be positive");
    const auto max_pt_bytes = static_cast<std::uint64_t>(args->max_pt_gib * static_cast<double>(1ull << 30));
    merge_encoding_parts(args->parts, args->out, finish_writer(format, max_pt_bytes));
    std::printf("wrote %s\nload it in Python with:  %s\n", args->out.c_str(), python_load_hint(args->out, format).c_str());
  });
}};

}  // namespace
}  // namespace graphtx::cli
