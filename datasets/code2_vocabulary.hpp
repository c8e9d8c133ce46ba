// Code2Vocabulary: the ogbg-code2 target vocabulary of OGB's example (get_vocab_mapping):
// the `num_words` (5,000) most frequent subtokens over the TRAIN label sequences (each occurrence
// counts), then `__UNK__` (index num_words) and `__EOS__` (num_words + 1). Ties are broken as OGB
// does (sorted((count, word), reverse=True)): higher count first, then the byte-wise greater word.
// encode(): truncate to max_seq_len (5) or pad with __EOS__, unknown words -> __UNK__.
// decode(): cut at the first __EOS__, ids -> words. Build O(tokens log), encode/decode O(len).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace graphtx {

class Code2Vocabulary {
 public:
  static constexpr const char* kUnknown = "__UNK__";
  static constexpr const char* kEndOfSequence = "__EOS__";

  explicit Code2Vocabulary(const std::vector<std::vector<std::string>>& train_sequences,
                           std::int64_t num_words = 5000, std::int64_t max_seq_len = 5);

  std::int64_t size() const { return static_cast<std::int64_t>(words_.size()); }  // num_words + 2 at most
  std::int64_t unknown_id() const { return unknown_; }
  std::int64_t eos_id() const { return eos_; }
  std::int64_t max_seq_len() const { return max_seq_len_; }
  const std::vector<std::string>& words() const { return words_; }
  std::int64_t id(const std::string& word) const;   // __UNK__'s id when absent
  const std::string& word(std::int64_t id) const;   // UsageError outside [0, size())

  std::vector<std::int64_t> encode(const std::vector<std::string>& sequence) const;  // [max_seq_len]
  std::vector<std::string> decode(const std::vector<std::int64_t>& ids) const;

 private:
  std::vector<std::string> words_;
  std::unordered_map<std::string, std::int64_t> ids_;
  std::int64_t unknown_ = 0, eos_ = 0, max_seq_len_ = 0;
};

}  // namespace graphtx
