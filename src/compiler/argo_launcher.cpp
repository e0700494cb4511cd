// SPDX-License-Identifier: Apache-2.0
#include "argo_launcher.hpp"

#include "python_launcher.hpp"

namespace kfpp::detail {

namespace {

// Stands in for the parts of `kfp.dsl` a component function's module uses (artifact classes,
// `Input`/`Output` annotations, path annotations, the final status, `get_uri`), then calls the
// function. As the SDK's executor: an output the function has no parameter for is what it
// returns (`Output` alone, or a NamedTuple's fields); a returned artifact is that output
// artifact, its file copied to the output's path when it was written elsewhere; other data
// returned for an artifact is written to its path as text.
constexpr const char* kLauncher = R"py(import inspect
import json
import os
import shutil
import sys
import tempfile
import types
import typing


class Artifact:
    schema_title = 'system.Artifact'

    def __init__(self, name='', uri='', metadata=None):
        self.name = name
        self.uri = uri
        self.metadata = dict(metadata or {})

    @property
    def path(self):
        return self.uri

    @path.setter
    def path(self, value):
        self.uri = value


class Dataset(Artifact):
    schema_title = 'system.Dataset'


class Model(Artifact):
    schema_title = 'system.Model'


class HTML(Artifact):
    schema_title = 'system.HTML'


class Markdown(Artifact):
    schema_title = 'system.Markdown'


class Metrics(Artifact):
    schema_title = 'system.Metrics'

    def log_metric(self, metric, value):
        self.metadata[metric] = value


class ClassificationMetrics(Artifact):
    schema_title = 'system.ClassificationMetrics'

    def log_roc_data_point(self, fpr, tpr, threshold):
        self.metadata.setdefault('confidenceMetrics', []).append(
            {'confidenceThreshold': threshold, 'falsePositiveRate': fpr, 'recall': tpr})

    def log_roc_curve(self, fpr, tpr, threshold):
        for f, t, th in zip(fpr, tpr, threshold):
            self.log_roc_data_point(f, t, th)

