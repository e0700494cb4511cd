// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "kfpp/ir/pipeline.hpp"
#include "kfpp/ir/value.hpp"

// The non-template core of the DSL: the typed front end captures types and hands plain data to
// these, which live in src/dsl.
namespace kfpp::detail {

class PipelineState;
struct PythonSignature;  // src/dsl/python_signature.hpp

/// Where a value comes from, before lowering.
struct Source {
  enum class Kind { constant, pipeline_input, task_output, loop_item, collected, oneof };
  Kind kind = Kind::constant;
  ir::Value constant;
  std::string name;                      ///< input name, output key, or the item's channel name
  std::size_t task = 0;                  ///< task_output, collected: the producing task's id;
                                         ///< oneof: the choice's index in its group
  std::size_t group = 0;                 ///< loop_item, collected: the loop; oneof: the If chain
  std::string field;                     ///< loop_item: a field of a struct item, or empty
  const PipelineState* owner = nullptr;  ///< the pipeline it belongs to (null for constants)

  // Out of line, so that the many copies user code makes cost little to compile.
  Source();
  Source(const Source&);
  Source(Source&&) noexcept;
  Source& operator=(const Source&);
  Source& operator=(Source&&) noexcept;
  ~Source();
};

/// An object shared by reference count: a `std::shared_ptr<void>` kept in place, so that the
/// public headers need not include `<memory>` (in C++20 it brings `<ostream>` and `<atomic>`,
/// which cost more to parse than the rest of the standard headers kfpp uses). src/dsl/shared.hpp
/// makes and reads it as a `std::shared_ptr`.
class SharedAny {
 public:
  SharedAny() noexcept;
  SharedAny(const SharedAny& other) noexcept;
  SharedAny(SharedAny&& other) noexcept;
  SharedAny& operator=(const SharedAny& other) noexcept;
  SharedAny& operator=(SharedAny&& other) noexcept;
  ~SharedAny();
  /// The object, or null.
  [[nodiscard]] void* get() const noexcept { return object_; }
  explicit operator bool() const noexcept { return object_ != nullptr; }
  /// Whether another handle shares the object.
  [[nodiscard]] bool shared() const noexcept;

 private:
  friend struct SharedAnyAccess;
  void* object_ = nullptr;  ///< what the pointer in `storage_` owns
  alignas(void*) unsigned char storage_[2 * sizeof(void*)];  ///< the `std::shared_ptr<void>`
};

/// A component as the DSL keeps it: interface and executor; lowered once per task.
struct ComponentData {
  std::string name;  ///< the user's name, sanitized into `comp-…` and the task name
  ir::Interface inputs;
  ir::Interface outputs;
  ir::Executor executor;  ///< label filled at lowering
  /// A pipeline used as a component: its IR, spliced into the outer pipeline at lowering.
  std::optional<ir::Pipeline> pipeline;
  /// A Python component: its function's signature, read from the source when it was made and
  /// checked against the ports when it is used.
  SharedAny signature;          ///< a `const PythonSignature`, or empty
  bool check_signature = true;  ///< false after `skip_signature_check()`

  // Out of line: a copy reaches deep into the IR, and user code copies components freely.
  ComponentData();
  ComponentData(const ComponentData&);
  ComponentData(ComponentData&&) noexcept;
  ComponentData& operator=(const ComponentData&);
  ComponentData& operator=(ComponentData&&) noexcept;
  ~ComponentData();
};

/// A component's data, shared by the component and every task that runs it, and copied only
/// when a component changes while tasks (or copies of the component) share it. A pipeline that
/// adds one component a thousand times keeps one copy of it.
class SharedComponent {
 public:
  SharedComponent();
  explicit SharedComponent(ComponentData data);
  /// The data, to read.
  const ComponentData& operator*() const noexcept { return *data(); }
  const ComponentData* operator->() const noexcept { return data(); }
  /// The data, to change: first copied when shared.
  ComponentData& mut();
  /// The handle tasks keep: the data as it is now.
  [[nodiscard]] const SharedAny& handle() const noexcept { return p_; }

 private:
  [[nodiscard]] ComponentData* data() const noexcept {
    return static_cast<ComponentData*>(p_.get());
  }
  SharedAny p_;
};

/// Checks that a pipeline's inputs and outputs are the ports `c` declares, then makes `c` run
/// that pipeline; throws DefinitionError naming the first mismatch.
void use_pipeline(ComponentData& c, ir::Pipeline pipeline);

/// One input of a task being added.
struct Binding {
  std::string port;
  bool artifact = false;
  Source source;
  /// A template (`kfpp::format`): the constant pieces around the channels `parts` (one more
  /// piece than parts); `source` is then unused.
  std::vector<std::string> pieces{};
  std::vector<Source> parts{};
};

/// One side of a comparison in a condition: a channel or a literal.
struct Operand {
  bool is_channel = false;
  Source source;  ///< the channel
  ir::ParameterType type = ir::ParameterType::string;
  ir::Value literal;
};

/// `left op right`, negated when `negate`; conditions are conjunctions of these.
struct Comparison {
  std::string op;
  Operand left;
  Operand right;
  bool negate = false;
};

/// The field `name` of a struct loop item; throws DefinitionError for any other value.
[[nodiscard]] Source field_of(const Source& item, std::string name);
/// The outputs of every iteration of the loop around `output`'s task, as one list; throws
/// DefinitionError when the task is not directly inside a loop.
[[nodiscard]] Source collected_of(const Source& output);

/// Whichever of `options` (outputs of tasks in different branches of one If chain) was produced;
/// throws DefinitionError when they are not such outputs.
[[nodiscard]] Source oneof_of(const std::vector<Source>& options);

/// The KFP form of a name: lower case, runs of other characters turned into one '-', no '-' at
/// either end (`square_root` -> `square-root`).
[[nodiscard]] std::string sanitize_name(const std::string& name);

}  // namespace kfpp::detail
