// SPDX-License-Identifier: Apache-2.0
#include "kfpp/dsl/pipeline.hpp"

#include "format_rules.hpp"
#include "k8s_rules.hpp"
#include "python_signature.hpp"
#include "shared.hpp"
#include "state.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "kfpp/error.hpp"
#include "kfpp/ir/validate.hpp"

namespace kfpp {

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

namespace {

// A workspace size as the SDK accepts it: a decimal number without a sign or exponent, with an
// optional binary or decimal suffix (`1Gi`, `500M`, `1.5Ti`).
bool is_workspace_size(const std::string& s) {
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t from = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - from;
  };
  const std::size_t whole = digits();
  if (whole == 0 || (whole > 1 && s[0] == '0')) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  }
  const std::string suffix = s.substr(i);
  for (const char* ok : {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "K", "M", "G", "T", "P", "E"})
    if (suffix == ok) return true;
  return false;
}

}  // namespace

Pipeline& Pipeline::pipeline_root(std::string uri) {
  if (uri.empty())
    throw DefinitionError({"kfpp.invalid_value", state_->name + "/defaultPipelineRoot",
                           "the pipeline root is empty",
                           "give a URI such as gs://bucket/path, or set none"});
  state_->pipeline_root = std::move(uri);
  return *this;
}

Pipeline& Pipeline::config(const PipelineConfig& settings) {
  const std::string where = state_->name + "/pipelineConfig";
  auto check_seconds = [&](const char* field, std::int64_t v) {
    if (v < 0 || v > 2147483647)
      throw DefinitionError(
          {"kfpp.invalid_value", where + "/" + field,
           std::string(field) + " is " + std::to_string(v) + ", outside 0 to 2147483647",
           "give a number of seconds that fits in 32 bits, or 0 for none"});
  };
  check_seconds("resourceTtlOnCompletion", settings.ttl_seconds_after_finished);
  check_seconds("resourceTtlOnSuccess", settings.ttl_seconds_after_success);
  check_seconds("resourceTtlOnFailure", settings.ttl_seconds_after_failure);
  check_seconds("activeDeadlineSeconds", settings.active_deadline_seconds);
  ir::PipelineConfig c;
  c.resource_ttl_on_completion = settings.ttl_seconds_after_finished;
  c.resource_ttl_on_success = settings.ttl_seconds_after_success;
  c.resource_ttl_on_failure = settings.ttl_seconds_after_failure;
  c.active_deadline_seconds = settings.active_deadline_seconds;
  if (settings.workspace) {
    const auto& w = *settings.workspace;
    if (!is_workspace_size(w.size))
      throw DefinitionError({"kfpp.invalid_value", where + "/workspace/size",
                             "'" + w.size + "' is not a workspace size",
                             "give a quantity such as 500Mi, 1Gi or 10G"});
    if (!w.pvc_spec_patch.is_object())
      throw DefinitionError({"kfpp.invalid_value", where + "/workspace/kubernetes/pvcSpecPatch",
                             "the claim's spec patch must be an object",
                             "pass kfpp::Json::object({...})"});
    c.workspace = ir::WorkspaceConfig{w.size, w.pvc_spec_patch};
  }
  state_->config = std::move(c);
  return *this;
}

const std::string& Pipeline::name() const { return state_->name; }

// (Each binding made in place: a Binding is 272 bytes, and a task has one for each input.)
void Pipeline::bind_channel(std::vector<detail::Binding>& out, std::string_view port, bool artifact,
                            const detail::Source& source) {
  detail::Binding& b = out.emplace_back();
  b.port = std::string(port);
  b.artifact = artifact;
  b.source = source;
}

void Pipeline::bind_constant(std::vector<detail::Binding>& out, std::string_view port,
                             ir::Value value) {
  detail::Binding& b = out.emplace_back();
  b.port = std::string(port);
  b.source.constant = std::move(value);
}

void Pipeline::bind_template(std::vector<detail::Binding>& out, std::string_view port,
                             const Template& text) {
  if (text.channels().empty()) return bind_constant(out, port, ir::Value(text.pieces().front()));
  detail::Binding b;
  b.port = std::string(port);
  b.pieces = text.pieces();
  b.parts = text.channels();
  out.push_back(std::move(b));
}

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

