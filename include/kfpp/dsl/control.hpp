// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

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
/// Opens a loop over a literal list; returns the group and the item.
std::pair<std::size_t, Source> open_loop(Pipeline& p, ir::Value::Array items,
                                         ir::ParameterType item_type, std::int64_t parallelism,
                                         std::string name);
/// Opens a loop over a list held by a channel; returns the group and the item.
std::pair<std::size_t, Source> open_loop(Pipeline& p, const Source& items,
                                         ir::ParameterType item_type, std::int64_t parallelism,
                                         std::string name);
/// Opens a loop over a list of artifacts held by a channel; returns the group and the item.
std::pair<std::size_t, Source> open_artifact_loop(Pipeline& p, const Source& items,
                                                  ir::ArtifactType item_type,
                                                  std::int64_t parallelism, std::string name);
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

template <class T>
struct loop_item_type {
  using type = T;
};
template <>
struct loop_item_type<const char*> {
  using type = std::string;
};

template <class T>
struct loop_needs_a_list {
  static_assert(dependent_false<T>,
                "kfpp: ParallelFor runs over a list: a std::vector, or a Channel of a std::vector "
                "(of parameters or of artifacts)");
  static constexpr bool value = false;
};

}  // namespace detail

/// How a `ParallelFor` runs, and the name the KFP UI shows for it.
/// Example: `kfpp::LoopOptions{.parallelism = 2, .name = "train-folds"}`
struct LoopOptions {
  std::int64_t parallelism = 0;  ///< at most this many iterations at once; 0: no limit
  std::string name{};            ///< the loop's `taskInfo.name`; empty: its group name
};

/// Runs the tasks that `body` adds once per item, in parallel. `body` receives the item as a
/// `Channel<T>`; for `kfpp::Json` items, `item.template field<U>("name")` reads a field.
/// Items are a literal `std::vector<T>` or a `Channel<std::vector<T>>` (a pipeline parameter or a
/// task output), of parameters or of artifacts (`Channel<std::vector<kfpp::Dataset>>`: each
/// iteration receives one `Channel<kfpp::Dataset>`). Read what the iterations produce after the
/// loop with `kfpp::Collected`.
/// Example:
/// ```
/// kfpp::ParallelFor(p, std::vector<int>{1, 2, 3}, [&](kfpp::Channel<int> fold) {
///   p.add(train_fold, kfpp::in<"fold"> = fold);
/// });
/// ```
class ParallelFor {
 public:
  /// A loop over literal items, written into the IR.
  /// Example: `kfpp::ParallelFor(p, std::vector<std::string>{"a", "b"}, [&](auto x) { ... });`
  template <class T, class F>
  ParallelFor(Pipeline& p, const std::vector<T>& items, F&& body)
      : ParallelFor(p, items, LoopOptions{}, std::forward<F>(body)) {}

  /// A loop over literal items with options (e.g. at most two iterations at once).
  /// Example: `kfpp::ParallelFor(p, folds, {.parallelism = 2}, [&](auto fold) { ... });`
  template <class T, class F>
  ParallelFor(Pipeline& p, const std::vector<T>& items, LoopOptions options, F&& body) {
    using Item = typename detail::loop_item_type<T>::type;
    static_assert(is_parameter_type<Item>(), "kfpp: loop items are parameter values");
    ir::Value::Array raw;
    raw.reserve(items.size());
    for (const auto& x : items) raw.push_back(detail::to_value(Item(x)));
    auto [g, item] = detail::open_loop(p, std::move(raw), detail::parameter_type_of<Item>(),
                                       options.parallelism, std::move(options.name));
    detail::GroupScope scope(p, g);
    body(Channel<Item>(std::move(item)));
  }

  /// A loop over a list known only at run time: a pipeline parameter or a task output.
  /// Example: `kfpp::ParallelFor(p, p.param<std::vector<int>>("sizes"), [&](auto n) { ... });`
  template <class T, class F>
  ParallelFor(Pipeline& p, const Channel<std::vector<T>>& items, F&& body)
      : ParallelFor(p, items, LoopOptions{}, std::forward<F>(body)) {}

  /// A loop over a run-time list, with options.
  /// Example: `kfpp::ParallelFor(p, split.output(), {.parallelism = 4}, [&](auto part) { ... });`
  template <class T, class F>
  ParallelFor(Pipeline& p, const Channel<std::vector<T>>& items, LoopOptions options, F&& body) {
    auto [g, item] = is_artifact_v<T>
                         ? detail::open_artifact_loop(p, items.source(), artifact_type<T>(),
                                                      options.parallelism, std::move(options.name))
                         : detail::open_loop(p, items.source(), detail::parameter_type_of<T>(),
                                             options.parallelism, std::move(options.name));
    detail::GroupScope scope(p, g);
    body(Channel<T>(std::move(item)));
  }

  /// Anything but a list does not compile: a loop needs items.
  template <class T, class F>
  ParallelFor(Pipeline& p, const Channel<T>& items, F&& body) {
    (void)p, (void)items, (void)body;
    static_assert(detail::loop_needs_a_list<T>::value);
  }

 private:
  template <class T>
  static ir::ArtifactType artifact_type() {
    if constexpr (is_artifact_v<T>)
      return detail::artifact_type_of<T>();
    else
      return {};
  }
};

