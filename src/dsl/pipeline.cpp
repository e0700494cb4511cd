// SPDX-License-Identifier: Apache-2.0
#include "kfpp/dsl/pipeline.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "kfpp/error.hpp"
#include "kfpp/ir/validate.hpp"

namespace kfpp {

namespace detail {

/// Names made unique the way KFP does it: the first `x` is `x`, the next `x-2`, `x-3`, …
class UniqueNames {
 public:
  std::string make(const std::string& base) {
    if (used_.insert(base).second) return base;
    std::size_t& next = next_[base];
    if (next < 2) next = 2;
    std::string candidate;
    do {
      candidate = base + "-" + std::to_string(next++);
    } while (!used_.insert(candidate).second);
    return candidate;
  }

 private:
  std::unordered_set<std::string> used_;
  std::unordered_map<std::string, std::size_t> next_;
};

struct TaskRecord {
  std::string name;
  ComponentData component;
  std::vector<Binding> bindings;
  std::vector<std::size_t> after;
  std::string display_name;
  bool caching = true;
};

class PipelineState {
 public:
  std::string name;
  std::string description;
  std::string display_name;
  ir::Interface inputs;
  ir::Interface outputs;
  std::vector<std::pair<std::string, Source>> output_sources;
  std::vector<TaskRecord> tasks;
  UniqueNames task_names;

  void check_source(const Source& s, const std::string& where) const {
    if (s.kind == Source::Kind::constant) return;
    if (s.owner != this)
      throw DefinitionError({"kfpp.foreign_value", where,
                             "the value comes from another pipeline (or an unset handle)",
                             "use parameters and task outputs of this pipeline only"});
  }

