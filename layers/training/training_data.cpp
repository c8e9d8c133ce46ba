#include "layers/training/training_data.hpp"

#include "datasets/code2_augment.hpp"
#include "datasets/code2_reader.hpp"
#include "datasets/encoding_job.hpp"
#include "datasets/npz_file.hpp"
#include "datasets/open_dataset.hpp"
#include "datasets/sorting_networks.hpp"
#include "graph/errors.hpp"
#include "graph/graph_batch.hpp"
#include "layers/tensor_file.hpp"
#include "pe/encoding_spec.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>

namespace graphtx {

namespace {

namespace fs = std::filesystem;

torch::Tensor int_tensor(const std::vector<int64_t>& v) {
  return torch::tensor(v, torch::kInt64);
}

// Integer columns as ids, real columns as given: [rows, ints + reals] float32.
torch::Tensor feature_rows(const Features& f, Index rows) {
  torch::Tensor out = torch::zeros({rows, static_cast<int64_t>(f.ints.cols() + f.reals.cols())});
  auto a = out.accessor<float, 2>();
  for (Index r = 0; r < rows; ++r) {
    for (Index c = 0; c < f.ints.cols(); ++c) a[r][c] = static_cast<float>(f.ints(r, c));
    for (Index c = 0; c < f.reals.cols(); ++c) a[r][f.ints.cols() + c] = static_cast<float>(f.reals(r, c));
  }
  return out;
}

// Category counts of the integer columns over all graphs (max id + 1).
std::vector<int64_t> vocabulary_sizes(const std::vector<const Features*>& features) {
  std::vector<int64_t> sizes;
  for (const Features* f : features) {
    if (sizes.empty()) sizes.assign(static_cast<size_t>(f->ints.cols()), 1);
    for (Index c = 0; c < f->ints.cols() && c < static_cast<Index>(sizes.size()); ++c) {
      if (f->ints.rows() > 0) sizes[c] = std::max<int64_t>(sizes[c], f->ints.col(c).maxCoeff() + 1);
    }
  }
  return sizes;
}

std::unique_ptr<Dataset> open_source(const TrainOptions& o) {
  if (o.dataset == "sorting-networks") {
    SortingNetworkOptions s;
    s.seed = o.seed;
    const auto [a, b] = parse_wire_range(o.sn_train_wires, "--sn-train-wires");
    const auto [c, d] = parse_wire_range(o.sn_valid_wires, "--sn-valid-wires");
    const auto [e, f] = parse_wire_range(o.sn_test_wires, "--sn-test-wires");
    s.train = {a, b, o.sn_train_networks};
    s.valid = {c, d, o.sn_eval_networks};
    s.test = {e, f, o.sn_eval_networks};
    return std::make_unique<InMemoryDataset>(make_sorting_network_dataset(s));
  }
  if (o.dataset != "ogbg-code2" && o.dataset != "tu") {
    throw UsageError("unknown --dataset '" + o.dataset + "' (one of ogbg-code2, tu, sorting-networks)");
  }
  DatasetSource source;
  source.kind = o.dataset;
  source.root = o.root;
  source.name = o.name;
  const std::unique_ptr<Dataset> opened = open_dataset(source);
  return std::make_unique<InMemoryDataset>(to_in_memory(*opened));
}

// Splits of the dataset, or a fixed 80/10/10 shuffle (seed 0) when it has none (TU).
std::map<std::string, std::vector<Index>> dataset_splits(const Dataset& data) {
  if (!data.splits().empty()) return data.splits();
  std::vector<Index> order(static_cast<size_t>(data.size()));
  for (Index i = 0; i < data.size(); ++i) order[i] = i;
  std::mt19937_64 rng(0);
  std::shuffle(order.begin(), order.end(), rng);
  const size_t train = order.size() * 8 / 10, valid = order.size() / 10;
  std::map<std::string, std::vector<Index>> s;
  s["train"].assign(order.begin(), order.begin() + train);
  s["valid"].assign(order.begin() + train, order.begin() + train + valid);
  s["test"].assign(order.begin() + train + valid, order.end());
  for (auto& [name, ids] : s) std::sort(ids.begin(), ids.end());
  return s;
}

std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  return h;
}

void load_encodings(TrainingData& data, const std::vector<GraphExample>& examples,
                    const std::map<std::string, std::vector<Index>>& splits, const TrainOptions& o,
                    const std::function<void(const EncodingProgress&)>& on_progress, const std::string& writer_tag) {
  std::vector<std::string> texts;
  for (const std::string& t : o.pe) {
    if (t != "none") texts.push_back(t);
  }
  if (texts.empty()) return;
  const std::vector<EncodingSpec> specs = parse_encoding_specs(texts);
  std::string key = data.description;
  for (const EncodingSpec& s : specs) key += " " + to_string(s);
  const std::string dir = o.cache.empty() ? (fs::path(o.out) / "pe-cache").string() : o.cache;
  fs::create_directories(dir);
  char name[32];
  std::snprintf(name, sizeof name, "pe-%016llx.npz", static_cast<unsigned long long>(fnv1a(key)));
  const std::string file = (fs::path(dir) / name).string();
  if (!fs::exists(file)) {
    const InMemoryDataset selected(data.description, examples, splits);
    EncodingJobOptions job;
    job.specs = specs;
    job.out = writer_tag.empty() ? file : file + "." + writer_tag;
    job.threads = o.threads;
    job.resume = fs::exists(parts_directory(job.out));
    job.description = key;
    job.on_progress = [&on_progress](const EncodingJobProgress& p) {
      if (on_progress) on_progress({p.graphs_done, p.graphs_total});
    };
    run_encoding_job(selected, job);
    if (job.out != file) fs::rename(job.out, file);  // another writer may have renamed the same bytes first
  }
  for (const NamedArray& a : read_npz(file)) data.pe_arrays[a.name] = to_tensor(a);
  data.pe_ptr = data.pe_arrays.at("ptr");
  for (const EncodingSpec& s : specs) {
    PeInputInfo info;
    info.label = s.label;
    const auto vec = data.pe_arrays.find(s.label + ".vec");
    const auto node = data.pe_arrays.find(s.label);
    if (vec != data.pe_arrays.end()) {
      info.kind = vec->second.dim() == 3 ? PeKind::kMagnetic : PeKind::kSpectral;
      info.width = vec->second.size(1);
    } else if (node != data.pe_arrays.end()) {
      info.kind = PeKind::kNode;
      info.width = node->second.size(1);
    } else {
      throw UsageError("encoding '" + to_string(s) + "' has no node part; graphtx train uses lap, maglap and node encodings");
    }
    data.pe_info.push_back(info);
  }
}

}  // namespace

