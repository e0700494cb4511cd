#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check_bytes.py OURS REFERENCE: fails unless OURS is REFERENCE byte for byte, except the
`sdkVersion` line and the `command` lists of lightweight Python components (whose launcher text
is kfpp's own). Prints a unified diff of any other difference."""
import difflib
import re
import sys

KEY = re.compile(r"^( *)command:\s*$")


def command_lines(lines):
    """Indexes of the lines inside a `command:` list whose items run kfp.dsl.executor_main or
    kfpp's launcher (a lightweight Python component)."""
    inside = set()
    i = 0
    while i < len(lines):
        m = KEY.match(lines[i])
        if not m:
            i += 1
            continue
        indent = len(m.group(1))
        j = i + 1
        while j < len(lines):
            line = lines[j]
            stripped = len(line) - len(line.lstrip(" "))
            if line.strip() and stripped <= indent and not line.startswith(" " * indent + "- "):
                break
            if line.strip() and stripped < indent:
                break
            j += 1
        block = lines[i + 1:j]
        text = "".join(block)
        if "executor_main" in text or "kfpp launcher" in text or "kfpp_component" in text:
            inside.update(range(i + 1, j))
        i = j
    return inside


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    ours = open(sys.argv[1], encoding="utf-8").read().splitlines(keepends=True)
    ref = open(sys.argv[2], encoding="utf-8").read().splitlines(keepends=True)
    ours_free, ref_free = command_lines(ours), command_lines(ref)
    bad = []
    matcher = difflib.SequenceMatcher(a=ours, b=ref, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for k in range(a0, a1):
            if k not in ours_free and not ours[k].startswith("sdkVersion: "):
                bad.append((a0, a1, b0, b1))
                break
        else:
            for k in range(b0, b1):
                if k not in ref_free and not ref[k].startswith("sdkVersion: "):
                    bad.append((a0, a1, b0, b1))
                    break
    if not bad:
        return 0
    print(f"{sys.argv[1]} differs from {sys.argv[2]} outside sdkVersion and launcher commands:")
    for a0, a1, b0, b1 in bad[:20]:
        print(f"@@ ours {a0 + 1}-{a1}, reference {b0 + 1}-{b1}")
        for line in ours[a0:a1]:
            print("- " + line, end="" if line.endswith("\n") else "\n")
        for line in ref[b0:b1]:
            print("+ " + line, end="" if line.endswith("\n") else "\n")
    return 1


if __name__ == "__main__":
    sys.exit(main())