  void check_new_input(const std::string& n) const {
    if (!ir::is_valid_port_name(n))
      throw DefinitionError({"kfpp.invalid_name", name + "/inputs/" + n,
                             "'" + n + "' is not a valid parameter name",
                             "start with a letter or '_', then use letters, digits, '_' or '-'"});
    if (inputs.find_parameter(n) || inputs.find_artifact(n))
      throw DefinitionError({"kfpp.duplicate_name", name + "/inputs/" + n,
                             "the pipeline already has an input called '" + n + "'",
                             "give each pipeline input its own name"});
  }
};

}  // namespace detail

using detail::PipelineState;
using detail::Source;

Pipeline::Pipeline(std::string name) {
  if (!ir::is_valid_task_name(name))
    throw DefinitionError({"kfpp.invalid_name", name.empty() ? "<pipeline>" : name,
                           "'" + name + "' is not a valid pipeline name",
                           "use lower-case letters, digits and '-', starting and ending with a "
                           "letter or digit, at most 128 characters"});
  state_ = new PipelineState();
  state_->name = std::move(name);
}

Pipeline::~Pipeline() { delete state_; }

Pipeline::Pipeline(Pipeline&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}

Pipeline& Pipeline::operator=(Pipeline&& other) noexcept {
  if (this != &other) {
    delete state_;
    state_ = std::exchange(other.state_, nullptr);
  }
  return *this;
}

Pipeline& Pipeline::description(std::string text) {
  state_->description = std::move(text);
  return *this;
}

Pipeline& Pipeline::display_name(std::string text) {
  state_->display_name = std::move(text);
  return *this;
}

const std::string& Pipeline::name() const { return state_->name; }

Pipeline& Pipeline::describe(const std::string& input, std::string text) {
  for (auto& prm : state_->inputs.parameters)
    if (prm.name == input) {
      prm.description = std::move(text);
      return *this;
    }
  for (auto& a : state_->inputs.artifacts)
    if (a.name == input) {
      a.description = std::move(text);
      return *this;
    }
  throw DefinitionError({"kfpp.unknown_parameter", state_->name + "/inputs/" + input,
                         "the pipeline has no input called '" + input + "'",
                         "declare it with param<T>(\"" + input + "\") before describing it"});
}

Source Pipeline::add_parameter_input(std::string name, ir::ParameterType type,
                                     std::optional<ir::Value> default_value) {
  state_->check_new_input(name);
  ir::ParameterSpec spec;
  spec.name = name;
  spec.type = type;
  spec.is_optional = default_value.has_value();
  spec.default_value = std::move(default_value);
  state_->inputs.parameters.push_back(std::move(spec));
  Source s;
  s.kind = Source::Kind::pipeline_input;
  s.name = std::move(name);
  s.owner = state_;
  return s;
}

Source Pipeline::add_artifact_input(std::string name, ir::ArtifactType type) {
  state_->check_new_input(name);
  ir::ArtifactSpec spec;
  spec.name = name;
  spec.type = std::move(type);
  state_->inputs.artifacts.push_back(std::move(spec));
  Source s;
  s.kind = Source::Kind::pipeline_input;
  s.name = std::move(name);
  s.owner = state_;
  return s;
}

std::size_t Pipeline::add_task(const detail::ComponentData& component,
                               std::vector<detail::Binding> bs) {
  std::string base = detail::sanitize_name(component.name);
  if (base.empty())
    throw DefinitionError({"kfpp.invalid_name", state_->name + "/" + component.name,
                           "component name '" + component.name + "' has no letter or digit",
                           "name the component with letters and digits"});
  if (base.size() > 100) base.resize(100);
  while (!base.empty() && base.back() == '-') base.pop_back();
  detail::TaskRecord rec;
  rec.name = state_->task_names.make(base);
  for (const auto& b : bs) state_->check_source(b.source, state_->name + "/" + rec.name + "/inputs/" + b.port);
  rec.component = component;
  rec.bindings = std::move(bs);
  state_->tasks.push_back(std::move(rec));
  return state_->tasks.size() - 1;
}

std::size_t Pipeline::add_importer(Source uri, ir::ArtifactType type, ImporterOptions options) {
  if (options.metadata && !options.metadata->is_object())
    throw DefinitionError({"kfpp.invalid_value", state_->name + "/importer/metadata",
                           "importer metadata must be an object",
                           "pass kfpp::Json::object({...})"});
  detail::ComponentData c;
  c.name = "importer";
  c.inputs.parameters.push_back({"uri", ir::ParameterType::string, std::nullopt, false, {}});
  c.outputs.artifacts.push_back({"artifact", type, false, false, {}});
  auto& im = c.executor.importer.emplace();
  im.type = std::move(type);
  im.metadata = std::move(options.metadata);
  im.reimport = options.reimport;
  if (uri.kind == Source::Kind::constant)
    im.uri_constant = uri.constant.as_string();
  else
    im.uri_parameter = "uri";
  detail::Binding b;
  b.port = "uri";
  b.source = std::move(uri);
  std::vector<detail::Binding> bs;
  bs.push_back(std::move(b));
  return add_task(c, std::move(bs));
}

void Pipeline::add_output(std::string name, const Source& source, bool artifact) {
  std::string where = state_->name + "/outputs/" + name;
  if (!ir::is_valid_port_name(name))
    throw DefinitionError({"kfpp.invalid_name", where, "'" + name + "' is not a valid output name",
                           "start with a letter or '_', then use letters, digits, '_' or '-'"});
  for (const auto& [n, s] : state_->output_sources)
    if (n == name)
      throw DefinitionError({"kfpp.duplicate_name", where,
                             "the pipeline already has an output called '" + name + "'",
                             "give each output its own name"});
  state_->check_source(source, where);
  if (source.kind != Source::Kind::task_output)
    throw DefinitionError({"kfpp.invalid_output", where,
                           "a pipeline output must come from a task",
                           "pass a task's output, e.g. task.output()"});
  const auto& producer = state_->tasks.at(source.task).component;
  if (artifact) {
    const auto* spec = producer.outputs.find_artifact(source.name);
    state_->outputs.artifacts.push_back({name, spec->type, false, false, {}});
  } else {
    const auto* spec = producer.outputs.find_parameter(source.name);
    state_->outputs.parameters.push_back({name, spec->type, std::nullopt, false, {}});
  }
  state_->output_sources.emplace_back(std::move(name), source);
}

ir::Pipeline Pipeline::ir() const& { return lower(*state_, false); }

ir::Pipeline Pipeline::ir() && { return lower(*state_, true); }

// Lowers the DSL's records into the IR; `steal` moves the component data out of a pipeline that
// is about to go away instead of copying it.
ir::Pipeline Pipeline::lower(detail::PipelineState& st, bool steal) {
  ir::Pipeline p;
  p.name = st.name;
  p.description = st.description;
  p.display_name = st.display_name;
  p.root.name = "root";
  p.root.inputs = st.inputs;
  p.root.outputs = st.outputs;
  auto& dag = p.root.dag.emplace();
  dag.tasks.reserve(st.tasks.size());
  p.components.reserve(st.tasks.size());
  p.executors.reserve(st.tasks.size());
  detail::UniqueNames component_names;
  for (auto& rec : st.tasks) {
    // Every task gets its own component and executor, named in the order tasks were added.
    std::string base = component_names.make("comp-" + detail::sanitize_name(rec.component.name));
    std::string suffix = base.substr(5);
    ir::Component comp;
    comp.name = base;
    comp.inputs = steal ? std::move(rec.component.inputs) : rec.component.inputs;
    comp.outputs = steal ? std::move(rec.component.outputs) : rec.component.outputs;
    comp.executor_label = "exec-" + suffix;
    ir::Executor exec = steal ? std::move(rec.component.executor) : rec.component.executor;
    exec.label = comp.executor_label;
    p.executors.push_back(std::move(exec));
    p.components.push_back(std::move(comp));

    ir::Task t;
    t.name = rec.name;
    if (!rec.display_name.empty()) t.display_name = rec.display_name;
    t.component_ref = base;
    t.enable_cache = rec.caching;
    for (const auto& b : rec.bindings) {
      const Source& s = b.source;
      if (s.kind == Source::Kind::task_output) t.dependent_tasks.push_back(st.tasks[s.task].name);
      if (b.artifact) {
        ir::ArtifactBinding ab;
        ab.name = b.port;
        if (s.kind == Source::Kind::pipeline_input) {
          ab.kind = ir::ArtifactBinding::Kind::component_input;
          ab.source = s.name;
        } else {
          ab.kind = ir::ArtifactBinding::Kind::task_output;
          ab.source = s.name;
          ab.producer_task = st.tasks[s.task].name;
        }
        t.artifacts.push_back(std::move(ab));
      } else {
        ir::ParameterBinding pb;
        pb.name = b.port;
        switch (s.kind) {
          case Source::Kind::constant:
            pb.kind = ir::ParameterBinding::Kind::constant;
            pb.constant = s.constant;
            break;
          case Source::Kind::pipeline_input:
            pb.kind = ir::ParameterBinding::Kind::component_input;
            pb.source = s.name;
            break;
          case Source::Kind::task_output:
            pb.kind = ir::ParameterBinding::Kind::task_output;
            pb.source = s.name;
            pb.producer_task = st.tasks[s.task].name;
            break;
        }
        t.parameters.push_back(std::move(pb));
      }
    }
    for (std::size_t a : rec.after) t.dependent_tasks.push_back(st.tasks[a].name);
    std::sort(t.dependent_tasks.begin(), t.dependent_tasks.end());
    t.dependent_tasks.erase(std::unique(t.dependent_tasks.begin(), t.dependent_tasks.end()),
                            t.dependent_tasks.end());
    dag.tasks.push_back(std::move(t));
  }
  for (const auto& [name, s] : st.output_sources) {
    ir::DagOutput o;
    o.name = name;
    o.is_artifact = st.outputs.find_artifact(name) != nullptr;
    o.producer_task = st.tasks[s.task].name;
    o.output_key = s.name;
    dag.outputs.push_back(std::move(o));
  }
  return p;
}

const std::string& TaskRef::name() const { return state_->tasks.at(id_).name; }

void TaskRef::add_after(const TaskRef& other) {
  if (other.state_ != state_)
    throw DefinitionError({"kfpp.foreign_value", state_->name + "/" + name() + "/after",
                           "after() names a task of another pipeline",
                           "wait only for tasks of the same pipeline"});
  if (other.id_ == id_)
    throw DefinitionError({"kfpp.cycle", state_->name + "/" + name() + "/after",
                           "a task cannot wait for itself", "remove the after() call"});
  state_->tasks.at(id_).after.push_back(other.id_);
}

void TaskRef::set_display_name(std::string text) {
  if (text.empty())
    throw DefinitionError({"kfpp.invalid_value", state_->name + "/" + name() + "/displayName",
                           "the display name is empty", "give a name, or do not set one"});
  state_->tasks.at(id_).display_name = std::move(text);
}

void TaskRef::set_caching(bool enabled) { state_->tasks.at(id_).caching = enabled; }

detail::Source TaskRef::output_source(std::string_view key) const {
  Source s;
  s.kind = Source::Kind::task_output;
  s.task = id_;
  s.name = std::string(key);
  s.owner = state_;
  return s;
}

}  // namespace kfpp
