// SPDX-License-Identifier: Apache-2.0
// Argo lowering: the steps that are not a component's container: importers and the
// CreatePVC / DeletePVC resource templates.

#include <set>
#include <string>

#include "ir/json_text.hpp"

#include "argo_lowering.hpp"

namespace kfpp::detail::argo {

std::string Lowering::importer_template(const Scope& s, const ir::Task& t, const ir::Component& c,
                                        const ir::ImporterSpec& imp, Call& call) {
  const std::string path = s.path + "/" + t.name;
  std::string uri = imp.uri_constant;
  const bool to_workspace = imp.download_to_workspace;
  if (to_workspace && (!p_.config || !p_.config->workspace))
    cx_.unsupported(path, "the importer downloads into the workspace, but the pipeline has none",
                    "give the pipeline a workspace (PipelineConfig.workspace)");
  std::string scheme_source;  // the URI whose scheme decides the artifact's kind
  bool runtime = false;
  if (uri.empty()) {
    const ParameterBinding* b = t.find_parameter(imp.uri_parameter);
    // Text made from channels (an f-string) is a URI known at run time, with its own scheme.
    const bool text = b && b->kind == ParameterBinding::Kind::constant && b->constant.is_string() &&
                      b->constant.as_string().find("{{$.inputs.parameters[") != std::string::npos;
    if (b && b->kind == ParameterBinding::Kind::constant && b->constant.is_string() && !text) {
      uri = b->constant.as_string();
    } else if (b) {
      runtime = true;
      // A URI given at run time keeps the scheme of its default.
      const ir::ParameterSpec* ps = binding_type(s, *b);
      if (text)
        scheme_source = b->constant.as_string();
      else if (s.root && ps && ps->default_value && ps->default_value->is_string())
        scheme_source = ps->default_value->as_string();
      call.parameter("uri", param_ref(s, t, *b, path + "/inputs/uri"));
    }
  }
  if (!runtime) scheme_source = uri;
  if (!check_literal(cx_, uri, path + "/uri")) return {};
  auto known = [](const std::string& sc) {
    return sc == "gs" || sc == "s3" || sc == "http" || sc == "https";
  };
  std::string scheme = scheme_source.substr(0, scheme_source.find("://"));
  if (runtime && (scheme_source.find("://") == std::string::npos || !known(scheme))) {
    // A URI read at run time with no scheme known now (a task output, a parameter without a
    // default): a `scheme://bucket/key` of the kind of the workflow's artifact repository.
    scheme = cx_.options.collected_artifact_store == "gcs" ? "gs" : "s3";
  } else if (scheme_source.find("://") == std::string::npos || !known(scheme)) {
    cx_.unsupported(path + "/uri", "the importer URI '" + uri + "' has no Argo artifact kind",
                    "use a gs://, s3:// or http(s):// URI");
    return {};
  }
  const std::string out_name =
      c.outputs.artifacts.empty() ? std::string("artifact") : c.outputs.artifacts[0].name;
  const std::string local = input_path(out_name);

  Node tmpl = Node::map();
  Node& inputs = tmpl.child("inputs");
  std::set<std::string> declared;  // the template's input parameters
  if (runtime) {
    inputs.child("parameters", Node::Kind::seq).push(Node::map()).set("name", "uri");
    declared.insert("uri");
  }
  Node& art = inputs.child("artifacts", Node::Kind::seq).push(Node::map());
  art.set("name", out_name);
  art.set("path", local);
  const std::string value = runtime ? "inputs.parameters['uri']" : "";
  auto part = [&](int which) -> std::string {
    // which 1: bucket, 2: key
    if (!runtime) {
      const std::string rest = uri.substr(uri.find("://") + 3);
      const std::size_t slash = rest.find('/');
      if (which == 1) return rest.substr(0, slash);
      return slash == std::string::npos ? std::string() : rest.substr(slash + 1);
    }
    return "{{=sprig.regexReplaceAll('^[a-z0-9]+://([^/]*)/?(.*)$', " + value + ", '${" +
           std::to_string(which) + "}')}}";
  };
  if (scheme == "http" || scheme == "https") {
    art.child("http").set("url", runtime ? "{{inputs.parameters.uri}}" : uri);
  } else {
    Node& loc = art.child(scheme == "gs" ? "gcs" : "s3");
    loc.set("bucket", part(1));
    loc.set("key", part(2));
  }
  Node& outs = tmpl.child("outputs");
  Node& oa = outs.child("artifacts", Node::Kind::seq).push(Node::map());
  oa.set("name", out_name);
  oa.set("path", local);
  if (imp.metadata) {
    // Argo has no metadata store; the importer keeps its metadata as an output parameter.
    std::string json = ir::python_json_text(*imp.metadata);
    // Metadata read at run time (the SDK's `metadata`, `metadata-2` inputs): each input becomes
    // a template input, and its placeholder Argo's variable of it.
    static const std::string open = "{{$.inputs.parameters['";
    for (std::size_t at = json.find(open); at != std::string::npos; at = json.find(open, at)) {
      const std::size_t end = json.find("']}}", at + open.size());
      const std::string name = end == std::string::npos
                                   ? std::string()
                                   : json.substr(at + open.size(), end - at - open.size());
      const ParameterBinding* b = name.empty() ? nullptr : t.find_parameter(name);
      if (!b) {
        cx_.unsupported(path + "/metadata",
                        "the importer's metadata reads an input it does not have",
                        "bind every input the metadata's placeholders name");
        return {};
      }
      const std::string var = "{{inputs.parameters." + name + "}}";
      json.replace(at, end + 4 - at, var);
      at += var.size();
      if (declared.insert(name).second) {
        // `inputs` may have moved since outputs were added to the template: look it up again.
        tmpl.child("inputs")
            .child("parameters", Node::Kind::seq)
            .push(Node::map())
            .set("name", name);
        call.parameter(name, param_ref(s, t, *b, path + "/inputs/" + name));
      }
    }
    Node& op = outs.child("parameters", Node::Kind::seq).push(Node::map());
    op.set("name", out_name + "-metadata");
    op.set("value", json);
  }
  Node& container = tmpl.child("container");
  container.set("image", cx_.options.utility_image);
  Node& cmd = container.set("command", Node::seq());
  cmd.push("sh");
  cmd.push("-c");
  if (!to_workspace) {
    cmd.push("test -e \"$0\"");
    container.set("args", Node::seq()).push(local);
  } else {
    // Also a copy in the workspace, where KFP's importer puts it:
    // /kfp-workspace/.artifacts/<gcs|s3|…>/<bucket>/<key>.
    cmd.push(std::string("test -e \"$0\"\n") + "dest=\"" + kWorkspacePath +
             "/.artifacts/$(printf '%s' \"$1\" | sed -e 's,^gs://,gcs/,' -e "
             "'s,^\\([a-z0-9]*\\)://,\\1/,')\"\n"
             "mkdir -p \"$(dirname \"$dest\")\"\ncp -R \"$0\" \"$dest\"\n");
    Node& args = container.set("args", Node::seq());
    args.push(local);
    args.push(runtime ? std::string("{{inputs.parameters.uri}}") : uri);
    mount_workspace(tmpl);
  }
  return add_template(std::move(tmpl), short_name(c.name), true);
}

std::string Lowering::resource_template(const Scope& s, const ir::Task& t, const ir::Component& c,
                                        const ir::ContainerSpec& spec, Call& call) {
  const std::string path = s.path + "/" + t.name;
  const bool create = spec.image == "argostub/createpvc";
  Node tmpl = Node::map();
  // An input's value in the manifest: JSON of a constant, or the Argo variable of a run-time
  // value (strings quoted, structures as their JSON).
  auto value = [&](const std::string& name, bool& set) -> std::string {
    const ParameterBinding* b = t.find_parameter(name);
    const ir::ParameterSpec* ps = c.inputs.find_parameter(name);
    set = true;
    if (b && b->kind == ParameterBinding::Kind::constant) {
      std::string out;
      if (b->constant.is_string()) {
        if (b->constant.as_string().empty()) set = false;
        check_literal(cx_, b->constant.as_string(), path + "/inputs/" + name);
        detail::append_json_string(out, b->constant.as_string());
      } else {
        out = ir::python_json_text(b->constant);
      }
      return out;
    }
    if (!b) {
      if (ps && ps->default_value &&
          !(ps->default_value->is_string() && ps->default_value->as_string().empty()))
        return ir::python_json_text(*ps->default_value);
      set = false;
      return {};
    }
    tmpl.child("inputs").child("parameters", Node::Kind::seq).push(Node::map()).set("name", name);
    call.parameter(name, param_ref(s, t, *b, path + "/inputs/" + name));
    const std::string ref = "{{inputs.parameters." + name + "}}";
    return ps && ps->type == ir::ParameterType::string ? "\"" + ref + "\"" : ref;
  };
  std::string manifest = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n";
  bool set = false;
  if (create) {
    const std::string name = value("pvc_name", set);
    const bool has_name = set;
    const std::string suffix = value("pvc_name_suffix", set);
    if (has_name && set)
      cx_.unsupported(path, "both pvc_name and pvc_name_suffix are given",
                      "give at most one of them");
    if (has_name) {
      manifest += "  name: " + name + "\n";
    } else if (set) {
      // KFP puts a fresh id before the suffix; the step's pod name is unique to this run of it.
      std::string raw = suffix;
      if (raw.size() >= 2 && raw.front() == '"') raw = raw.substr(1, raw.size() - 2);
      manifest += "  name: \"{{pod.name}}" + raw + "\"\n";
    } else {
      manifest += "  generateName: pvc-\n";
    }
    std::string annotations = value("annotations", set);
    if (set) manifest += "  annotations: " + annotations + "\n";
    manifest += "spec:\n";
    manifest += "  accessModes: " + value("access_modes", set) + "\n";
    manifest += "  resources:\n    requests:\n      storage: " + value("size", set) + "\n";
    const std::string sc = value("storage_class_name", set);
    if (set) manifest += "  storageClassName: " + sc + "\n";
    const std::string vn = value("volume_name", set);
    if (set) manifest += "  volumeName: " + vn + "\n";
    const std::string ds = value("data_source", set);
    if (set) manifest += "  dataSource: " + ds + "\n";
    Node& out = tmpl.child("outputs").child("parameters", Node::Kind::seq).push(Node::map());
    out.set("name", "name");
    out.child("valueFrom").set("jsonPath", "{.metadata.name}");
  } else {
    manifest += "  name: " + value("pvc_name", set) + "\n";
  }
  Node& res = tmpl.child("resource");
  res.set("action", create ? "create" : "delete");
  res.set("manifest", manifest);
  return add_template(std::move(tmpl), short_name(c.name), true);
}

namespace {

// The container of a small step: `sh -c script [arg]` in `image`, with the outputs directory
// (an emptyDir) mounted for the files its output parameters read.
void utility_container(Node& tmpl, const std::string& image, std::string script, const char* arg) {
  Node& container = tmpl.child("container");
  container.set("image", image);
  Node& cmd = container.set("command", Node::seq());
  cmd.push("sh");
  cmd.push("-c");
  cmd.push(std::move(script));
  if (arg) cmd.push(arg);
  Node m = Node::map();
  m.set("name", "kfpp-outputs");
  m.set("mountPath", kOutputsDir);
  container.child("volumeMounts", Node::Kind::seq).push(std::move(m));
  Node v = Node::map();
  v.set("name", "kfpp-outputs");
  v.set("emptyDir", Node::map());
  tmpl.child("volumes", Node::Kind::seq).push(std::move(v));
}

}  // namespace

std::string Lowering::list_keys_template() {
  // The list's prefix downloaded as a directory (optional: a loop that ran no iteration stored
  // nothing, and lists no key); its entries' names as a JSON list.
  Node tmpl = Node::map();
  Node& inputs = tmpl.child("inputs");
  inputs.child("parameters", Node::Kind::seq).push(Node::map()).set("name", "key");
  Node a = Node::map();
  a.set("name", "list");
  a.set("path", input_path("list"));
  a.set("optional", true);
  a.child(cx_.options.collected_artifact_store == "gcs" ? "gcs" : "s3")
      .set("key", "{{inputs.parameters.key}}");
  inputs.child("artifacts", Node::Kind::seq).push(std::move(a));
  Node o = Node::map();
  o.set("name", "keys");
  o.child("valueFrom").set("path", output_path("keys"));
  tmpl.child("outputs").child("parameters", Node::Kind::seq).push(std::move(o));
  utility_container(tmpl, cx_.options.utility_image,
                    list_keys_script(input_path("list"), output_path("keys")), nullptr);
  return add_template(std::move(tmpl), "kfpp-list-keys", true);
}

std::string Lowering::iteration_template() {
  // The pod's name, unique to this run of the DAG, written as the output `id`.
  Node tmpl = Node::map();
  Node o = Node::map();
  o.set("name", "id");
  o.child("valueFrom").set("path", output_path("id"));
  tmpl.child("outputs").child("parameters", Node::Kind::seq).push(std::move(o));
  utility_container(tmpl, cx_.options.utility_image, iteration_script(output_path("id")),
                    "{{pod.name}}");
  return add_template(std::move(tmpl), "kfpp-iteration", true);
}

std::string iteration_script(const std::string& out) {
  return "printf '%s' \"$0\" > '" + out + "'\n";
}

std::string list_keys_script(const std::string& dir, const std::string& out) {
  return "out=''\n"
         "for f in '" +
         dir +
         "'/*; do\n"
         "  [ -e \"$f\" ] || continue\n"
         "  out=\"$out${out:+, }\\\"${f##*/}\\\"\"\n"
         "done\n"
         "printf '[%s]' \"$out\" > '" +
         out + "'\n";
}

}  // namespace kfpp::detail::argo
