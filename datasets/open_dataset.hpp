// open_dataset: one entry point for the CLI and the trainer to open a dataset by kind:
//   "ogbg-code2"        read_ogb_code2(root)
//   "tu"                read_tu(root, name)            (name required, e.g. MUTAG)
//   "sorting-networks"  make_sorting_network_dataset() with default options (root, name unused)
// UsageError naming the valid kinds otherwise; reader errors propagate as InputError.
#pragma once

#include "datasets/dataset.hpp"

#include <memory>
#include <string>
#include <vector>

namespace graphtx {

std::unique_ptr<Dataset> open_dataset(const std::string& kind, const std::string& root, const std::string& name = "");
const std::vector<std::string>& dataset_kinds();

}  // namespace graphtx
