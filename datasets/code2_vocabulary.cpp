#include "datasets/code2_vocabulary.hpp"

#include "graph/errors.hpp"

#include <algorithm>
#include <utility>

namespace graphtx {

Code2Vocabulary::Code2Vocabulary(const std::vector<std::vector<std::string>>& train_sequences,
                                 std::int64_t num_words, std::int64_t max_seq_len)
    : max_seq_len_(max_seq_len) {
  if (num_words < 0) throw UsageError("Code2Vocabulary: negative vocabulary size " + std::to_string(num_words));
  if (max_seq_len <= 0) throw UsageError("Code2Vocabulary: max_seq_len must be positive");
  std::unordered_map<std::string, std::int64_t> counts;
  for (const auto& sequence : train_sequences)
    for (const auto& word : sequence) ++counts[word];
  std::vector<std::pair<std::int64_t, std::string>> ranked;
  ranked.reserve(counts.size());
  for (auto& [word, count] : counts) ranked.emplace_back(count, word);
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a > b; });
  const auto kept = std::min<std::size_t>(ranked.size(), static_cast<std::size_t>(num_words));
  for (std::size_t i = 0; i < kept; ++i) words_.push_back(std::move(ranked[i].second));
  for (const char* special : {kUnknown, kEndOfSequence}) {
    if (std::find(words_.begin(), words_.end(), special) != words_.end())
      throw InputError(std::string("Code2Vocabulary: training labels contain the reserved word ") + special);
    words_.emplace_back(special);
  }
  unknown_ = size() - 2;
  eos_ = size() - 1;
  for (std::int64_t i = 0; i < size(); ++i) ids_.emplace(words_[static_cast<std::size_t>(i)], i);
}

std::int64_t Code2Vocabulary::id(const std::string& word) const {
  const auto it = ids_.find(word);
  return it == ids_.end() ? unknown_ : it->second;
}

const std::string& Code2Vocabulary::word(std::int64_t id) const {
  if (id < 0 || id >= size())
    throw UsageError("Code2Vocabulary: id " + std::to_string(id) + " outside [0, " + std::to_string(size()) + ")");
  return words_[static_cast<std::size_t>(id)];
}

std::vector<std::int64_t> Code2Vocabulary::encode(const std::vector<std::string>& sequence) const {
  std::vector<std::int64_t> ids(static_cast<std::size_t>(max_seq_len_), eos_);
  const auto n = std::min<std::size_t>(sequence.size(), ids.size());
  for (std::size_t i = 0; i < n; ++i) ids[i] = id(sequence[i]);
  return ids;
}

std::vector<std::string> Code2Vocabulary::decode(const std::vector<std::int64_t>& ids) const {
  std::vector<std::string> words;
  for (std::int64_t i : ids) {
    if (i == eos_) break;
    words.push_back(word(i));
  }
  return words;
}

}  // namespace graphtx