Pipeline& Pipeline::describe_output(const std::string& output, std::string text) {
  for (auto& prm : state_->outputs.parameters)
    if (prm.name == output) {
      prm.description = std::move(text);
      return *this;
    }
  for (auto& a : state_->outputs.artifacts)
    if (a.name == output) {
      a.description = std::move(text);
      return *this;
    }
  throw DefinitionError({"kfpp.unknown_output", state_->name + "/outputs/" + output,
                         "the pipeline has no output called '" + output + "'",
                         "declare it with output(\"" + output + "\", ...) before describing it"});
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

Source Pipeline::add_artifact_input(std::string name, ir::ArtifactType type, bool list) {
  state_->check_new_input(name);
  ir::ArtifactSpec spec;
  spec.name = name;
  spec.type = std::move(type);
  spec.is_list = list;
  state_->inputs.artifacts.push_back(std::move(spec));
  Source s;
  s.kind = Source::Kind::pipeline_input;
  s.name = std::move(name);
  s.owner = state_;
  return s;
}

std::size_t Pipeline::add_task(const detail::ComponentData& component,
                               std::vector<detail::Binding> bs) {
  return add_task(detail::SharedComponent(component), std::move(bs));
}

std::size_t Pipeline::add_task(const detail::SharedComponent& handle,
                               std::vector<detail::Binding> bs) {
  std::shared_ptr<const detail::ComponentData> shared = detail::share(handle);
  const detail::ComponentData& component = *shared;
  detail::check_python_component(component);
  std::string base = detail::sanitize_name(component.name);
  if (base.empty())
    throw DefinitionError({"kfpp.invalid_name", state_->name + "/" + component.name,
                           "component name '" + component.name + "' has no letter or digit",
                           "name the component with letters and digits"});
  if (base.size() > 100) base.resize(100);
  while (!base.empty() && base.back() == '-') base.pop_back();
  std::string name = state_->task_names.make(base);
  for (const auto& b : bs) {
    const detail::Where where(state_->name, "/", name, "/inputs/", b.port);
    state_->check_source(b.source, where);
    detail::check_template_parts(*state_, b.parts, where);
  }
  // Made in place: a record is large.
  detail::TaskRecord& rec = state_->tasks.emplace_back();
  rec.name = std::move(name);
  rec.component = std::move(shared);
  rec.bindings = std::move(bs);
  rec.group = state_->current;
  state_->groups[state_->current].members.push_back({false, state_->tasks.size() - 1});
  return state_->tasks.size() - 1;
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
  if (source.kind != Source::Kind::task_output && source.kind != Source::Kind::oneof &&
      source.kind != Source::Kind::collected)
    throw DefinitionError({"kfpp.invalid_output", where, "a pipeline output must come from a task",
                           "pass a task's output, e.g. task.output()"});
  const Source& first = source.kind == Source::Kind::oneof
                            ? state_->groups[source.group].oneofs[source.task].front()
                            : source;
  const auto& producer = *state_->tasks.at(first.task).component;
  const bool list = source.kind == Source::Kind::collected;
  if (artifact) {
    const auto* spec = producer.outputs.find_artifact(first.name);
    state_->outputs.artifacts.push_back({name, spec->type, list, false, {}});
  } else {
    const auto* spec = producer.outputs.find_parameter(first.name);
    state_->outputs.parameters.push_back(
        {name, list ? ir::ParameterType::list : spec->type, std::nullopt, false, {}});
  }
  state_->output_sources.emplace_back(std::move(name), source);
}

ir::Pipeline Pipeline::ir() const& { return lower(*state_, false); }

ir::Pipeline Pipeline::ir() && {
  ir::Pipeline lowered = lower(*state_, true);
  // What is left of the records is of no use: free it before the IR is validated or written.
  delete std::exchange(state_, nullptr);
  return lowered;
}

void TaskRef::require_set() const {
  if (state_ == nullptr)
    throw DefinitionError({"kfpp.unset_task", "<task>", "the task handle was never assigned a task",
                           "assign it the result of p.add(...) before using it"});
}

const std::string& TaskRef::name() const {
  require_set();
  return state_->tasks.at(id_).name;
}

void TaskRef::add_after(const TaskRef& other) {
  require_set();
  other.require_set();
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
  require_set();
  if (text.empty())
    throw DefinitionError({"kfpp.invalid_value", state_->name + "/" + name() + "/displayName",
                           "the display name is empty", "give a name, or do not set one"});
  state_->tasks.at(id_).display_name = std::move(text);
}

void TaskRef::set_caching(bool enabled) {
  require_set();
  state_->tasks.at(id_).caching = enabled;
}

namespace {

detail::Where where_in(const PipelineState& st, std::size_t id, std::string_view what,
                       std::string_view name = {}) {
  return {st.name, "/", st.tasks.at(id).name, "/", what, name};
}

// Container settings apply to tasks that run a container.
detail::TaskRecord& container_task(PipelineState& st, std::size_t id, const detail::Where& where) {
  auto& rec = st.tasks.at(id);
  if (!rec.component->executor.container || rec.component->pipeline)
    throw DefinitionError({"kfpp.unsupported", where.str(),
                           "only a task that runs a container has resources, env, image and "
                           "retries",
                           "set them on the tasks inside the pipeline or importer"});
  return rec;
}

}  // namespace

void TaskRef::set_cache_key(std::string key) {
  require_set();
  const detail::Where where = where_in(*state_, id_, "cachingOptions/cacheKey");
  if (key.empty())
    throw DefinitionError(
        {"kfpp.invalid_value", where.str(), "the cache key is empty", "give a key, or set none"});
  state_->tasks.at(id_).cache_key = std::move(key);
}

void TaskRef::set_quantity(int which, const StringArg& value) {
  require_set();
  static constexpr const char* names[] = {"cpuRequest", "cpuLimit", "memoryRequest", "memoryLimit"};
  const detail::Where where =
      where_in(*state_, id_, "resources/", names[static_cast<std::size_t>(which)]);
  auto& rec = container_task(*state_, id_, where);
  state_->check_source(value.source(), where);
  if (value.is_constant()) {
    if (which < 2)
      (void)detail::check_cpu(value.text(), where);
    else
      (void)detail::check_memory(value.text(), where);
  }
  rec.quantities[static_cast<std::size_t>(which)] = value.source();
}

void TaskRef::set_accelerator(const StringArg& type, const CountArg& count) {
  require_set();
  const std::string where = where_in(*state_, id_, "resources/accelerator").str();
  auto& rec = container_task(*state_, id_, where);
  state_->check_source(type.source(), where + "/type");
  state_->check_source(count.source(), where + "/count");
  if (type.is_constant()) detail::check_token(type.text(), where + "/type", "accelerator type");
  const auto& c = count.source();
  if (c.kind == Source::Kind::constant && c.constant.as_int() < 0)
    throw DefinitionError(
        {"kfpp.invalid_value", where + "/count",
         "the accelerator count " + std::to_string(c.constant.as_int()) + " is negative",
         "ask for 0 or more accelerators"});
  rec.accelerator_type = type.source();
  rec.accelerator_count = c;
}

void TaskRef::set_env(std::string name, std::string value) {
  require_set();
  const std::string where = where_in(*state_, id_, "env/", name).str();
  auto& rec = container_task(*state_, id_, where);
  detail::check_env_name(name, where);
  for (auto& e : rec.env)
    if (e.name == name) {
      e.value = std::move(value);
      return;
    }
  rec.env.push_back({std::move(name), std::move(value)});
}

void TaskRef::set_image(const StringArg& image) {
  require_set();
  const std::string where = where_in(*state_, id_, "image").str();
  auto& rec = container_task(*state_, id_, where);
  state_->check_source(image.source(), where);
  if (image.is_constant()) detail::check_token(image.text(), where, "image reference");
  rec.image = image.source();
}

void TaskRef::set_retry(const RetryOptions& o) {
  require_set();
  const detail::Where where = where_in(*state_, id_, "retryPolicy");
  auto bad = [&](const char* field, std::string what, std::string fix) {
    throw DefinitionError(
        {"kfpp.invalid_value", (where / field).str(), std::move(what), std::move(fix)});
  };
  if (o.max_retries < 0)
    bad("maxRetryCount", "the retry count is negative", "give 0 or more retries");
  if (o.backoff_seconds < 0)
    bad("backoffDuration", "the backoff is negative", "give 0 or more seconds");
  if (!(o.backoff_factor >= 1.0) || !std::isfinite(o.backoff_factor))
    bad("backoffFactor", "the backoff factor is below 1",
        "give a factor of 1 (a fixed wait) or more");
  if (o.max_backoff_seconds < o.backoff_seconds)
    bad("backoffMaxDuration", "the longest backoff is shorter than the first",
        "give a max_backoff_seconds of at least backoff_seconds");
  ir::RetryPolicy r;
  r.max_retry_count = o.max_retries;
  r.backoff_duration = std::to_string(o.backoff_seconds) + "s";
  r.backoff_factor = o.backoff_factor;
  r.backoff_max_duration = std::to_string(o.max_backoff_seconds) + "s";
  state_->tasks.at(id_).retry = std::move(r);
}

void TaskRef::set_ignore_upstream_failure() {
  require_set();
  auto& rec = state_->tasks.at(id_);
  // As the SDK rules: an input fed by another task's output needs a default, because that
  // output is missing when the task failed.
  for (const auto& b : rec.bindings) {
    const bool from_task = b.source.kind == Source::Kind::task_output ||
                           b.source.kind == Source::Kind::collected ||
                           b.source.kind == Source::Kind::oneof;
    if (!from_task) continue;
    bool optional = false;
    if (const auto* prm = rec.component->inputs.find_parameter(b.port))
      optional = prm->is_optional || prm->default_value ||
                 prm->type == ir::ParameterType::task_final_status;
    else if (const auto* art = rec.component->inputs.find_artifact(b.port))
      optional = art->is_optional;
    if (optional) continue;
    std::string producer = b.source.kind == Source::Kind::oneof
                               ? state_->groups[b.source.group].name
                               : state_->tasks.at(b.source.task).name;
    throw DefinitionError(
        {"kfpp.upstream_input_without_default", where_in(*state_, id_, "inputs/", b.port).str(),
         "input '" + b.port + "' reads an output of task '" + producer +
             "' but has no default, so it has no value when that task fails",
         "give the component's input '" + b.port +
             "' a default (or make it optional), or do not ignore upstream failures"});
  }
  rec.ignore_upstream_failure = true;
}

detail::Source TaskRef::output_source(std::string_view key) const {
  require_set();
  Source s;
  s.kind = Source::Kind::task_output;
  s.task = id_;
  s.name = std::string(key);
  s.owner = state_;
  return s;
}

}  // namespace kfpp