    def log_confusion_matrix(self, categories, matrix):
        self.metadata['confusionMatrix'] = {'annotationSpecs': [{'displayName': c} for c in categories],
                                            'rows': [{'row': r} for r in matrix]}


class SlicedClassificationMetrics(Artifact):
    schema_title = 'system.SlicedClassificationMetrics'


class _Port:
    def __init__(self, kind, type_=None):
        self.kind = kind
        self.type = type_


class Input:
    def __class_getitem__(cls, type_):
        return _Port('input', type_)


class Output:
    def __class_getitem__(cls, type_):
        return _Port('output', type_)


def InputPath(type_=None):
    return _Port('input_path', type_)


def OutputPath(type_=None):
    return _Port('output_path', type_)


class PipelineTaskFinalStatus:
    def __init__(self, state='', pipeline_job_resource_name='', pipeline_task_name='',
                 error_code=None, error_message=None):
        self.state = state
        self.pipeline_job_resource_name = pipeline_job_resource_name
        self.pipeline_task_name = pipeline_task_name
        self.error_code = error_code
        self.error_message = error_message


_TASK_ROOT = None


def get_uri(suffix='Output'):
    # Where the task's output artifacts are: get_uri(NAME) is the URI of the output NAME.
    if _TASK_ROOT is None:
        raise RuntimeError('dsl.get_uri() is only known while a task runs')
    return os.path.join(_TASK_ROOT, suffix)


def _identity_decorator(*args, **kwargs):
    if len(args) == 1 and callable(args[0]) and not kwargs:
        return args[0]
    return lambda fn: fn


def _install_kfp_stand_in():
    dsl = types.ModuleType('kfp.dsl')
    for name, value in list(globals().items()):
        if isinstance(value, type) or name in ('InputPath', 'OutputPath', 'get_uri'):
            if not name.startswith('_'):
                setattr(dsl, name, value)
    dsl.component = _identity_decorator
    dsl.container_component = _identity_decorator
    dsl.__all__ = [n for n in dir(dsl) if not n.startswith('_')]
    kfp = types.ModuleType('kfp')
    kfp.dsl = dsl
    sys.modules['kfp'] = kfp
    sys.modules['kfp.dsl'] = dsl


def _load_function(module_path, function_name):
    _install_kfp_stand_in()
    namespace = {'__name__': 'kfpp_component', '__file__': module_path}
    with open(module_path, encoding='utf-8') as f:
        exec(compile(f.read(), module_path, 'exec'), namespace)
    fn = namespace.get(function_name)
    if fn is None:
        sys.exit('kfpp launcher: the module defines no function %r' % function_name)
    hints = {}
    for name, hint in getattr(fn, '__annotations__', {}).items():
        hints[name] = eval(hint, namespace) if isinstance(hint, str) else hint
    return fn, hints


def _parse(type_name, text):
    if type_name == 'STRING':
        return text
    if type_name == 'NUMBER_INTEGER':
        return int(text)
    if type_name == 'NUMBER_DOUBLE':
        return float(text)
    if type_name == 'BOOLEAN':
        if text.lower() in ('true', '1'):
            return True
        if text.lower() in ('false', '0'):
            return False
        sys.exit('kfpp launcher: %r is not a boolean' % text)
    if type_name == 'TASK_FINAL_STATUS':
        s = json.loads(text)
        error = s.get('error') or {}
        return PipelineTaskFinalStatus(str(s.get('state', '')).upper(),
                                       s.get('pipelineJobResourceName', ''),
                                       s.get('pipelineTaskName', ''), error.get('code'),
                                       error.get('message'))
    return json.loads(text)


def _artifact_class(hint):
    t = hint.type if isinstance(hint, _Port) else hint
    args = typing.get_args(t)
    if args:
        t = args[0]
    return t if isinstance(t, type) and issubclass(t, Artifact) else Artifact


def _is_list(hint):
    t = hint.type if isinstance(hint, _Port) else hint
    return typing.get_origin(t) in (list, typing.List)


def _task_root(out_artifacts, executor_output):
    roots = {os.path.dirname(p) for p in out_artifacts.values()}
    if len(roots) == 1:
        return roots.pop()
    if executor_output:
        return os.path.dirname(executor_output)
    return tempfile.mkdtemp()


def _take_returned_artifact(name, value, path):
    # The artifact the function returned becomes the output: its file at the output's path.
    if not isinstance(value, Artifact):
        with open(path, 'w', encoding='utf-8') as f:
            f.write(str(value))
        return None
    source = value.path
    if source and os.path.abspath(source) != os.path.abspath(path):
        if os.path.isdir(source):
            shutil.copytree(source, path, dirs_exist_ok=True)
        elif os.path.isfile(source):
            shutil.copyfile(source, path)
        else:
            sys.exit('kfpp launcher: the function returned for its output artifact %r one at %r, '
                     'where there is no file (write it at dsl.get_uri(%r))' % (name, source, name))
    elif not source:
        sys.exit('kfpp launcher: the function returned for its output artifact %r one with no '
                 'URI (give it dsl.get_uri(%r))' % (name, name))
    value.uri = path
    return value


def _text(value):
    if isinstance(value, str):
        return value
    return json.dumps(value)


def main(argv):
    module_path = argv[0]
    function_name = ''
    params, artifacts, out_params, out_artifacts = {}, {}, {}, {}
    in_metadata, executor_output = {}, ''
    i = 1
    while i < len(argv):
        flag = argv[i]
        if flag == '--function':
            function_name = argv[i + 1]
            i += 2
        elif flag == '--param':
            params[argv[i + 1]] = (argv[i + 2], argv[i + 3])
            i += 4
        elif flag in ('--artifact', '--artifact-list'):
            artifacts[argv[i + 1]] = (flag == '--artifact-list', argv[i + 2])
            i += 3
        elif flag == '--output-param':
            out_params[argv[i + 1]] = (argv[i + 2], argv[i + 3])
            i += 4
        elif flag == '--output-artifact':
            out_artifacts[argv[i + 1]] = argv[i + 2]
            i += 3
        elif flag == '--artifact-metadata':
            in_metadata[argv[i + 1]] = json.loads(argv[i + 2])
            i += 3
        elif flag == '--executor-output':
            executor_output = argv[i + 1]
            i += 2
        else:
            sys.exit('kfpp launcher: unknown argument %r' % flag)

    global _TASK_ROOT
    _TASK_ROOT = _task_root(out_artifacts, executor_output)
    fn, hints = _load_function(module_path, function_name)
    signature = inspect.signature(fn).parameters
    takes_any = any(p.kind == p.VAR_KEYWORD for p in signature.values())
    kwargs, written_by_function, outputs, returned_artifacts = {}, set(), {}, []
    for name, (type_name, text) in params.items():
        kwargs[name] = _parse(type_name, text)
    for name, (is_list, path) in artifacts.items():
        hint = hints.get(name)
        if isinstance(hint, _Port) and hint.kind == 'input_path':
            kwargs[name] = path
        elif is_list or _is_list(hint):
            cls = _artifact_class(hint)
            entries = sorted(os.listdir(path)) if os.path.isdir(path) else []
            kwargs[name] = [cls(name, os.path.join(path, e)) for e in entries]
        else:
            kwargs[name] = _artifact_class(hint)(name, path, in_metadata.get(name))
    for name, (type_name, path) in out_params.items():
        hint = hints.get(name)
        if isinstance(hint, _Port) and hint.kind == 'output_path':
            os.makedirs(os.path.dirname(path), exist_ok=True)
            kwargs[name] = path
            written_by_function.add(name)
    for name, path in out_artifacts.items():
        os.makedirs(os.path.dirname(path), exist_ok=True)
        hint = hints.get(name)
        if isinstance(hint, _Port) and hint.kind == 'output_path':
            kwargs[name] = path
        elif name in signature or takes_any:
            outputs[name] = _artifact_class(hint)(name, path)
            kwargs[name] = outputs[name]
        else:
            returned_artifacts.append(name)

