# SPDX-License-Identifier: Apache-2.0
"""Stand-in for `python -m kfp.dsl.executor_main`: loads the component module from
--component_module_path, calls --function_to_execute with the parameter values of
--executor_input, and writes the return value to the `Output` parameter's output file."""
import argparse
import importlib.util
import json
import os
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--component_module_path", required=True)
parser.add_argument("--executor_input", required=True)
parser.add_argument("--function_to_execute", required=True)
args = parser.parse_args()
if os.environ.get("_KFP_RUNTIME") != "true":
    sys.exit("executor_main: _KFP_RUNTIME is not set")
spec = importlib.util.spec_from_file_location("component", args.component_module_path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
executor_input = json.loads(args.executor_input)
result = getattr(module, args.function_to_execute)(**executor_input["inputs"]["parameterValues"])
out = executor_input["outputs"]["parameters"]["Output"]["outputFile"]
with open(out, "w") as f:
    f.write(json.dumps(result))
