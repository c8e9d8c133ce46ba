// graphtx pe-merge: join the parts of `graphtx pe --shard i/N` runs into one output file.
#include "apps/command.hpp"
#include "apps/pe_output.hpp"

#include <cstdio>
#include <memory>

namespace graphtx::cli {
namespace {

struct MergeArgs {
  std::string out;
  std::vector<std::string> parts;
};

const CommandRegistration registration{"pe-merge", [](CLI::App& app) {
  auto args = std::make_shared<MergeArgs>();
  CLI::App* cmd = app.add_subcommand("pe-merge", "Join the shards of 'graphtx pe --shard i/N' into one .pt or .npz file");
  cmd->add_option("--out", args->out, "Output file (.pt or .npz)")->required();
  cmd->add_option("parts", args->parts, "The OUT.parts directories the shards wrote (one, if they shared a file system)")->required();
  cmd->footer("Refuses when the shards ran different jobs, or a chunk is missing or present twice.");
  cmd->callback([args] {
    const OutputFormat format = output_format(args->out);
    merge_encoding_parts(args->parts, args->out, finish_writer(format));
    std::printf("wrote %s\nload it in Python with:  %s\n", args->out.c_str(), python_load_hint(args->out, format).c_str());
  });
}};

}  // namespace
}  // namespace graphtx::cli
