#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""run_executor.py IR EXECUTOR INPUTS_JSON EXPECTED [PACKAGE...]: runs one executor of a KFP IR file
the way the KFP launcher does (command + args, `{{$}}` replaced by the executor input) and checks
the output it writes and the packages it installs. A PACKAGE may be any text the recorded pip, venv
and ensurepip calls must hold, such as `--trusted-host pypi.example.com`."""
import json
import os
import subprocess
import sys
import tempfile

import yaml

ir_path, executor, inputs, expected = sys.argv[1:5]
packages = sys.argv[5:]
doc = list(yaml.safe_load_all(open(ir_path)))[0]
container = doc["deploymentSpec"]["executors"][executor]["container"]
here = os.path.dirname(os.path.abspath(__file__))
with tempfile.TemporaryDirectory() as work:
    out = os.path.join(work, "Output")
    executor_input = json.dumps({
        "inputs": {"parameterValues": json.loads(inputs)},
        "outputs": {"parameters": {"Output": {"outputFile": out}}},
    })
    argv = container["command"] + [a.replace("{{$}}", executor_input) for a in container["args"]]
    log = os.path.join(work, "pip.log")
    env = dict(os.environ,
               PATH=os.path.join(here, "bin") + os.pathsep + os.environ["PATH"],
               PYTHONPATH=os.path.join(here, "fake_kfp"),
               KFPP_REAL_PYTHON=sys.executable,
               KFPP_LAUNCHER_LOG=log)
    subprocess.run(argv, env=env, check=True)
    got = json.load(open(out))
    if got != json.loads(expected):
        sys.exit(f"{executor}: wrote {got!r}, expected {expected}")
    installed = open(log).read()
    for p in packages + ["kfp==2.15.2"]:
        if f"'{p}'" not in installed and f" {p}" not in installed:
            sys.exit(f"{executor}: {p} was not installed; pip calls:\n{installed}")
    print(f"{executor}: ok, wrote {got!r}")
