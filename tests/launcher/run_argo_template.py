#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""run_argo_template.py WORKFLOW TEMPLATE INPUTS_JSON EXPECTED_JSON [PACKAGE...]: runs one container
template of an Argo workflow the way an Argo pod would (its command and args, input parameters
replaced, the /tmp/kfpp directories moved into a temporary directory) and checks the output
parameter files it writes and the packages it installs."""
import json
import os
import subprocess
import sys
import tempfile

import yaml

wf_path, template, inputs, expected = sys.argv[1:5]
packages = sys.argv[5:]
doc = yaml.safe_load(open(wf_path))
spec = doc["spec"].get("workflowSpec", doc["spec"])
tmpl = next(t for t in spec["templates"] if t["name"] == template)
values = json.loads(inputs)
here = os.path.dirname(os.path.abspath(__file__))
with tempfile.TemporaryDirectory() as work:
    def place(text):
        for name, value in values.items():
            text = text.replace("{{inputs.parameters.%s}}" % name, value)
        return text.replace("/tmp/kfpp", work)
    container = tmpl["container"]
    argv = [place(a) for a in container["command"] + container.get("args", [])]
    log = os.path.join(work, "pip.log")
    open(log, "w").close()
    env = dict(os.environ,
               PATH=os.path.join(here, "bin") + os.pathsep + os.environ["PATH"],
               KFPP_REAL_PYTHON=sys.executable,
               KFPP_LAUNCHER_LOG=log)
    env.pop("PYTHONPATH", None)  # no KFP runtime: the launcher stands in for it
    subprocess.run(argv, env=env, check=True)
    for name, want in json.loads(expected).items():
        path = next(p["valueFrom"]["path"] for p in tmpl["outputs"]["parameters"]
                    if p["name"] == name)
        got = open(place(path)).read()
        if got != want:
            sys.exit(f"{template}: output {name} is {got!r}, expected {want!r}")
    installed = open(log).read()
    for p in packages:
        if f"'{p}'" not in installed:
            sys.exit(f"{template}: {p} was not installed; pip calls:\n{installed}")
    if "kfp" in installed:
        sys.exit(f"{template}: the KFP runtime was installed:\n{installed}")
    print(f"{template}: ok")
