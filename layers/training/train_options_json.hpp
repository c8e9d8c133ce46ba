// TrainOptions <-> JSON: the options.json of a run directory (what --resume reads back) and the
// option keys of a bench grid file. Keys are the `graphtx train` long option names with '-'
// (e.g. "max-nodes", "sn-train-wires", "weight-decay"); "pe" is a list of spec strings.
// apply_train_option throws UsageError naming the key for unknown keys or values of the wrong type.
#pragma once

#include "layers/training/train_options.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace graphtx {

nlohmann::json to_json(const TrainOptions& options);
TrainOptions train_options_from_json(const nlohmann::json& object);
void apply_train_option(TrainOptions& options, const std::string& key, const nlohmann::json& value);

}  // namespace graphtx