    result = fn(**kwargs)

    returned = [n for n in out_params if n not in written_by_function] + returned_artifacts
    if returned == ['Output'] and not hasattr(result, '_fields'):
        values = {'Output': result}
    else:
        values = {}
        for name in returned:
            if hasattr(result, '_fields') and name in result._fields:
                values[name] = getattr(result, name)
            elif isinstance(result, dict) and name in result:
                values[name] = result[name]
            else:
                sys.exit('kfpp launcher: the function returned no output %r' % name)
    for name in returned_artifacts:
        value = values.pop(name)
        # None: nothing returned, nothing written (as the SDK's executor).
        if value is not None:
            taken = _take_returned_artifact(name, value, out_artifacts[name])
            if taken is not None:
                outputs[name] = taken
    for name, value in values.items():
        path = out_params[name][1]
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(_text(value))
    # An artifact the function only described (metrics) is its metadata as JSON.
    for name, artifact in outputs.items():
        if not os.path.exists(artifact.path):
            with open(artifact.path, 'w', encoding='utf-8') as f:
                json.dump(artifact.metadata, f, sort_keys=True)
    # The metadata the function gave its output artifacts, as the KFP executor reports it.
    if executor_output:
        described = {name: {'artifacts': [{'name': name, 'metadata': a.metadata}]}
                     for name, a in outputs.items() if a.metadata}
        os.makedirs(os.path.dirname(executor_output), exist_ok=True)
        with open(executor_output, 'w', encoding='utf-8') as f:
            json.dump({'artifacts': described}, f, sort_keys=True)


if __name__ == '__main__':
    main(sys.argv[1:])
)py";

}  // namespace

const char* argo_python_launcher_source() noexcept { return kLauncher; }

namespace {

const char* metadata_split_source() noexcept {
  // sys.argv: the executor output, then NAME PATH pairs; each artifact's metadata (or `{}`).
  return "import json, os, sys\n"
         "report = {}\n"
         "if os.path.exists(sys.argv[1]):\n"
         "    with open(sys.argv[1], encoding=\"utf-8\") as f:\n"
         "        report = json.load(f).get(\"artifacts\") or {}\n"
         "for name, path in zip(sys.argv[2::2], sys.argv[3::2]):\n"
         "    found = (report.get(name) or {}).get(\"artifacts\") or [{}]\n"
         "    with open(path, \"w\", encoding=\"utf-8\") as f:\n"
         "        json.dump(found[0].get(\"metadata\") or {}, f, sort_keys=True)\n";
}

}  // namespace

std::string metadata_split_command(
    const std::string& executor_output,
    const std::vector<std::pair<std::string, std::string>>& metadata_files) {
  std::string line =
      "python3 -c " + shell_quote(metadata_split_source()) + " " + shell_quote(executor_output);
  for (const auto& [name, path] : metadata_files)
    line += " " + shell_quote(name) + " " + shell_quote(path);
  return line;
}

std::vector<std::string> argo_python_command(
    const ir::PythonFunction& fn, const std::string& executor_output,
    const std::vector<std::pair<std::string, std::string>>& metadata_files) {
  std::string script;
  script += "# kfpp launcher: install the packages, then run the component function.\n";
  script += "work_dir=$(mktemp -d)\n";
  script += "printf '%s' \"$0\" > \"$work_dir/kfpp_launcher.py\"\n";
  script += "printf '%s' \"$1\" > \"$work_dir/kfpp_component.py\"\n";
  script += "shift\n";
  if (!fn.packages.empty()) {
    script += "export PIP_DISABLE_PIP_VERSION_CHECK=1\n";
    script += "python3 -m pip install --quiet --no-warn-script-location";
    script += pip_index_options(fn);
    for (const auto& p : fn.packages) script += " " + shell_quote(p);
    script += "\n";
  }
  if (metadata_files.empty()) {
    script +=
        "exec python3 \"$work_dir/kfpp_launcher.py\" \"$work_dir/kfpp_component.py\" \"$@\"\n";
  } else {
    // The metadata the function gave its output artifacts, one file each.
    script +=
        "python3 \"$work_dir/kfpp_launcher.py\" \"$work_dir/kfpp_component.py\" \"$@\" "
        "--executor-output " +
        shell_quote(executor_output) + "\n";
    script += "exec " + metadata_split_command(executor_output, metadata_files) + "\n";
  }
  std::string module = "from kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *\n\n";
  module += fn.source;
  if (module.back() != '\n') module += '\n';
  return {"sh", "-ec", std::move(script), kLauncher, std::move(module)};
}

}  // namespace kfpp::detail
