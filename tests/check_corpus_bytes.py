#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check_corpus_bytes.py CONFORMANCE_DIR OUT_DIR: every reference IR file that PyYAML itself
would write as it is (loading it and dumping it again with the SDK's settings gives the same
text; a few files of the SDK's test data were formatted by hand) must be what `kfpp convert --to
kfp` wrote for it in OUT_DIR (named as run_corpus.sh names them), byte for byte, but for the
header comment (the SDK builds it from the Python program, which the file does not hold) and
the sdkVersion line."""
import os
import sys

import yaml


def body(text):
    lines = text.splitlines(keepends=True)
    return "".join(l for l in lines if not l.startswith("#") and not l.startswith("sdkVersion: "))


def main():
    conformance, out = sys.argv[1], sys.argv[2]
    canonical = same = 0
    bad = []
    for sub in ("kfp", "kfp-sdk"):
        for root, _, files in os.walk(os.path.join(conformance, sub)):
            for f in sorted(files):
                if not f.endswith(".yaml"):
                    continue
                path = os.path.join(root, f)
                ref = open(path, encoding="utf-8").read()
                redumped = yaml.dump_all(list(yaml.safe_load_all(ref)), sort_keys=True)
                if body(redumped) != body(ref):
                    continue
                canonical += 1
                name = os.path.relpath(path, conformance).replace(os.sep, "_")
                ours_path = os.path.join(out, name)
                ours = open(ours_path, encoding="utf-8").read() if os.path.exists(ours_path) else ""
                if body(ours) == body(ref):
                    same += 1
                else:
                    bad.append(path)
    for path in bad:
        print(f"NOT THE SAME BYTES: {path}")
    print(f"{canonical} files as PyYAML writes them: {same} rewritten byte for byte, {len(bad)} not")
    return 1 if bad or canonical == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
