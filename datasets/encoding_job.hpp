// run_encoding_job: encodings for a whole dataset, in chunks of graphs, in bounded memory.
// Each chunk is computed in parallel (one oneTBB task per graph), written atomically to
// OUT.parts/chunk-NNNNNN.npz, and finally merged into OUT by `finish` (the .npz merge streams;
// a .pt is built in memory by the caller's writer). Crash-safe and resumable: OUT only appears
// by rename once complete; `resume` reuses finished chunks, and the result is bitwise identical
// to an uninterrupted run. Shard i of N computes chunks c with c mod N == i and leaves its parts
// for merge_encoding_parts (graphtx pe-merge). Memory: O(chunk_graphs) graphs and results.
#pragma once

#include "datasets/dataset.hpp"
#include "pe/batch_encoder.hpp"

#include <functional>
#include <string>
#include <vector>

namespace graphtx {

struct EncodingJobProgress {
  Index graphs_done = 0;  // graphs read (computed or reused) so far
  Index graphs_total = 0;
  Index nodes_done = 0;
};

struct EncodingJobStats {
  Index graphs = 0, nodes = 0;
  Index chunks_computed = 0, chunks_reused = 0;
  double seconds = 0;
  Index dense_solves = 0, sparse_solves = 0, tree_solves = 0, dense_fallbacks = 0;
  double max_residual = 0;
};

// Writes OUT from the complete, ordered list of chunk files (e.g. merged .npz or .pt).
using FinishWriter = std::function<void(const std::vector<std::string>& chunk_files, const std::string& out)>;

struct EncodingJobOptions {
  std::vector<EncodingSpec> specs;
  std::string out;                    // final file; parts go to OUT.parts/
  Index chunk_graphs = 500;
  int threads = 0;                    // 0 = all cores
  EncodingLimits limits;
  bool resume = false;                // reuse finished chunks of an interrupted run
  Index shard_index = 0, shard_count = 1;
  std::string description;            // dataset and transforms, recorded in the parts manifest
  std::function<Graph(const GraphExample&)> transform;  // graph to encode (default: as given)
  std::function<void(const EncodingJobProgress&)> on_progress;
  FinishWriter finish;                // default: streamed .npz
};

EncodingJobStats run_encoding_job(const Dataset& data, const EncodingJobOptions& options);

// The streamed .npz FinishWriter.
void write_merged_npz(const std::vector<std::string>& chunk_files, const std::string& out);

// Joins the parts directories of all shards of one job into OUT. Refuses (InputError) when their
// manifests differ, or a chunk is missing or present twice.
void merge_encoding_parts(const std::vector<std::string>& parts_dirs, const std::string& out, const FinishWriter& finish);

// "OUT.parts": where a job for OUT keeps its chunks.
std::string parts_directory(const std::string& out);

}  // namespace graphtx
