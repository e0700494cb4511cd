// SPDX-License-Identifier: Apache-2.0
// KFP IR → Argo Workflows. Each executor becomes a container template, each DAG component a DAG
// template; bindings become Argo variables in the DAG that calls the task.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "argo_lowering.hpp"
#include "ir/json_text.hpp"
#include "ir/validate_bounds.hpp"
#include "kfpp/compiler/kfp.hpp"
#include "kfpp/ir/validate.hpp"
#include "yaml_writer.hpp"

namespace kfpp {

namespace detail::argo {

// --- the workflow --------------------------------------------------------------------------

Node Lowering::workspace_claim() {
  // The claim KFP's backend creates for the workspace: the user's patch of the claim's spec, the
  // size as the storage request; Argo creates it with the workflow and deletes it after.
  const ir::WorkspaceConfig& ws = *p_.config->workspace;
  if (ws.size.empty())
    cx_.unsupported(p_.name + "/workspace", "the workspace has no size",
                    "give the workspace a size such as '10Gi'");
  Node claim = Node::map();
  claim.child("metadata").set("name", kWorkspaceVolume);
  Node spec = ws.pvc_spec_patch && ws.pvc_spec_patch->is_object() ? Node::from(*ws.pvc_spec_patch)
                                                                  : Node::map();
  if (!spec.find("accessModes")) spec.set("accessModes", Node::seq()).push("ReadWriteOnce");
  spec.child("resources").child("requests").set("storage", ws.size);
  claim.set("spec", std::move(spec));
  return claim;
}

Node Lowering::run() {
  find_loops(p_.root, false);
  find_metadata_reads();
  const std::string entry = dag_template(p_.root, true, p_.name);
  if (templates_.size() > kMaxTemplates)
    cx_.unsupported(p_.name,
                    "the workflow needs " + std::to_string(templates_.size()) +
                        " templates; Argo takes at most " + std::to_string(kMaxTemplates),
                    "use fewer distinct components (identical tasks share one template)",
                    "kfpp.argo_limit");

  const ArgoOptions& o = cx_.options;
  Node spec = Node::map();
  spec.set("entrypoint", entry);
  Node params = Node::seq();
  for (const auto& ps : p_.root.inputs.parameters) {
    Node a = Node::map();
    a.set("name", ps.name);
    if (ps.default_value) {
      const std::string v = ps.default_value->is_string() ? ps.default_value->as_string()
                                                          : ir::python_json_text(*ps.default_value);
      check_literal(cx_, v, p_.name + "/inputs/" + ps.name);
      a.set("value", v);
    }
    params.push(std::move(a));
  }
  // A pipeline input artifact is the key of an object in the artifact repository, given as a
  // parameter when the run is submitted (Argo artifacts cannot be set with `-p`); a list of
  // artifacts is the key prefix of a folder, one entry per artifact.
  for (const auto& as : p_.root.inputs.artifacts)
    params.push(Node::map()).set("name", as.name + "-key");
  if (cx_.uses_pipeline_root) {
    // KFP's pipeline root as text for the components that read it; the artifacts themselves go
    // to the workflow's artifact repository whatever its value.
    Node a = Node::map();
    a.set("name", kPipelineRootParameter);
    a.set("value", p_.default_pipeline_root.empty() ? std::string("minio://mlpipeline/v2/artifacts")
                                                    : p_.default_pipeline_root);
    params.push(std::move(a));
  }
  if (!params.empty()) spec.child("arguments").set("parameters", std::move(params));
  if (!o.service_account.empty()) spec.set("serviceAccountName", o.service_account);
  if (!o.artifact_repository_config_map.empty()) {
    Node& ref = spec.child("artifactRepositoryRef");
    ref.set("configMap", o.artifact_repository_config_map);
    if (!o.artifact_repository_key.empty()) ref.set("key", o.artifact_repository_key);
  }
  if (!pull_secrets_.empty()) {
    Node& l = spec.set("imagePullSecrets", Node::seq());
    for (const auto& n : pull_secrets_) l.push(Node::map()).set("name", n);
  }
  // The pipeline's own run settings apply where the options leave a field unset.
  ArgoTtl ttl_options = o.ttl;
  std::int64_t deadline = o.active_deadline_seconds;
  if (const auto& pc = p_.config) {
    if (deadline <= 0 && pc->active_deadline_seconds > 0) deadline = pc->active_deadline_seconds;
    auto from_config = [](std::int64_t& slot, std::int64_t v) {
      if (slot < 0 && v > 0) slot = v;
    };
    from_config(ttl_options.seconds_after_completion, pc->resource_ttl_on_completion);
    from_config(ttl_options.seconds_after_success, pc->resource_ttl_on_success);
    from_config(ttl_options.seconds_after_failure, pc->resource_ttl_on_failure);
    if (pc->workspace) spec.set("volumeClaimTemplates", Node::seq()).push(workspace_claim());
  }
  if (deadline > 0) spec.set("activeDeadlineSeconds", deadline);
  if (o.parallelism > 0) spec.set("parallelism", o.parallelism);
  if (ttl_options.seconds_after_completion >= 0 || ttl_options.seconds_after_success >= 0 ||
      ttl_options.seconds_after_failure >= 0) {
    Node& ttl = spec.child("ttlStrategy");
    if (ttl_options.seconds_after_completion >= 0)
      ttl.set("secondsAfterCompletion", ttl_options.seconds_after_completion);
    if (ttl_options.seconds_after_success >= 0)
      ttl.set("secondsAfterSuccess", ttl_options.seconds_after_success);
    if (ttl_options.seconds_after_failure >= 0)
      ttl.set("secondsAfterFailure", ttl_options.seconds_after_failure);
  }
  if (!o.pod_gc.empty()) spec.child("podGC").set("strategy", o.pod_gc);
  Node& list = spec.set("templates", Node::seq());
  for (auto& t : templates_) list.push(std::move(t));

  Node doc = Node::map();
  doc.set("apiVersion", "argoproj.io/v1alpha1");
  const char* kind = o.kind == ArgoKind::workflow            ? "Workflow"
                     : o.kind == ArgoKind::workflow_template ? "WorkflowTemplate"
                                                             : "CronWorkflow";
  doc.set("kind", kind);
  Node& md = doc.child("metadata");
  const std::string base = o.name.empty() ? p_.name : o.name;
  if (o.kind == ArgoKind::workflow && o.name.empty())
    md.set("generateName", dns_name(base, 57) + "-");
  else
    md.set("name", dns_name(base, o.kind == ArgoKind::cron_workflow ? 52 : 63));
  if (!o.namespace_.empty()) md.set("namespace", o.namespace_);
  Node labels = Node::map();
  for (const auto& [k, v] : o.labels) labels.set(k, v);
  if (!labels.empty()) md.set("labels", std::move(labels));
  Node annotations = Node::map();
  if (!p_.display_name.empty()) annotations.set("kfpp.dev/display-name", p_.display_name);
  if (!p_.description.empty()) annotations.set("kfpp.dev/description", p_.description);
  for (const auto& [k, v] : o.annotations) annotations.set(k, v);
  if (!annotations.empty()) md.set("annotations", std::move(annotations));

  if (o.kind == ArgoKind::cron_workflow) {
    Node cron = Node::map();
    Node& schedules = cron.set("schedules", Node::seq());
    for (const auto& sch : o.cron.schedules) schedules.push(sch);
    if (!o.cron.timezone.empty()) cron.set("timezone", o.cron.timezone);
    if (!o.cron.concurrency_policy.empty())
      cron.set("concurrencyPolicy", o.cron.concurrency_policy);
    if (o.cron.starting_deadline_seconds >= 0)
      cron.set("startingDeadlineSeconds", o.cron.starting_deadline_seconds);
    cron.set("workflowSpec", std::move(spec));
    doc.set("spec", std::move(cron));
  } else {
    doc.set("spec", std::move(spec));
  }
  return doc;
}

namespace {

// --- options -------------------------------------------------------------------------------

bool label_part_ok(const std::string& s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
      return false;
  return std::isalnum(static_cast<unsigned char>(s.front())) &&
         std::isalnum(static_cast<unsigned char>(s.back()));
}

bool label_key_ok(const std::string& key) {
  const std::size_t slash = key.find('/');
  if (slash == std::string::npos) return label_part_ok(key, 63);
  const std::string prefix = key.substr(0, slash);
  if (prefix.empty() || prefix.size() > 253 || prefix != dns_name(prefix, 253)) {
    // A prefix is a DNS subdomain: labels separated by dots.
    for (char c : prefix)
      if (!(std::islower(static_cast<unsigned char>(c)) ||
            std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.'))
        return false;
  }
  return label_part_ok(key.substr(slash + 1), 63);
}

void check_options(Context& cx, const std::string& where) {
  const ArgoOptions& o = cx.options;
  auto bad = [&](const std::string& field, const std::string& what, const std::string& fix) {
    cx.unsupported(where + "/" + field, what, fix, "kfpp.invalid_option");
  };
  for (const auto& [k, v] : o.labels) {
    if (!label_key_ok(k))
      bad("labels/" + k, "'" + k + "' is not a label key",
          "use [prefix/]name, name of at most 63 of [A-Za-z0-9-_.]");
    if (!v.empty() && !label_part_ok(v, 63))
      bad("labels/" + k, "'" + v + "' is not a label value",
          "use at most 63 of [A-Za-z0-9-_.], starting and ending alphanumeric");
  }
  for (const auto& [k, v] : o.annotations)
    if (!label_key_ok(k))
      bad("annotations/" + k, "'" + k + "' is not an annotation key", "use [prefix/]name");
  if (!o.namespace_.empty() && dns_name(o.namespace_, 63) != o.namespace_)
    bad("namespace", "'" + o.namespace_ + "' is not a namespace name", "use a DNS-1123 label");
  if (!o.pod_gc.empty() && o.pod_gc != "OnPodCompletion" && o.pod_gc != "OnPodSuccess" &&
      o.pod_gc != "OnWorkflowCompletion" && o.pod_gc != "OnWorkflowSuccess")
    bad("podGC", "unknown pod GC strategy '" + o.pod_gc + "'",
        "use OnPodCompletion, OnPodSuccess, OnWorkflowCompletion or OnWorkflowSuccess");
  if (o.collected_artifact_store != "s3" && o.collected_artifact_store != "gcs")
    bad("collectedArtifactStore", "unknown artifact store '" + o.collected_artifact_store + "'",
        "use s3 or gcs, the kind of the configured artifact repository");
  if (o.active_deadline_seconds < 0)
    bad("activeDeadlineSeconds", "a negative timeout", "use seconds > 0");
  if (o.parallelism < 0)
    bad("parallelism", "a negative parallelism", "use a count > 0, or 0 for none");
  if (o.kind != ArgoKind::cron_workflow) return;
  if (o.cron.schedules.empty())
    bad("cron/schedules", "a cron workflow without a schedule",
        "give a five-field cron expression");
  for (const auto& sch : o.cron.schedules) {
    int fields = 0;
    bool in = false;
    for (char c : sch) {
      if (c == ' ' || c == '\t') {
        in = false;
      } else if (!in) {
        in = true;
        ++fields;
      }
    }
    const bool macro = !sch.empty() && sch.front() == '@';
    if (!macro && fields != 5)
      bad("cron/schedules", "'" + sch + "' is not a five-field cron expression",
          "write minute hour day-of-month month day-of-week, e.g. '0 3 * * *'");
  }
  const std::string& cp = o.cron.concurrency_policy;
  if (!cp.empty() && cp != "Allow" && cp != "Forbid" && cp != "Replace")
    bad("cron/concurrencyPolicy", "unknown concurrency policy '" + cp + "'",
        "use Allow, Forbid or Replace");
}

// A component without the tasks of its DAG when they are more than one Argo DAG takes: the split
// copies them into its parts from the caller's pipeline instead. The binding names every field
// of ir::Component and ir::Dag, so a new field stops this compiling until it is copied too.
ir::Component rewritable_component(const ir::Component& from) {
  if (!from.dag || from.dag->tasks.size() <= kMaxDagTasks) return from;
  const auto& [name, inputs, outputs, executor_label, dag] = from;
  const auto& [tasks, dag_outputs] = *dag;
  static_cast<void>(tasks);
  return ir::Component{.name = name,
                       .inputs = inputs,
                       .outputs = outputs,
                       .executor_label = executor_label,
                       .dag = ir::Dag{.tasks = {}, .outputs = dag_outputs}};
}

// Whether integer_parameters_as_integers may rewrite the component's interface.
bool has_integer_default(const ir::Component& c) {
  return std::any_of(c.inputs.parameters.begin(), c.inputs.parameters.end(), [](const auto& ps) {
    return ps.type == ir::ParameterType::number_integer && ps.default_value;
  });
}

// The pipeline as the lowering rewrites it (DAGs split, integer parameters made integers): a copy
// of the DAG components (without the tasks of the DAGs to split) and of the leaf components whose
// integer defaults change. The binding names every field of ir::Pipeline, so a new field stops
// this compiling until it is copied too.
Rewritable rewritable_copy(const ir::Pipeline& from) {
  const auto& [name, display_name, description, sdk_version, schema_version, default_pipeline_root,
               components, executors, root, config] = from;
  static_cast<void>(executors);
  Rewritable r{ir::Pipeline{.name = name,
                            .display_name = display_name,
                            .description = description,
                            .sdk_version = sdk_version,
                            .schema_version = schema_version,
                            .default_pipeline_root = default_pipeline_root,
                            .components = {},
                            .executors = {},
                            .root = rewritable_component(root),
                            .config = config},
               from,
               std::vector<std::size_t>(components.size(), Rewritable::npos),
               {}};
  for (std::size_t i = 0; i < components.size(); ++i) {
    const ir::Component& c = components[i];
    if (!c.dag && !has_integer_default(c)) continue;
    r.copy_of[i] = r.p.components.size();
    r.origin.push_back(i);
    r.p.components.push_back(rewritable_component(c));
  }
  return r;
}

}  // namespace
}  // namespace detail::argo

namespace {

// emit_argo once the pipeline is known to be within bounds (by check_bounds, or by ir::validate,
// which checks them first).
std::string emit_bounded(const ir::Pipeline& pipeline, const ArgoOptions& options) {
  detail::argo::Rewritable r = detail::argo::rewritable_copy(pipeline);
  const ir::Pipeline& p = r.p;
  detail::argo::Context cx{p, options, {}};
  detail::argo::check_options(cx, p.name + "/argo");
  const detail::argo::IntegerInputs integers(pipeline);
  detail::argo::integer_parameters_as_integers(r.p, integers);
  detail::argo::split_large_dags(cx, r, integers);
  detail::Node doc;
  if (cx.problems.empty()) {
    detail::argo::Lowering lowering(cx, p, r.components(), pipeline.executors);
    doc = lowering.run();
  }
  if (!cx.problems.empty()) throw ValidationError(std::move(cx.problems));
  detail::YamlWriter w;
  // Most of the document is the DAGs' tasks, already written: reserved at once, it is not
  // copied again each time the output doubles.
  w.reserve(doc.text_size() + doc.text_size() / 8);
  doc.write(w);
  std::string text = w.take();
  if (options.max_object_bytes != 0 && text.size() > options.max_object_bytes) {
    const auto mib = [](std::size_t b) {
      return std::to_string(b / 1048576) + "." + std::to_string(b % 1048576 * 10 / 1048576);
    };
    throw ValidationError(
        {{"kfpp.argo_too_large", p.name + "/argo",
          "the Argo resource is " + std::to_string(text.size()) + " bytes (" + mib(text.size()) +
              " MiB), over the " + std::to_string(options.max_object_bytes) +
              "-byte limit of one Kubernetes object (etcd's request limit)",
          "split the pipeline into smaller ones, move large inline text (Python "
          "sources, scripts) into images or artifacts, or raise the limit "
          "(ArgoOptions::max_object_bytes, kfpp convert --max-bytes) when the "
          "cluster's etcd accepts larger requests"}});
  }
  return text;
}

}  // namespace

std::string emit_argo(const ir::Pipeline& pipeline, const ArgoOptions& options) {
  // The lowering descends into nested DAGs: refuse component cycles and runaway nesting first.
  std::vector<Diagnostic> bounds;
  if (!kfpp::detail::check_bounds(pipeline, bounds)) throw ValidationError(std::move(bounds));
  return emit_bounded(pipeline, options);
}

std::string compile_argo(const ir::Pipeline& pipeline, const ArgoOptions& options) {
  ir::validate(pipeline);
  return emit_bounded(pipeline, options);
}

void compile_argo_to_file(const ir::Pipeline& pipeline, const ArgoOptions& options,
                          const std::string& path) {
  write_file_atomically(path, compile_argo(pipeline, options));
}

}  // namespace kfpp
