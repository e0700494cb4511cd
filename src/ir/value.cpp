// SPDX-License-Identifier: Apache-2.0
#include "kfpp/ir/value.hpp"

namespace kfpp::ir {

bool operator==(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_int() && b.is_int()) return a.as_int() == b.as_int();
    return a.as_double() == b.as_double();
  }
  return a.v_ == b.v_;
}

}  // namespace kfpp::ir
