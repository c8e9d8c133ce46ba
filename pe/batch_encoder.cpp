#include "pe/batch_encoder.hpp"

#include "graph/errors.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <exception>
#include <memory>
#include <set>
#include <string>

namespace graphtx {

namespace {

// The failure of one graph, kept until all tasks end so the lowest index can be reported.
struct Failure {
  enum class Kind { Input, Usage, Numerical, Other } kind = Kind::Other;
  std::string message;
};

Failure describe(const std::string& prefix) {
  try {
    throw;
  } catch (const InputError& e) {
    return {Failure::Kind::Input, prefix + e.what()};
  } catch (const UsageError& e) {
    return {Failure::Kind::Usage, prefix + e.what()};
  } catch (const NumericalError& e) {
    return {Failure::Kind::Numerical, prefix + e.what()};
  } catch (const std::exception& e) {
    return {Failure::Kind::Other, prefix + e.what()};
  }
}

[[noreturn]] void rethrow(const Failure& f) {
  switch (f.kind) {
    case Failure::Kind::Input: throw InputError(f.message);
    case Failure::Kind::Usage: throw UsageError(f.message);
    case Failure::Kind::Numerical: throw NumericalError(f.message);
    case Failure::Kind::Other: break;
  }
  throw Error(f.message);
}

}  // namespace

std::vector<std::vector<EncodingResult>> encode_graphs(const std::vector<Graph>& graphs,
                                                      const std::vector<EncodingSpec>& specs,
                                                      const BatchEncodeOptions& options) {
  if (options.threads < 0) throw UsageError("encode_graphs: threads must be >= 0");
  std::set<std::string> labels;
  std::vector<std::unique_ptr<Encoding>> encodings;
  for (const EncodingSpec& spec : specs) {
    if (!labels.insert(spec.label).second) throw UsageError("encoding label '" + spec.label + "' is used twice");
    encodings.push_back(make_encoding(spec, options.limits));
  }
  const Index count = static_cast<Index>(graphs.size());
  std::vector<std::vector<EncodingResult>> results(graphs.size());
  std::vector<std::unique_ptr<Failure>> failures(graphs.size());
  auto run = [&] {
    tbb::parallel_for(tbb::blocked_range<Index>(0, count, 1), [&](const tbb::blocked_range<Index>& r) {
      for (Index g = r.begin(); g != r.end(); ++g) {
        std::vector<EncodingResult>& out = results[g];
        out.reserve(encodings.size());
        for (const auto& encoding : encodings) {
          try {
            out.push_back(encoding->compute(graphs[g]));
          } catch (...) {
            failures[g] = std::make_unique<Failure>(
                describe("graph " + std::to_string(g) + ", encoding " + encoding->label() + ": "));
            break;
          }
        }
      }
    });
  };
  if (options.threads > 0) {
    tbb::task_arena arena(options.threads);
    arena.execute(run);
  } else {
    run();
  }
  for (const auto& failure : failures)
    if (failure) rethrow(*failure);
  return results;
}

}  // namespace graphtx
