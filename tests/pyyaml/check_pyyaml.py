#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check_pyyaml.py ECHO WORKDIR: kfpp's PyYAML-style writer against PyYAML itself. Hard strings
(quotes, indicators, YAML 1.1 words and numbers, breaks, long lines that fold, unicode, controls)
and seeded random ones are written by both; the bytes must be the same."""
import random
import subprocess
import sys

import yaml

HARD = [
    "", " ", "a", "y", "n", "yes", "No", "TRUE", "off", "On", "null", "Null", "~", "=", "<<",
    "0", "1", "-1", "+1", "007", "0o7", "0x1F", "0b101", "1_000", "1:20", "1:20:30.5", "190:20:30",
    "1.0", "1.", ".5", "1e3", "1.0e+3", "1.0e3", "-.inf", ".NaN", ".nan.", "0.0.1", "2.15.2",
    "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2002-1-1",
    "12:30", "3:60", "-", "--", "---", "...", "- a", "-a", "--flag", "a: b", "a:b", "a:", ":a",
    "? x", "?x", "#x", "a #x", "a#x", "&a", "*a", "!a", "|", ">", "'", '"', "%", "@x", "`x",
    "[x]", "{x}", "x,y", "x[0]", "{{$.inputs.parameters['x']}}", "it's", 'say "hi"',
    "a\nb", "a\n\nb", "\na", "a\n", "a \nb", "a\n b", "a\tb", "\t", "a\rb", "a\x00b", "\x07\x1b",
    "caf\u00e9", "\u00a0", "\u0085", "\u2028x", "x\u2029", "\ufeff", "\U0001F600", "\u4e2d\u6587",
    "trailing ", " leading", "two  spaces", "a" * 130,
    "word " * 30, "word " * 30 + "end", ("x" * 79) + " y", ("x" * 81) + " y z",
    "long 'quoted' " * 10, "long\nmulti line " * 12, ("a b " * 25) + "\n" + ("c d " * 25),
    "sh -c 'echo \"$0\"' " * 6, "\\ backslash " * 9, "tab\tand " * 12, "\u00e9 " * 60,
    "  leading spaces then " * 5, "x" * 200, "end with break " * 8 + "\n",
]

ALPHABET = list("ab  \n'\"\\:#-?,[]{}&*!|>%@`~.0123456789") + ["\t", "\u00e9", "\u2028", "\x00"]


def random_strings(count):
    rng = random.Random(20261201)
    out = []
    for _ in range(count):
        n = rng.choice([1, 2, 3, 5, 8, 20, 60, 90, 150])
        out.append("".join(rng.choice(ALPHABET) for _ in range(n)))
    return out


def main():
    echo, work = sys.argv[1], sys.argv[2]
    strings = HARD + random_strings(3000)
    path = f"{work}/pyyaml_strings.txt"
    with open(path, "w", encoding="ascii") as f:
        for s in strings:
            f.write(s.encode("utf-8").hex() + "\n")
    ours = subprocess.run([echo, path], check=True, capture_output=True).stdout.decode("utf-8")
    doc = {
        "deep": {"a": {"b": [{"s": s} for s in strings]}},
        "items": strings,
        "keys": {s: 1 for s in strings},
        "values": {"k%04d" % i: s for i, s in enumerate(strings)},
    }
    theirs = yaml.dump(doc, sort_keys=True)
    if ours == theirs:
        print(f"{len(strings)} strings written as PyYAML writes them")
        return 0
    a, b = ours.splitlines(), theirs.splitlines()
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            lo = max(0, i - 3)
            print(f"first difference at line {i + 1}:")
            print("kfpp:\n  " + "\n  ".join(a[lo:i + 4]))
            print("PyYAML:\n  " + "\n  ".join(b[lo:i + 4]))
            return 1
    print(f"lengths differ: kfpp {len(a)} lines, PyYAML {len(b)} lines")
    return 1


if __name__ == "__main__":
    sys.exit(main())
