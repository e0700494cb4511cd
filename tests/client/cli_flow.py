#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""cli_flow.py KFPP PIPELINE_FILE SUBMIT_PROGRAM SEED_FLOW: the seed's flow with the `kfpp` tool,
a pipeline program's --submit, and the example seed_flow (its connection from the environment,
the token from a file), against the API that run_prism.py serves (KFPP_TEST_API, proxy mode:
the stateful backend behind Prism's validating proxy). Each step checks the exit code and output.
"""
import json
import os
import subprocess
import sys

import tempfile

kfpp, pipeline, program, seed_flow = sys.argv[1:5]
api, token = os.environ["KFPP_TEST_API"], os.environ["KFPP_TEST_TOKEN"]
conn = ["--host", api, "--token", token]
failures = []


def run(args, rc, stdout_has=(), stderr_has=(), secret_free=True, env=None):
    p = subprocess.run(args, capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, **(env or {})))
    shown = " ".join(a if a != token else "***" for a in args)
    problems = []
    if p.returncode != rc:
        problems.append(f"exit {p.returncode}, expected {rc}")
    for text in stdout_has:
        if text not in p.stdout:
            problems.append(f"stdout lacks {text!r}")
    for text in stderr_has:
        if text not in p.stderr:
            problems.append(f"stderr lacks {text!r}")
    if secret_free and (token in p.stdout or token in p.stderr):
        problems.append("the token appears in the output")
    if problems:
        failures.append(f"{shown}: {'; '.join(problems)}\n--- stdout\n{p.stdout}--- stderr\n{p.stderr}")
    return p


def as_json(p):
    try:
        return json.loads(p.stdout)
    except ValueError:
        failures.append(f"not JSON: {p.stdout!r}")
        return {}


stem = "cli-" + os.urandom(4).hex()
up = run([kfpp, "upload", pipeline, "--name", stem, "-o", "json", *conn], 0)
pipeline_id = as_json(up).get("pipeline_id", "")
run([kfpp, "upload", pipeline, "--name", stem, "--version", "v2", *conn], 0,
    stdout_has=["pipeline version", "v2 of " + pipeline_id])
run([kfpp, "experiment", "create", stem, "--description", "the seed's flow", *conn], 0,
    stdout_has=["experiment ", "/#/experiments/details/"])
listed = as_json(run([kfpp, "experiment", "list", "--page-size", "100", "-o", "json", *conn], 0))
experiment = next((e for e in listed.get("experiments", []) if e["display_name"] == stem), {})
if not experiment:
    failures.append("experiment list lacks " + stem)
run([kfpp, "experiment", "get", "--name", stem, *conn], 0, stdout_has=[experiment.get("experiment_id", "?")])

# A run with parameters, waited for with progress; the host from KF_PIPELINES_ENDPOINT.
ok = run([kfpp, "run", pipeline, "--remote", "--token", token, "-p", "epochs=4",
          "--experiment", stem, "--name", "seed", "--wait", "--poll", "0.05"], 0,
         stdout_has=["SUCCEEDED"], stderr_has=["PENDING", "RUNNING", "/#/runs/details/"],
         env={"KF_PIPELINES_ENDPOINT": api})
run_id = ok.stdout.split()[1].rstrip(":") if ok.stdout.split() else ""
got = as_json(run([kfpp, "run", "get", run_id, "-o", "json", *conn], 0))
if got.get("state") != "SUCCEEDED" or got.get("parameters", {}).get("epochs") != 4:
    failures.append(f"run get: {got}")
runs = as_json(run([kfpp, "run", "list", "--experiment-id", experiment.get("experiment_id", ""),
                    "-o", "json", *conn], 0))
if [r["run_id"] for r in runs.get("runs", [])] != [run_id]:
    failures.append(f"run list: {runs}")

# A failing run: exit 1 with the server's error; a bad parameter: exit 2 before anything is sent.
run([kfpp, "run", pipeline, "-p", "fail=true", "--experiment", stem, "--wait", "--poll", "0.05",
     *conn], 1, stdout_has=["FAILED", "error: task"])
run([kfpp, "run", pipeline, "-p", "epochs=four", *conn], 2,
    stderr_has=["[kfpp.bad_parameter] -p epochs: 'four' is not an integer"])
run([kfpp, "run", pipeline, "-p", "epoch=4", *conn], 2,
    stderr_has=["has no parameter of this name", "its parameters are epochs, fail"])
# Without a backend the run is local, and a flag only a backend reads is refused, not dropped.
run([kfpp, "run", pipeline, "--wait"], 2, stderr_has=["--wait goes with a run on a KFP backend"])

# Terminate, then wait: canceled is not success.
started = run([kfpp, "run", "--pipeline-id", pipeline_id, "--experiment", stem, *conn], 0)
started_id = started.stdout.split()[1] if started.stdout.split() else ""
run([kfpp, "run", "terminate", started_id, *conn], 0, stdout_has=["terminating"])
run([kfpp, "run", "wait", started_id, "--poll", "0.05", *conn], 1, stdout_has=["CANCELED"])

# Recurring runs.
made = as_json(run([kfpp, "recurring", "create", pipeline, "--name", "nightly", "--experiment",
                    stem, "--cron", "0 0 3 * * *", "--start", "2026-01-05T03:00:00Z",
                    "--max-concurrency", "2", "--no-catchup", "-p", "epochs=2", "-o", "json",
                    *conn], 0))
rid = made.get("recurring_run_id", "")
if made.get("cron") != "0 0 3 * * *" or made.get("max_concurrency") != 2 or not made.get("no_catchup"):
    failures.append(f"recurring create: {made}")
run([kfpp, "recurring", "create", pipeline, "--name", "twice", *conn], 2,
    stderr_has=["exactly one of a cron expression and an interval"])
run([kfpp, "recurring", "list", "--experiment-id", experiment.get("experiment_id", ""), *conn], 0,
    stdout_has=[rid, "ENABLED", "cron 0 0 3 * * *"])
run([kfpp, "recurring", "disable", rid, *conn], 0, stdout_has=["disabled"])
run([kfpp, "recurring", "get", rid, *conn], 0, stdout_has=["DISABLED"])
run([kfpp, "recurring", "enable", rid, *conn], 0, stdout_has=["enabled"])
run([kfpp, "recurring", "delete", rid, *conn], 0, stdout_has=["deleted"])
run([kfpp, "recurring", "get", rid, *conn], 1, stderr_has=["[kfpp.api_not_found]"])

# Errors: a wrong token (echoed by the server) and verbose logs never show the token.
run([kfpp, "experiment", "list", "--host", api, "--token", token + "-wrong", "-v"], 1,
    stderr_has=["[kfpp.api_unauthenticated]", "HTTP 401", "-> 401"])
run([kfpp, "experiment", "list", "-v", *conn], 0, stderr_has=["GET " + api + "/apis/v2beta1/experiments"])
run([kfpp, "experiment", "delete", experiment.get("experiment_id", ""), *conn], 0)

# A pipeline program compiles and submits in one step, and waits.
run([program, "--submit", *conn, "-p", "a=1", "-p", "b=2", "--experiment", stem, "--wait",
     "--poll", "0.05"], 0, stdout_has=["SUCCEEDED", "/#/runs/details/"])
run([program, "--submit", *conn, "-p", "a=one"], 2, stderr_has=["'one' is not an integer"])
run([program, "--submit", "--target", "argo", *conn], 2, stderr_has=["--submit runs KFP IR"])

# The example program: the connection from the environment, the token read from a file.
with tempfile.NamedTemporaryFile("w", suffix=".token") as token_file:
    token_file.write(token + "\n")
    token_file.flush()
    run([seed_flow], 0, stdout_has=["run ", "RUNNING", "SUCCEEDED", "recurring run ", "0 0 3 * * *"],
        env={"KF_PIPELINES_ENDPOINT": api, "KF_PIPELINES_SA_TOKEN_PATH": token_file.name})
    run([seed_flow], 1, stderr_has=["[kfpp.connection]"],
        env={"KF_PIPELINES_ENDPOINT": "http://127.0.0.1:9", "KF_PIPELINES_SA_TOKEN_PATH": token_file.name})

for f in failures:
    print("FAILED:", f, file=sys.stderr)
print(f"cli flow: {len(failures)} failures", file=sys.stderr)
sys.exit(1 if failures else 0)
