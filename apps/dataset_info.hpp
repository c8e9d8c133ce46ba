// `graphtx info --dataset KIND`: dataset statistics (graphs; node and edge counts with total,
// mean, median, max; label statistics; split sizes) as a table or one JSON object with at least
// graphs, nodes, edges (totals) and splits (name -> size). Streams the dataset once.
#pragma once

#include "datasets/open_dataset.hpp"

namespace graphtx::cli {

void print_dataset_info(const DatasetSource& source, bool json);

}  // namespace graphtx::cli
