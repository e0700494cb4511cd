#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check_guide.py SOURCE_DIR EXAMPLES_BIN_DIR: keeps the guide true to the code.

In docs/guide/*.md, a fenced block preceded by a marker is checked:
  <!-- cpp: examples/NAME.cpp -->      every line of the ```cpp block appears, in order, in that
                                       file (a line `// ...` stands for lines left out);
  <!-- yaml: NAME kfp|platform|argo --> the ```yaml block is part of what example NAME emits: its
                                       KFP pipeline spec, its Kubernetes platform spec (the
                                       second document), or its Argo workflow. Maps may leave keys
                                       out; lists may leave items out but keep their order.
Every ```cpp and ```yaml block of the guide must carry a marker, and every program in examples/ must
be named in README.md or in the guide."""
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

src, bin_dir = Path(sys.argv[1]), Path(sys.argv[2])
problems = []
outputs = {}


def emitted(name, kind):
    key = (name, "argo" if kind == "argo" else "kfp")
    if key not in outputs:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out.yaml"
            cmd = [str(bin_dir / name), "-o", str(out)]
            if kind == "argo":
                cmd += ["--target", "argo"]
            subprocess.run(cmd, check=True, capture_output=True)
            outputs[key] = list(yaml.safe_load_all(out.read_text()))
    docs = outputs[key]
    return {"kfp": docs[0], "platform": docs[1] if len(docs) > 1 else None, "argo": docs[0]}[kind]


def part_of(part, whole, path):
    """Why `part` is not contained in `whole`, or None."""
    if isinstance(part, dict):
        if not isinstance(whole, dict):
            return f"{path}: a map in the guide, {type(whole).__name__} in the output"
        for key, value in part.items():
            if key not in whole:
                return f"{path}.{key}: not in the output (keys there: {', '.join(map(str, whole))})"
            why = part_of(value, whole[key], f"{path}.{key}")
            if why:
                return why
        return None
    if isinstance(part, list):
        if not isinstance(whole, list):
            return f"{path}: a list in the guide, {type(whole).__name__} in the output"
        at = 0
        for i, item in enumerate(part):
            while at < len(whole) and part_of(item, whole[at], path):
                at += 1
            if at == len(whole):
                return f"{path}[{i}]: {item!r} is not in the output's list (in this order)"
            at += 1
        return None
    if part != whole:
        return f"{path}: {part!r} in the guide, {whole!r} in the output"
    return None


def lines_in_order(block, text):
    have = [line.strip() for line in text.splitlines()]
    at = 0
    for line in block.splitlines():
        line = line.strip()
        if not line or line == "// ...":
            continue
        while at < len(have) and have[at] != line:
            at += 1
        if at == len(have):
            return line
        at += 1
    return None


fence = re.compile(r"(?:<!-- (cpp|yaml): ([^>]*?) -->\n)?```(cpp|yaml)\n(.*?)```", re.S)
guide = sorted((src / "docs" / "guide").glob("*.md"))
checked = 0
for page in guide:
    rel = page.relative_to(src)
    text = page.read_text()
    for m in fence.finditer(text):
        marker, arg, lang, block = m.groups()
        line = text[: m.start()].count("\n") + 1
        if marker != lang:
            problems.append(f"{rel}:{line}: a ```{lang} block without a <!-- {lang}: ... --> marker")
            continue
        checked += 1
        if lang == "cpp":
            file = src / arg.strip()
            missing = lines_in_order(block, file.read_text()) if file.exists() else "(no file)"
            if missing:
                problems.append(f"{rel}:{line}: not in {arg} (in this order): {missing}")
        else:
            name, kind = arg.split()
            why = part_of(yaml.safe_load(block), emitted(name, kind), kind)
            if why:
                problems.append(f"{rel}:{line}: {name} {kind}: {why}")

named = (src / "README.md").read_text() + "".join(p.read_text() for p in guide)
for example in sorted((src / "examples").glob("*.cpp")):
    if f"examples/{example.name}" not in named:
        problems.append(f"examples/{example.name} is named neither in README.md nor in the guide")

for p in problems:
    print(p, file=sys.stderr)
print(f"guide: {len(guide)} pages, {checked} blocks checked against the examples and their output")
sys.exit(1 if problems or not checked else 0)
