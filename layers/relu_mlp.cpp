#include "layers/relu_mlp.hpp"

#include "layers/linear.hpp"

namespace graphtx {

torch::Tensor relu_mlp(torch::nn::Sequential mlp, const torch::Tensor& x) {
  const size_t size = mlp->size();
  const auto* first = size >= 3 ? mlp[0]->as<LinearImpl>() : nullptr;
  const auto* relu = size >= 3 ? mlp[1]->as<torch::nn::ReLUImpl>() : nullptr;
  auto* dropout = size == 4 ? mlp[2]->as<torch::nn::DropoutImpl>() : nullptr;
  auto* last = size >= 3 ? mlp[size - 1]->as<LinearImpl>() : nullptr;
  if (first == nullptr || relu == nullptr || last == nullptr || (size == 4 && dropout == nullptr) || size > 4)
    return mlp->forward(x);
  const torch::Tensor hidden = linear_relu(x, first->weight, first->bias);
  return last->forward(dropout != nullptr ? dropout->forward(hidden) : hidden);
}

}  // namespace graphtx