torch::Tensor sorting_network_features(const Graph& g) {
  const IntMatrix& wires = g.node_features().ints;
  if (wires.cols() < 2 || wires.rows() != g.num_nodes())
    throw UsageError("sorting networks: node features must hold the two wire indices of each comparator");
  torch::Tensor out = torch::zeros({g.num_nodes(), 4 * kWireFrequencies});
  auto a = out.accessor<float, 2>();
  for (Index r = 0; r < g.num_nodes(); ++r) {
    for (int64_t side = 0; side < 2; ++side) {
      const double wire = static_cast<double>(wires(r, side));
      for (int64_t f = 0; f < kWireFrequencies; ++f) {
        const double w = std::pow(26.0, -static_cast<double>(f) / static_cast<double>(kWireFrequencies));
        a[r][side * 2 * kWireFrequencies + 2 * f] = static_cast<float>(std::sin(wire * w));
        a[r][side * 2 * kWireFrequencies + 2 * f + 1] = static_cast<float>(std::cos(wire * w));
      }
    }
  }
  return out;
}

std::pair<int, int> parse_wire_range(const std::string& text, const std::string& option) {
  try {
    size_t used = 0;
    const int a = std::stoi(text, &used);
    if (used == text.size()) return {a, a};
    if (text[used] != '-') throw std::invalid_argument(text);
    const std::string rest = text.substr(used + 1);
    const int b = std::stoi(rest, &used);
    if (used != rest.size() || a < 2 || b < a) throw std::invalid_argument(text);
    return {a, b};
  } catch (const std::logic_error&) {
    throw UsageError(option + " '" + text + "' is not a wire range a-b with 2 <= a <= b");
  }
}

