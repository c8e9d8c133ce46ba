#include "layers/training/train_options_json.hpp"

#include "graph/errors.hpp"

#include <functional>
#include <map>

namespace graphtx {

namespace {

using Setter = std::function<void(TrainOptions&, const nlohmann::json&)>;
using Getter = std::function<nlohmann::json(const TrainOptions&)>;

struct Field {
  Setter set;
  Getter get;
};

template <class T>
Field field(T TrainOptions::*member) {
  return {[member](TrainOptions& o, const nlohmann::json& v) { o.*member = v.get<T>(); },
          [member](const TrainOptions& o) { return nlohmann::json(o.*member); }};
}

const std::map<std::string, Field>& fields() {
  static const std::map<std::string, Field> f{
      {"dataset", field(&TrainOptions::dataset)},
      {"root", field(&TrainOptions::root)},
      {"name", field(&TrainOptions::name)},
      {"max-nodes", field(&TrainOptions::max_nodes)},
      {"max-graphs", field(&TrainOptions::max_graphs)},
      {"sn-train-wires", field(&TrainOptions::sn_train_wires)},
      {"sn-valid-wires", field(&TrainOptions::sn_valid_wires)},
      {"sn-test-wires", field(&TrainOptions::sn_test_wires)},
      {"sn-train-networks", field(&TrainOptions::sn_train_networks)},
      {"sn-eval-networks", field(&TrainOptions::sn_eval_networks)},
      {"augment", field(&TrainOptions::augment)},
      {"model", field(&TrainOptions::model)},
      {"pe", field(&TrainOptions::pe)},
      {"maglap-attention", field(&TrainOptions::maglap_attention)},
      {"maglap-sqrt-n", field(&TrainOptions::maglap_sqrt_n)},
      {"layers", field(&TrainOptions::layers)},
      {"dim", field(&TrainOptions::dim)},
      {"heads", field(&TrainOptions::heads)},
      {"dropout", field(&TrainOptions::dropout)},
      {"epochs", field(&TrainOptions::epochs)},
      {"batch", field(&TrainOptions::batch)},
      {"lr", field(&TrainOptions::lr)},
      {"weight-decay", field(&TrainOptions::weight_decay)},
      {"clip", field(&TrainOptions::clip)},
      {"warmup", field(&TrainOptions::warmup)},
      {"patience", field(&TrainOptions::patience)},
      {"seed", field(&TrainOptions::seed)},
      {"threads", field(&TrainOptions::threads)},
      {"out", field(&TrainOptions::out)},
      {"cache", field(&TrainOptions::cache)},
  };
  return f;
}

}  // namespace

nlohmann::json to_json(const TrainOptions& options) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [key, f] : fields()) j[key] = f.get(options);
  return j;
}

void apply_train_option(TrainOptions& options, const std::string& key, const nlohmann::json& value) {
  const auto it = fields().find(key);
  if (it == fields().end()) {
    std::string known;
    for (const auto& [k, f] : fields()) known += (known.empty() ? "" : ", ") + k;
    throw UsageError("unknown option '" + key + "' (known: " + known + ")");
  }
  if (key == "pe" && value.is_string()) {
    options.pe = {value.get<std::string>()};
    return;
  }
  try {
    it->second.set(options, value);
  } catch (const nlohmann::json::exception&) {
    throw UsageError("option '" + key + "': wrong type of value " + value.dump());
  }
}

TrainOptions train_options_from_json(const nlohmann::json& object) {
  if (!object.is_object()) throw UsageError("train options must be a JSON object");
  TrainOptions o;
  for (const auto& [key, value] : object.items()) apply_train_option(o, key, value);
  return o;
}

}  // namespace graphtx