/// The values an output took in every iteration of the loop around its task, as one list: a
/// `Channel<std::vector<T>>` for parameters, or for artifacts (`std::vector<kfpp::Dataset>`).
/// Example: `p.add(sum, kfpp::in<"nums"> = kfpp::Collected(square.output()));`
template <class T>
Channel<std::vector<T>> Collected(const Channel<T>& output) {  // NOLINT: the KFP name
  return Channel<std::vector<T>>(detail::collected_of(output.source()));
}

/// The output of whichever branch of an If / Elif / Else chain ran: one output of a task in each
/// of its branches, the chain ending with Else. All options have the same type.
/// Example: `auto msg = kfpp::OneOf(heads_task.output(), tails_task.output());`
template <class T, class... U>
Channel<T> OneOf(const Channel<T>& first, const Channel<U>&... rest) {  // NOLINT: the KFP name
  static_assert((std::is_same_v<T, U> && ...),
                "kfpp: every option of OneOf must have the same type");
  return Channel<T>(detail::oneof_of({first.source(), rest.source()...}));
}

/// An If / Elif / Else chain: exactly one branch runs. Every branch may be given the name the
/// KFP UI shows for it (`taskInfo.name`); the group's key stays `condition-N`.
/// Example:
/// ```
/// kfpp::If(p, flip.output() == "heads", [&] { p.add(on_heads); })
///     .Elif(flip.output() == "tails", [&] { p.add(on_tails); })
///     .Else([&] { p.add(on_edge); });
/// ```
class If {
 public:
  /// The first branch: taken when `condition` holds.
  /// Example: `kfpp::If(p, n.output() > 5, [&] { p.add(big); }).Else([&] { p.add(small); });`
  template <class F>
  If(Pipeline& p, const Predicate& condition, F&& body)
      : If(p, condition, std::string(), std::forward<F>(body)) {}

  /// A branch whose group the KFP UI shows as `name`.
  /// Example: `kfpp::If(p, n.output() > 5, "big-n", [&] { p.add(big); });`
  template <class F>
  If(Pipeline& p, const Predicate& condition, std::string name, F&& body) : p_(&p) {
    first_ = detail::open_condition(p, condition, std::move(name));
    detail::GroupScope scope(p, first_);
    body();
  }

  /// The branch taken when every earlier one was not and `condition` holds.
  /// Example: `chain.Elif(n.output() > 2, [&] { p.add(medium); });`
  template <class F>
  If& Elif(const Predicate& condition, F&& body) {  // NOLINT: the KFP name
    return Elif(condition, std::string(), std::forward<F>(body));
  }

  /// An Elif branch whose group the KFP UI shows as `name`.
  /// Example: `chain.Elif(n.output() > 2, "medium-n", [&] { p.add(medium); });`
  template <class F>
  If& Elif(const Predicate& condition, std::string name, F&& body) {  // NOLINT: the KFP name
    detail::GroupScope scope(*p_, detail::open_branch(*p_, first_, &condition, std::move(name)));
    body();
    return *this;
  }

  /// The branch taken when no earlier one was.
  /// Example: `chain.Else([&] { p.add(small); });`
  template <class F>
  void Else(F&& body) {  // NOLINT: the KFP name
    Else(std::string(), std::forward<F>(body));
  }

  /// An Else branch whose group the KFP UI shows as `name`.
  /// Example: `chain.Else("small-n", [&] { p.add(small); });`
  template <class F>
  void Else(std::string name, F&& body) {  // NOLINT: the KFP name
    detail::GroupScope scope(*p_, detail::open_branch(*p_, first_, nullptr, std::move(name)));
    body();
  }

 private:
  Pipeline* p_;
  std::size_t first_ = 0;
};

/// Runs the tasks that `body` adds only when `condition` holds (a `condition-N` group): the
/// SDK's `dsl.Condition`, its older name of `If`. It chains `Elif` and `Else` like `If`.
/// Example:
/// ```
/// kfpp::Condition(p, eval.output<"accuracy">() >= threshold, [&] {
///   p.add(deploy, kfpp::in<"model"> = model);
/// });
/// ```
class Condition : public If {
 public:
  /// Runs what `body` adds only when `condition` holds.
  /// Example: `kfpp::Condition(p, flip.output() == "heads", [&] { p.add(print_heads); });`
  template <class F>
  Condition(Pipeline& p, const Predicate& condition, F&& body)
      : If(p, condition, std::string(), std::forward<F>(body)) {}

  /// A condition whose group the KFP UI shows as `name`.
  /// Example: `kfpp::Condition(p, coin == "heads", "on-heads", [&] { p.add(print_heads); });`
  template <class F>
  Condition(Pipeline& p, const Predicate& condition, std::string name, F&& body)
      : If(p, condition, std::move(name), std::forward<F>(body)) {}
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
  /// Runs `exit_task` once the tasks `body` adds have finished, successfully or not.
  /// Example: `kfpp::ExitHandler(p, notify, [&] { p.add(train); });`
  template <class F>
  ExitHandler(Pipeline& p, const TaskRef& exit_task, F&& body)
      : ExitHandler(p, exit_task, std::string(), std::forward<F>(body)) {}

  /// An exit handler whose group the KFP UI shows as `name`.
  /// Example: `kfpp::ExitHandler(p, notify, "training", [&] { p.add(train); });`
  template <class F>
  ExitHandler(Pipeline& p, const TaskRef& exit_task, std::string name, F&& body) {
    detail::GroupScope scope(p, detail::open_exit_handler(p, exit_task, std::move(name)));
    body();
  }
};

}  // namespace kfpp