TrainingData load_training_data(const TrainOptions& o, const std::function<void(const EncodingProgress&)>& on_progress,
                                const std::string& cache_writer_tag) {
  const std::unique_ptr<Dataset> source = open_source(o);
  TrainingData data;
  data.description = o.dataset + (o.root.empty() ? "" : " " + o.root) + (o.name.empty() ? "" : " " + o.name);
  if (o.dataset == "sorting-networks") {
    data.description += " train " + o.sn_train_wires + " x" + std::to_string(o.sn_train_networks) + " valid " + o.sn_valid_wires +
                        " test " + o.sn_test_wires + " x" + std::to_string(o.sn_eval_networks) + " seed " + std::to_string(o.seed);
  }
  data.description += " max_nodes " + std::to_string(o.max_nodes) + " max_graphs " + std::to_string(o.max_graphs);

  std::vector<GraphExample> examples;
  std::map<std::string, std::vector<Index>> splits;
  for (const auto& [split, ids] : dataset_splits(*source)) {
    std::vector<int64_t>& kept = data.splits[split];
    // make_sorting_network_dataset lists per network: positive, truncated, then reversed (not in train).
    const size_t per_network = split == "train" ? 2 : 3;
    for (size_t p = 0; p < ids.size(); ++p) {
      const Index i = ids[p];
      if (o.max_graphs > 0 && static_cast<int64_t>(kept.size()) >= o.max_graphs) break;
      GraphExample ex = source->get(i);
      if (o.max_nodes > 0 && ex.graph.num_nodes() > o.max_nodes) continue;
      if (o.dataset == "sorting-networks") data.kinds.push_back(static_cast<int64_t>(p % per_network));
      kept.push_back(static_cast<int64_t>(examples.size()));
      splits[split].push_back(static_cast<Index>(examples.size()));
      ex.index = static_cast<Index>(examples.size());
      examples.push_back(std::move(ex));
    }
  }
  if (o.dataset == "sorting-networks") data.kind_names = {"positive", "truncated", "reversed"};
  if (data.splits["train"].empty()) throw UsageError("the training split is empty (check --max-nodes / --max-graphs)");

  const bool code2 = o.dataset == "ogbg-code2";
  std::vector<const Features*> node_features, edge_features;
  for (const GraphExample& ex : examples) {
    Graph g = code2 ? clamp_depth(o.augment ? augment_edge(ex.graph) : ex.graph) : ex.graph;
    data.graphs.push_back(std::move(g));
  }
  for (const Graph& g : data.graphs) {
    node_features.push_back(&g.node_features());
    edge_features.push_back(&g.edge_features());
  }
  if (o.dataset == "sorting-networks") {
    // Formerly (i, j) / max wire index of the graph: "adjacent" meant 1/6..1/8 in training and
    // 1/9..1/10 in test, and truncating a network could rescale every comparator of it.
    data.node_reals = 4 * kWireFrequencies;
    for (const Graph& g : data.graphs) {
      data.node_x.push_back(sorting_network_features(g));
      data.edge_x.push_back(torch::zeros({g.num_edges(), 0}));
    }
  } else {
    data.node_vocab = vocabulary_sizes(node_features);
    data.edge_vocab = vocabulary_sizes(edge_features);
    if (code2) data.node_vocab.resize(kCode2Depth + 1);
    for (const Graph& g : data.graphs) {
      torch::Tensor x = feature_rows(g.node_features(), g.num_nodes());
      data.node_x.push_back(code2 ? x.slice(1, 0, kCode2Depth + 1).contiguous() : x);
      data.edge_x.push_back(feature_rows(g.edge_features(), g.num_edges()));
    }
    if (!code2 && !data.graphs.empty()) {
      data.node_reals = data.graphs.front().node_features().reals.cols();
      data.edge_reals = data.graphs.front().edge_features().reals.cols();
    }
  }

  if (code2) {
    std::vector<std::vector<std::string>> train_tokens;
    for (int64_t i : data.splits["train"]) train_tokens.push_back(examples[i].tokens);
    data.vocabulary.emplace(train_tokens);
    std::vector<int64_t> flat;
    for (const GraphExample& ex : examples) {
      data.tokens.push_back(ex.tokens);
      const std::vector<int64_t> ids = data.vocabulary->encode(ex.tokens);
      flat.insert(flat.end(), ids.begin(), ids.end());
    }
    data.labels = int_tensor(flat).view({static_cast<int64_t>(examples.size()), data.vocabulary->max_seq_len()});
  } else {
    std::vector<int64_t> labels;
    for (const GraphExample& ex : examples) {
      if (ex.label.empty()) throw InputError(o.dataset + ": graph " + std::to_string(ex.index) + " has no class label");
      labels.push_back(ex.label.front());
    }
    data.classes = std::max<int64_t>(2, *std::max_element(labels.begin(), labels.end()) + 1);
    data.labels = int_tensor(labels);
  }
  load_encodings(data, examples, splits, o, on_progress, cache_writer_tag);
  return data;
}

