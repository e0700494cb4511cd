// SPDX-License-Identifier: Apache-2.0
// Argo lowering: a leaf task's template and its call. The task's facts (what its container
// template depends on) are found with its arguments; the template is built once per distinct
// facts, found by key for every other task like it.

#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "ir/json_text.hpp"
#include "text_memo.hpp"

#include "argo_lowering.hpp"

namespace kfpp::detail::argo {

namespace {

// A number as its bytes: of fixed width, so that no two sequences of fields give the same key.
template <class Number>
void put_bytes(std::string& key, Number n) {
  char bytes[sizeof n];
  std::memcpy(bytes, &n, sizeof bytes);
  key.append(bytes, sizeof bytes);
}

void put(std::string& key, std::size_t n) { put_bytes(key, n); }

// Appends text, its length first.
void put(std::string& key, std::string_view text) {
  put(key, text.size());
  key += text;
}

// A name without the suffix `-<n>` the SDK gives a component added again (`comp-work-2`).
std::string_view name_stem(std::string_view name) {
  std::size_t end = name.size();
  while (end > 0 && name[end - 1] >= '0' && name[end - 1] <= '9') --end;
  if (end < name.size() && end > 1 && name[end - 1] == '-') return name.substr(0, end - 1);
  return name;
}

// How many shapes a name stem keeps: a few, so that components named alike with different
// texts cost a few comparisons each, not one per shape.
constexpr std::size_t kStemShapes = 4;

}  // namespace

std::size_t Lowering::shape(const ir::Component& c, const ir::Executor& exec) {
  auto [known, made] = shape_of_.try_emplace(&c, shapes_.size());
  if (!made) return known->second;
  // Kubernetes settings are not compared: an executor with them is a shape of its own.
  if (!exec.kubernetes) {
    auto same = [&](std::size_t shape) {
      const auto& [other, other_exec] = shapes_[shape];
      return !other_exec->kubernetes && same_text(other->inputs, c.inputs) &&
             same_text(other->outputs, c.outputs) &&
             same_text(*other_exec->container, *exec.container);
    };
    // The shapes of the components named like this one are compared first, which spares most
    // components the hash of their whole text.
    std::vector<std::size_t>& near = shapes_by_stem_[name_stem(c.name)];
    for (const std::size_t shape : near)
      if (same(shape)) return known->second = shape;
    std::size_t hash = text_hash(c.inputs);
    hash = hash * 31 + text_hash(c.outputs);
    hash = hash * 31 + text_hash(*exec.container);
    auto [lo, hi] = shapes_by_hash_.equal_range(hash);
    for (auto it = lo; it != hi; ++it) {
      if (!same(it->second)) continue;
      if (near.size() < kStemShapes) near.push_back(it->second);
      return known->second = it->second;
    }
    shapes_by_hash_.emplace(hash, shapes_.size());
    if (near.size() < kStemShapes) near.push_back(shapes_.size());
  }
  shapes_.emplace_back(&c, &exec);
  return known->second;
}

bool Lowering::shape_reads_metadata(std::size_t shape, const ir::Component& c, std::size_t input) {
  // The same for every component of the shape: it reads only the interface and the container.
  if (shape_reads_metadata_.size() <= shape) shape_reads_metadata_.resize(shape + 1);
  std::vector<signed char>& reads = shape_reads_metadata_[shape];
  if (reads.empty()) reads.assign(c.inputs.artifacts.size(), -1);
  if (reads[input] < 0) {
    const ir::ArtifactSpec& spec = c.inputs.artifacts[input];
    reads[input] = !spec.is_list && leaf_reads_metadata(c, spec.name) ? 1 : 0;
  }
  return reads[input] == 1;
}

void Lowering::template_key(const LeafFacts& f, std::string& key) {
  // Every field of the facts, named by the binding: a new field stops this compiling until the
  // key writes it too.
  const auto& [shape, parameters, artifacts, collected, metadata_out, iteration, retry,
               enable_cache, cache_key] = f;
  key.clear();
  put(key, shape);
  put(key, parameters.size());
  for (const auto& p : parameters) {
    put(key, p.name);
    key += p.inlined ? '+' : '-';
    if (p.inlined) put(key, *p.inlined);
  }
  put(key, artifacts.size());
  for (const auto& a : artifacts) {
    key += static_cast<char>('a' + static_cast<int>(a.form));
    put(key, a.key);
  }
  put(key, collected.size());
  for (const auto* prefixes : collected) {
    key += prefixes ? '+' : '-';
    if (!prefixes) continue;
    put(key, prefixes->size());
    for (const auto& prefix : *prefixes) put(key, prefix);
  }
  put(key, metadata_out.size());
  for (const bool read : metadata_out) key += read ? '+' : '-';
  key += iteration ? '+' : '-';
  if (iteration) {
    put(key, iteration->size());
    for (const auto& param : *iteration) put(key, param);
  }
  key += retry ? '+' : '-';
  if (retry) {
    const auto& [max_retry_count, backoff_duration, backoff_factor, backoff_max_duration] = *retry;
    put_bytes(key, max_retry_count);
    put(key, backoff_duration);
    // The factor's bits: -0.0 and 0.0, written differently, are different keys.
    put_bytes(key, backoff_factor);
    put(key, backoff_max_duration);
  }
  key += enable_cache ? '+' : '-';
  put(key, cache_key);
}

void Lowering::leaf_facts(const Scope& s, const ir::Task& t, const ir::Component& c,
                          const std::string& path, Call& call, LeafFacts& f) {
  f.parameters.clear();
  f.artifacts.clear();
  f.collected.clear();
  f.metadata_out.clear();
  f.iteration = nullptr;
  f.retry = nullptr;
  f.shape = shape(c, *executor(c.executor_label));
  // Room for the arguments most calls have: one a binding.
  call.parameters.reserve(t.parameters.size());
  call.artifacts.reserve(c.inputs.artifacts.size());
  // Parameters: every binding of the task (pipeline channels used by settings included).
  for (const auto& b : t.parameters) {
    if (is_absent(s, b)) continue;
    if (b.kind == ParameterBinding::Kind::constant && reads_task_id(b.constant)) {
      // The task id is known inside the pod only: the pod's name, unique to this run of it.
      f.parameters.push_back(
          {b.name, constant_text(cx_, b.constant, t.display_name.empty() ? t.name : t.display_name,
                                 path + "/inputs/" + b.name, "{{pod.name}}")});
      continue;
    }
    f.parameters.push_back({b.name, std::nullopt});
    // The input's path, for problems only: written into a buffer kept from binding to binding.
    input_path_.assign(path).append("/inputs/").append(b.name);
    std::string value = param_ref(s, t, b, input_path_);
    // A task that runs after its upstream failed takes the input's default when the output it
    // reads was never produced.
    const ir::ParameterSpec* own = c.inputs.find_parameter(b.name);
    if (t.trigger_strategy == "ALL_UPSTREAM_TASKS_COMPLETED" &&
        b.kind == ParameterBinding::Kind::task_output && own && own->default_value &&
        !value.empty()) {
      std::string fallback;
      detail::append_json_string(fallback, own->default_value->is_string()
                                               ? own->default_value->as_string()
                                               : ir::python_json_text(*own->default_value));
      value = "{{=tasks['" + b.producer_task + "'].status == 'Succeeded' ? tasks['" +
              b.producer_task + "'].outputs.parameters['" + b.source + "'] : " + fallback + "}}";
    }
    call.parameter(b.name, std::move(value));
  }

  using Form = LeafFacts::Artifact::Form;
  f.artifacts.reserve(c.inputs.artifacts.size());
  for (std::size_t i = 0; i < c.inputs.artifacts.size(); ++i) {
    const ir::ArtifactSpec& as = c.inputs.artifacts[i];
    LeafFacts::Artifact& fact = f.artifacts.emplace_back();
    const ArtifactBinding* b = t.find_artifact(as.name);
    if (!b || (b->kind == ArtifactBinding::Kind::component_input && s.absent.count(b->source)))
      continue;
    if (std::string key = list_key(s, *b); !key.empty()) {
      // The list's key prefix, downloaded as a directory: a key the DAG knows at run time (its
      // own list input, the pipeline's, or its run's id step) is a template input the caller
      // gives.
      if (key.find("{{inputs.") != std::string::npos || key.find("{{tasks.") != std::string::npos ||
          key.find("{{workflow.parameters.") != std::string::npos) {
        fact.form = Form::list_key_input;
        call.parameter(as.name + "-key", std::move(key));
      } else {
        fact.form = Form::list_key;
        fact.key = std::move(key);
      }
      continue;
    }
    if (as.is_list) {
      fact.form = Form::list_refused;
      const std::string why = list_refusal(s, *b);
      if (!why.empty())
        cx_.unsupported(path + "/inputs/" + as.name, why,
                        "read the inner loop's output in the DAG that runs the loop, or "
                        "collect it outside the outer loop");
      else
        cx_.unsupported(path + "/inputs/" + as.name,
                        "a list of artifacts that is not collected from a loop has no Argo form",
                        "collect the list from a loop in the same DAG");
      continue;
    }
    fact.form = Form::file;
    if (b->kind == ArtifactBinding::Kind::component_input) {
      if (s.root)
        call.artifacts.push_back(pipeline_input_artifact(as.name, b->source));
      else
        call.artifact(as.name, "{{inputs.artifacts." + b->source + "}}");
    } else {
      if (!task_in(*s.dag->dag, b->producer_task)) {
        cx_.unsupported(path + "/inputs/" + as.name,
                        "reads task '" + b->producer_task + "', which is not in the same DAG",
                        "pass the artifact through the DAG's inputs");
        continue;
      }
      call.artifact(as.name,
                    cat({"{{tasks.", b->producer_task, ".outputs.artifacts.", b->source, "}}"}));
    }
    // The metadata its producer wrote, for a container that reads it: a template input.
    if (!shape_reads_metadata(f.shape, c, i)) continue;
    std::string metadata = metadata_ref(s, *b);
    if (metadata == "{}") continue;
    fact.form = Form::file_with_metadata;
    call.parameter(as.name + "-metadata", std::move(metadata));
  }

  f.collected.reserve(c.outputs.artifacts.size());
  for (const auto& as : c.outputs.artifacts) {
    auto it =
        collected_.empty() ? collected_.end() : collected_.find({s.dag->name, t.name, as.name});
    f.collected.push_back(it == collected_.end() ? nullptr : &it->second);
  }
  f.metadata_out.reserve(c.outputs.artifacts.size());
  for (const auto& as : c.outputs.artifacts)
    f.metadata_out.push_back(!metadata_out_.empty() && metadata_out_.count({c.name, as.name}));
  // The run ids of the DAGs above whose lists these output keys read.
  if (auto it = leaf_iteration_.empty() ? leaf_iteration_.end()
                                        : leaf_iteration_.find({s.dag->name, t.name});
      it != leaf_iteration_.end()) {
    f.iteration = &it->second;
    for (const auto& param : it->second) call.parameter(param, iteration_ref(s, param));
  }
  if (t.retry_policy && t.retry_policy->max_retry_count > 0) f.retry = &*t.retry_policy;
  f.enable_cache = t.enable_cache.value_or(false);
  f.cache_key = t.cache_key;
}

std::string Lowering::leaf_template(const Scope& s, const ir::Task& t, const ir::Component& c,
                                    Call& call) {
  const std::string path = cat({s.path, "/", t.name});
  const ir::Executor* exec = executor(c.executor_label);
  if (!exec) return {};
  if (exec->importer) return importer_template(s, t, c, *exec->importer, call);
  const ir::ContainerSpec& spec = *exec->container;
  if (spec.image == "argostub/createpvc" || spec.image == "argostub/deletepvc")
    return resource_template(s, t, c, spec, call);

  LeafFacts& facts = facts_;
  leaf_facts(s, t, c, path, call, facts);
  template_key(facts, key_);
  auto known = leaf_templates_.find(key_);
  const bool made = known == leaf_templates_.end();
  if (made) known = leaf_templates_.emplace(key_, LeafTemplate{}).first;
  if (!made && known->second.shared) return known->second.name;

  // Built for this task: the first with these facts, or one whose template also reads the task
  // (or reports problems, then reported for each task).
  bool read_task = false;
  const TaskReads reads{[&]() -> const std::string& {
                          read_task = true;
                          return c.name;
                        },
                        [&](const std::string& name, const ParameterBinding& b) {
                          read_task = true;
                          call.parameter(name, param_ref(s, t, b, path + "/kubernetes"));
                        },
                        [&](const ParameterBinding& b) {
                          read_task = true;
                          const ir::ParameterSpec* ps = binding_type(s, b);
                          return ps && ps->type == ir::ParameterType::list;
                        }};
  const std::size_t problems = cx_.problems.size();
  std::optional<Node> tmpl = container_template(c.inputs, c.outputs, *exec, facts, path, reads);
  std::string name =
      tmpl ? add_template(std::move(*tmpl), short_name(c.name), true) : std::string();
  if (made) known->second = {name, !read_task && cx_.problems.size() == problems};
  return name;
}

}  // namespace kfpp::detail::argo
