#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""run_argo_dag.py WORKFLOW EXPECTED_JSON: runs the entry DAG of an Argo workflow made of
container templates and nested DAG templates the way the controller would (no conditions or
`when`, `withParam`): tasks in the order of their dependencies, a `withItems` task once per item, arguments and template inputs resolved as Argo
replaces its variables, each pod's command and args run as a real process with /tmp/kfpp moved
into a directory of its own, input artifacts copied from where their producer wrote them, output
parameters read from their files (else their default). EXPECTED_JSON (a file) maps a task's path
(`group/task`, `loop[0]/task` for the first item) to the output parameters it must have given,
{name: value}, and to the text of its output artifacts' files, {"artifact:NAME": text}."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

wf_path, expected_path = sys.argv[1:3]
doc = yaml.safe_load(open(wf_path))
spec = doc["spec"]
templates = {t["name"]: t for t in spec["templates"]}
here = os.path.dirname(os.path.abspath(__file__))
seen = {}  # task path -> its output parameters, and "artifact:NAME" -> its file's text


def resolve(text, scope):
    def value(m):
        if m.group(1) not in scope:
            sys.exit(f"{{{{{m.group(1)}}}}} has no value")
        return scope[m.group(1)]
    return re.sub(r"\{\{([^{}]+)\}\}", value, text)


def run_container(tmpl, params, artifacts, work):
    scope = {"inputs.parameters." + k: v for k, v in params.items()}

    def place(text):
        return resolve(text, scope).replace("/tmp/kfpp", work)
    for a in tmpl.get("inputs", {}).get("artifacts", []):
        src, dest = artifacts[a["name"]], place(a["path"])
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        (shutil.copytree if os.path.isdir(src) else shutil.copyfile)(src, dest)
    os.makedirs(os.path.join(work, "outputs"), exist_ok=True)  # the pod's empty dir
    container = tmpl["container"]
    argv = [place(a) for a in container["command"] + container.get("args", [])]
    env = dict(os.environ,
               PATH=os.path.join(here, "bin") + os.pathsep + os.environ["PATH"],
               KFPP_REAL_PYTHON=sys.executable,
               KFPP_LAUNCHER_LOG=os.path.join(work, "pip.log"))
    env.pop("PYTHONPATH", None)  # no KFP runtime: the launcher stands in for it
    subprocess.run(argv, env=env, check=True)
    out_params, out_artifacts = {}, {}
    for p in tmpl.get("outputs", {}).get("parameters", []):
        path = place(p["valueFrom"]["path"])
        if os.path.exists(path):
            out_params[p["name"]] = open(path, encoding="utf-8").read()
        elif "default" in p["valueFrom"]:
            out_params[p["name"]] = p["valueFrom"]["default"]
        else:
            sys.exit(f"{tmpl['name']}: no output parameter {p['name']} ({path})")
    for a in tmpl.get("outputs", {}).get("artifacts", []):
        out_artifacts[a["name"]] = place(a["path"])
    return out_params, out_artifacts


def run_dag(tmpl, params, artifacts, path):
    scope = {"inputs.parameters." + k: v for k, v in params.items()}
    from_scope = {"inputs.artifacts." + k: v for k, v in artifacts.items()}
    pending = list(tmpl["dag"]["tasks"])
    done = set()
    while pending:
        ready = [t for t in pending
                 if set(re.findall(r"([A-Za-z0-9][-A-Za-z0-9]*)(?:\.[A-Za-z]+)?",
                                   t.get("depends", ""))) <= done]
        if not ready:
            sys.exit(f"{path}: no task can run")
        task = ready[0]
        pending.remove(task)
        for key in ("when", "withParam"):
            if key in task:
                sys.exit(f"{path}/{task['name']}: {key} is not run by this harness")
        args = task.get("arguments", {})
        arts = {a["name"]: from_scope[a["from"][2:-2]] for a in args.get("artifacts", [])}
        if "withItems" in task:
            # Once per item; the aggregated outputs of a loop are not read here.
            for i, item in enumerate(task["withItems"]):
                s = dict(scope, item=item if isinstance(item, str) else json.dumps(item))
                p = {a["name"]: resolve(a["value"], s) for a in args.get("parameters", [])}
                run(templates[task["template"]], p, arts, path + [f"{task['name']}[{i}]"])
            done.add(task["name"])
            continue
        p = {a["name"]: resolve(a["value"], scope) for a in args.get("parameters", [])}
        out_params, out_artifacts = run(templates[task["template"]], p, arts,
                                        path + [task["name"]])
        for k, v in out_params.items():
            scope[f"tasks.{task['name']}.outputs.parameters.{k}"] = v
        for k, v in out_artifacts.items():
            from_scope[f"tasks.{task['name']}.outputs.artifacts.{k}"] = v
        done.add(task["name"])
    outputs = tmpl.get("outputs", {})
    out_params = {p["name"]: resolve(p["valueFrom"]["parameter"], scope)
                  for p in outputs.get("parameters", [])}
    out_artifacts = {a["name"]: from_scope[a["from"][2:-2]] for a in outputs.get("artifacts", [])}
    return out_params, out_artifacts


def run(tmpl, params, artifacts, path):
    params = dict(params)
    for ip in tmpl.get("inputs", {}).get("parameters", []):
        if ip["name"] not in params:
            if "default" not in ip:
                sys.exit(f"{'/'.join(path)}: input {ip['name']} is not given")
            params[ip["name"]] = ip["default"]
    if "dag" in tmpl:
        return run_dag(tmpl, params, artifacts, path)
    out = run_container(tmpl, params, artifacts, tempfile.mkdtemp(dir=root))
    seen["/".join(path[1:])] = dict(out[0])
    for name, where in out[1].items():
        if os.path.isfile(where):
            with open(where, encoding="utf-8") as f:
                seen["/".join(path[1:])]["artifact:" + name] = f.read()
    return out


with tempfile.TemporaryDirectory() as root:
    run(templates[spec["entrypoint"]], {}, {}, [spec["entrypoint"]])
failed = False
for task, want in json.load(open(expected_path)).items():
    for name, value in want.items():
        got = seen.get(task, {}).get(name)
        if got != value:
            print(f"{task}: output {name} is {got!r}, expected {value!r}", file=sys.stderr)
            failed = True
if failed:
    sys.exit(1)
print(f"{wf_path}: every task gave the expected outputs")