ModelInput TrainingData::batch(const std::vector<int64_t>& ids, bool topology) const {
  ModelInput in;
  std::vector<torch::Tensor> xs, es, sources, targets;
  std::vector<int64_t> ptr{0}, graph_of, pe_rows;
  std::vector<Graph> parts;
  for (size_t b = 0; b < ids.size(); ++b) {
    const Graph& g = graphs[static_cast<size_t>(ids[b])];
    xs.push_back(node_x[ids[b]]);
    es.push_back(edge_x[ids[b]]);
    std::vector<int64_t> s(g.sources().begin(), g.sources().end()), t(g.targets().begin(), g.targets().end());
    sources.push_back(int_tensor(s) + ptr.back());
    targets.push_back(int_tensor(t) + ptr.back());
    graph_of.insert(graph_of.end(), static_cast<size_t>(g.num_nodes()), static_cast<int64_t>(b));
    ptr.push_back(ptr.back() + g.num_nodes());
    if (topology) parts.push_back(g);
  }
  in.x = torch::cat(xs);
  in.edge_attr = torch::cat(es);
  in.edge_index = torch::stack({torch::cat(sources), torch::cat(targets)});
  in.ptr = int_tensor(ptr);
  in.batch = int_tensor(graph_of);
  if (!pe_info.empty()) {
    const auto p = pe_ptr.accessor<int64_t, 1>();
    for (int64_t g : ids) {
      for (int64_t r = p[g]; r < p[g + 1]; ++r) pe_rows.push_back(r);
    }
    const torch::Tensor rows = int_tensor(pe_rows), graphs_index = int_tensor(ids);
    for (const PeInputInfo& info : pe_info) {
      PeBatch pe;
      if (info.kind == PeKind::kNode) {
        pe.node = pe_arrays.at(info.label).index_select(0, rows);
      } else {
        pe.vec = pe_arrays.at(info.label + ".vec").index_select(0, rows);
        pe.val = pe_arrays.at(info.label + ".val").index_select(0, graphs_index);
        pe.mask = pe_arrays.at(info.label + ".mask").index_select(0, graphs_index);
      }
      in.pe[info.label] = pe;
    }
  }
  if (topology) in.topology = std::make_shared<TreeTopology>(TreeTopology::from_batch(GraphBatch(parts)));
  return in;
}

torch::Tensor TrainingData::targets(const std::vector<int64_t>& ids) const { return labels.index_select(0, int_tensor(ids)); }

ModelOptions TrainingData::model_options(const TrainOptions& o) const {
  ModelOptions m;
  m.model = o.model;
  m.layers = o.layers;
  m.dim = o.dim;
  m.heads = o.heads;
  m.dropout = o.dropout;
  m.node_vocab = node_vocab;
  m.node_reals = node_reals;
  m.edge_vocab = edge_vocab;
  m.edge_reals = edge_reals;
  m.pe = pe_info;
  m.maglap_attention = o.maglap_attention;
  m.maglap_sqrt_n = o.maglap_sqrt_n;
  m.classes = classes;
  if (vocabulary) {
    m.sequence_vocab = vocabulary->size();
    m.sequence_length = vocabulary->max_seq_len();
  }
  return m;
}

}  // namespace graphtx
