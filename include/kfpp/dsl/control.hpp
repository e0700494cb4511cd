// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include "kfpp/dsl/condition.hpp"
#include "kfpp/dsl/pipeline.hpp"

namespace kfpp {

namespace detail {

/// Opens a condition group in the current scope and makes it current; returns its id.
std::size_t open_condition(Pipeline& p, const Predicate& c, std::string name);
/// Opens the next branch (an Elif when `c` is given, an Else otherwise) of the If chain whose
/// first branch is `first`; wraps the chain in a `condition-branches-N` group on first use.
std::size_t open_branch(Pipeline& p, std::size_t first, const Predicate* c, std::string name);
/// Opens an exit handler around the tasks its body adds, with `exit_task` run afterwards.
std::size_t open_exit_handler(Pipeline& p, const TaskRef& exit_task, std::string name);
/// Makes the parent of group `g` current again.
void close_group(Pipeline& p, std::size_t g) noexcept;

/// Closes a group when the body returns or throws.
class GroupScope {
 public:
  GroupScope(Pipeline& p, std::size_t g) : p_(p), g_(g) {}
  ~GroupScope() { close_group(p_, g_); }
  GroupScope(const GroupScope&) = delete;
  GroupScope& operator=(const GroupScope&) = delete;

 private:
  Pipeline& p_;
  std::size_t g_;
};

}  // namespace detail

/// Runs the tasks that `body` adds only when `condition` holds (a `condition-N` group).
/// Example:
/// ```
/// kfpp::Condition(p, eval.output<"accuracy">() >= threshold, [&] {
///   p.add(deploy, kfpp::in<"model"> = model);
/// });
/// ```
class Condition {
 public:
  template <class F>
  Condition(Pipeline& p, const Predicate& condition, F&& body)
      : Condition(p, condition, std::string(), std::forward<F>(body)) {}

  /// A condition whose group the KFP UI shows as `name`.
  template <class F>
  Condition(Pipeline& p, const Predicate& condition, std::string name, F&& body) {
    detail::GroupScope scope(p, detail::open_condition(p, condition, std::move(name)));
    body();
  }
};

/// An If / Elif / Else chain: exactly one branch runs.
/// Example:
/// ```
/// kfpp::If(p, flip.output() == "heads", [&] { p.add(on_heads); })
///     .Elif(flip.output() == "tails", [&] { p.add(on_tails); })
///     .Else([&] { p.add(on_edge); });
/// ```
class If {
 public:
  template <class F>
  If(Pipeline& p, const Predicate& condition, F&& body)
      : If(p, condition, std::string(), std::forward<F>(body)) {}

  /// A branch whose group the KFP UI shows as `name`.
  template <class F>
  If(Pipeline& p, const Predicate& condition, std::string name, F&& body) : p_(&p) {
    first_ = detail::open_condition(p, condition, std::move(name));
    detail::GroupScope scope(p, first_);
    body();
  }

  /// The branch taken when every earlier one was not and `condition` holds.
  template <class F>
  If& Elif(const Predicate& condition, F&& body) {  // NOLINT: the KFP name
    detail::GroupScope scope(*p_, detail::open_branch(*p_, first_, &condition, {}));
    body();
    return *this;
  }

  /// The branch taken when no earlier one was.
  template <class F>
  void Else(F&& body) {  // NOLINT: the KFP name
    detail::GroupScope scope(*p_, detail::open_branch(*p_, first_, nullptr, {}));
    body();
  }

 private:
  Pipeline* p_;
  std::size_t first_ = 0;
};

/// Runs `exit_task` after the tasks that `body` adds, whatever happened to them; the exit task's
/// `PipelineTaskFinalStatus` input receives their final status. Only at the top of a pipeline.
/// Example:
/// ```
/// auto cleanup = p.add(delete_cluster, kfpp::in<"name"> = cluster_name);
/// kfpp::ExitHandler(p, cleanup, [&] { p.add(train); });
/// ```
class ExitHandler {
 public:
  template <class F>
  ExitHandler(Pipeline& p, const TaskRef& exit_task, F&& body)
      : ExitHandler(p, exit_task, std::string(), std::forward<F>(body)) {}

  /// An exit handler whose group the KFP UI shows as `name`.
  template <class F>
  ExitHandler(Pipeline& p, const TaskRef& exit_task, std::string name, F&& body) {
    detail::GroupScope scope(p, detail::open_exit_handler(p, exit_task, std::move(name)));
    body();
  }
};

}  // namespace kfpp
