#include "datasets/code2_evaluator.hpp"

#include "graph/errors.hpp"

#include <set>

namespace graphtx {

F1Scores subtoken_f1(const std::vector<std::string>& reference, const std::vector<std::string>& prediction) {
  const std::set<std::string> label(reference.begin(), reference.end());
  const std::set<std::string> predicted(prediction.begin(), prediction.end());
  std::size_t common = 0;
  for (const auto& word : predicted) common += label.count(word);
  F1Scores s;
  s.precision = predicted.empty() ? 0.0 : static_cast<double>(common) / static_cast<double>(predicted.size());
  s.recall = label.empty() ? 0.0 : static_cast<double>(common) / static_cast<double>(label.size());
  s.f1 = s.precision + s.recall > 0.0 ? 2.0 * s.precision * s.recall / (s.precision + s.recall) : 0.0;
  return s;
}

F1Scores evaluate_code2_f1(const std::vector<std::vector<std::string>>& references,
                           const std::vector<std::vector<std::string>>& predictions) {
  if (references.size() != predictions.size())
    throw UsageError("evaluate_code2_f1: " + std::to_string(references.size()) + " references but " +
                     std::to_string(predictions.size()) + " predictions");
  if (references.empty()) throw UsageError("evaluate_code2_f1: no graphs to evaluate");
  F1Scores mean;
  for (std::size_t i = 0; i < references.size(); ++i) {
    const F1Scores s = subtoken_f1(references[i], predictions[i]);
    mean.precision += s.precision;
    mean.recall += s.recall;
    mean.f1 += s.f1;
  }
  const auto n = static_cast<double>(references.size());
  mean.precision /= n;
  mean.recall /= n;
  mean.f1 /= n;
  return mean;
}

}  // namespace graphtx
