#include "datasets/open_dataset.hpp"

#include "datasets/code2_reader.hpp"
#include "datasets/sorting_networks.hpp"
#include "datasets/tu_reader.hpp"
#include "graph/errors.hpp"

namespace graphtx {

const std::vector<std::string>& dataset_kinds() {
  static const std::vector<std::string> kinds{"ogbg-code2", "tu", "sorting-networks"};
  return kinds;
}

std::unique_ptr<Dataset> open_dataset(const std::string& kind, const std::string& root, const std::string& name) {
  if (kind == "ogbg-code2") return std::make_unique<Code2Dataset>(root);
  if (kind == "tu") {
    if (name.empty()) throw UsageError("dataset kind 'tu' needs a dataset name (e.g. MUTAG)");
    return std::make_unique<InMemoryDataset>(read_tu(root, name));
  }
  if (kind == "sorting-networks") return std::make_unique<InMemoryDataset>(make_sorting_network_dataset());
  throw UsageError("unknown dataset kind '" + kind + "' (valid: ogbg-code2, tu, sorting-networks)");
}

}  // namespace graphtx
