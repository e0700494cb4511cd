#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""run_prism.py MODE PRISM SPEC TEST [ARGS...]: runs the client test program TEST against Prism
serving the KFP API documents SPEC on 127.0.0.1.

MODE mock: Prism mocks the API (answers made from the documents).
MODE proxy: Prism is a validating proxy (`--errors`) in front of kfp_backend.py, the stateful test
backend beside this script; every request and every answer is checked against the documents.

TEST gets the API's URL in KFPP_TEST_API, the mode in KFPP_TEST_MODE and the backend's token in
KFPP_TEST_TOKEN. Exits 77 (skipped) when Prism is not installed. Everything started here is
stopped at the end; the whole run is bounded in time.
"""
import os
import socket
import subprocess
import sys
import time
import urllib.request

mode, prism, spec, test, *args = sys.argv[1:]
if not os.access(prism, os.X_OK):
    print(f"SKIPPED: Prism is not installed at {prism} (sh scripts/install-prism.sh installs it)",
          file=sys.stderr)
    sys.exit(77)
if not os.path.isfile(spec):
    print(f"SKIPPED: the KFP API documents are missing ({spec})", file=sys.stderr)
    sys.exit(77)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds, proc):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            urllib.request.urlopen(url, timeout=2)
            return True
        except urllib.error.HTTPError:
            return True  # it answers
        except OSError:
            time.sleep(0.3)
    return False


started = []
token = "test-token-" + os.urandom(6).hex()
log_dir = os.environ.get("KFPP_TEST_LOG_DIR", ".")
try:
    port = free_port()
    command = [prism, "mock", spec]
    if mode == "proxy":
        backend_port = free_port()
        backend = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__),
                                                                 "kfp_backend.py"),
                                    str(backend_port), token])
        started.append(backend)
        if not wait_for(f"http://127.0.0.1:{backend_port}/apis/v2beta1/healthz", 30, backend):
            sys.exit("the test backend did not start")
        command = [prism, "proxy", spec, f"http://127.0.0.1:{backend_port}", "--errors"]
    log = open(os.path.join(log_dir, f"prism-{mode}.log"), "w")
    proc = subprocess.Popen(command + ["-h", "127.0.0.1", "-p", str(port)], stdout=log,
                            stderr=subprocess.STDOUT)
    started.append(proc)
    url = f"http://127.0.0.1:{port}"
    if not wait_for(url + "/apis/v2beta1/healthz", 90, proc):
        sys.exit(f"Prism did not start; see {log.name}")
    env = dict(os.environ, KFPP_TEST_API=url, KFPP_TEST_MODE=mode, KFPP_TEST_TOKEN=token)
    try:
        rc = subprocess.run([test, *args], env=env, timeout=600).returncode
    except subprocess.TimeoutExpired:
        print("the client tests did not finish in 600 s", file=sys.stderr)
        rc = 1
    sys.exit(rc)
finally:
    for p in reversed(started):
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
