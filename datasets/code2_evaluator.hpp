// ogbg-code2 F1 evaluator (OGB's Evaluator('ogbg-code2')): per graph, L = set of reference
// subtokens and P = set of predicted ones; precision = |L∩P| / |P| (0 if P is empty),
// recall = |L∩P| / |L| (0 if L is empty), F1 = 2 p r / (p + r) (0 if p + r = 0). The reported
// scores are the means over graphs. Cost O(total tokens · log). UsageError for mismatched or
// empty inputs (a mean over no graphs is undefined).
#pragma once

#include <string>
#include <vector>

namespace graphtx {

struct F1Scores {
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
};

// Scores of one graph.
F1Scores subtoken_f1(const std::vector<std::string>& reference, const std::vector<std::string>& prediction);

// Means over graphs; references[i] and predictions[i] belong to graph i.
F1Scores evaluate_code2_f1(const std::vector<std::vector<std::string>>& references,
                           const std::vector<std::vector<std::string>>& predictions);

}  // namespace graphtx
