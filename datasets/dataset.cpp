#include "datasets/dataset.hpp"

#include "graph/errors.hpp"

#include <algorithm>
#include <utility>

namespace graphtx {

void Dataset::for_each_chunk(Index chunk, const std::function<void(Index, std::vector<GraphExample>&)>& fn) const {
  if (chunk <= 0) throw UsageError("for_each_chunk: chunk size must be positive");
  std::vector<GraphExample> batch;
  for (Index first = 0; first < size(); first += chunk) {
    batch.clear();
    const Index last = std::min(size(), first + chunk);
    for (Index i = first; i < last; ++i) batch.push_back(get(i));
    fn(first, batch);
  }
}

const std::vector<Index>& Dataset::split(const std::string& name) const {
  const auto& all = splits();
  auto it = all.find(name);
  if (it == all.end()) {
    std::string names;
    for (const auto& [key, ids] : all) names += (names.empty() ? "" : ", ") + key;
    throw UsageError("dataset '" + this->name() + "' has no split '" + name + "'" +
                     (names.empty() ? " (it has no splits)" : " (available: " + names + ")"));
  }
  return it->second;
}

InMemoryDataset::InMemoryDataset(std::string name, std::vector<GraphExample> examples,
                                 std::map<std::string, std::vector<Index>> splits)
    : name_(std::move(name)), examples_(std::move(examples)), splits_(std::move(splits)) {
  for (const auto& [key, ids] : splits_)
    for (Index i : ids)
      if (i < 0 || i >= size())
        throw InputError("dataset '" + name_ + "': split '" + key + "' has index " + std::to_string(i) +
                         " outside [0, " + std::to_string(size()) + ")");
}

GraphExample InMemoryDataset::get(Index i) const {
  if (i < 0 || i >= size())
    throw UsageError("dataset '" + name_ + "': index " + std::to_string(i) + " outside [0, " +
                     std::to_string(size()) + ")");
  return examples_[static_cast<size_t>(i)];
}

InMemoryDataset to_in_memory(const Dataset& dataset, Index chunk) {
  std::vector<GraphExample> examples;
  examples.reserve(static_cast<size_t>(dataset.size()));
  dataset.for_each_chunk(chunk, [&](Index, std::vector<GraphExample>& batch) {
    for (auto& e : batch) examples.push_back(std::move(e));
  });
  return InMemoryDataset(dataset.name(), std::move(examples), dataset.splits());
}

}  // namespace graphtx
