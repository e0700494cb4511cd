// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>

#include "kfpp/dsl/core.hpp"

// SharedAny made from and read as the std::shared_ptr it holds.
namespace kfpp::detail {

/// `p` as a handle; the handle's object is `p.get()`.
[[nodiscard]] SharedAny to_shared_any(std::shared_ptr<void> p) noexcept;
/// The pointer a handle holds (null for an empty handle).
[[nodiscard]] std::shared_ptr<void> to_shared_ptr(const SharedAny& a) noexcept;
/// A component's data as it is now, shared with the component: what a task keeps.
[[nodiscard]] std::shared_ptr<const ComponentData> share(const SharedComponent& c) noexcept;

}  // namespace kfpp::detail
