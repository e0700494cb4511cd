// SPDX-License-Identifier: Apache-2.0
#include "kfpp/ir/kubernetes.hpp"

#include "kfpp/ir/pipeline.hpp"

namespace kfpp::ir {

template <class T>
Indirect<T>::Indirect(const Indirect& other) : p_(other.p_ ? new T(*other.p_) : nullptr) {}

template <class T>
Indirect<T>& Indirect<T>::operator=(const Indirect& other) {
  if (this != &other) {
    T* copy = other.p_ ? new T(*other.p_) : nullptr;
    reset();
    p_ = copy;
  }
  return *this;
}

template <class T>
T& Indirect<T>::emplace() {
  T* fresh = new T();
  reset();
  p_ = fresh;
  return *p_;
}

template <class T>
void Indirect<T>::reset() noexcept {
  delete p_;
  p_ = nullptr;
}

template class Indirect<KubernetesConfig>;

}  // namespace kfpp::ir
