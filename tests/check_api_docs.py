#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check_api_docs.py XML_DIR: every public class, struct, enum, free function, variable and type
alias of kfpp's API reference (Doxygen's XML output) has a summary and a usage example (a line
starting `Example` or a code block). Members of classes need a summary (Doxygen checks that)."""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

xml_dir = Path(sys.argv[1])
index = ET.parse(xml_dir / "index.xml").getroot()
missing = []
checked = 0


def text_of(node):
    return "".join(node.itertext()) if node is not None else ""


def documented_with_example(node):
    brief = text_of(node.find("briefdescription")).strip()
    detail = node.find("detaileddescription")
    has_code = detail is not None and detail.find(".//programlisting") is not None
    has_example = "Example" in text_of(detail) or "Example" in brief
    return bool(brief or text_of(detail).strip()), has_code or has_example


def where(node):
    loc = node.find("location")
    return f"{loc.get('file')}:{loc.get('line')}" if loc is not None else "?"


for compound in index.findall("compound"):
    kind, refid, name = compound.get("kind"), compound.get("refid"), compound.findtext("name")
    if "detail" in name.split("::"):
        continue
    if kind in ("class", "struct"):
        node = ET.parse(xml_dir / f"{refid}.xml").getroot().find("compounddef")
        if node.get("prot") not in (None, "public"):
            continue
        checked += 1
        has_doc, has_example = documented_with_example(node)
        if not (has_doc and has_example):
            missing.append(f"{where(node)}: {kind} {name} has no {'example' if has_doc else 'doc'}")
    elif kind == "namespace":
        root = ET.parse(xml_dir / f"{refid}.xml").getroot()
        for member in root.iter("memberdef"):
            if member.get("kind") not in ("function", "variable", "typedef", "enum"):
                continue
            checked += 1
            has_doc, has_example = documented_with_example(member)
            if not (has_doc and has_example):
                what = f"{name}::{member.findtext('name')}"
                missing.append(f"{where(member)}: {member.get('kind')} {what} has no "
                               f"{'example' if has_doc else 'doc'}")

for line in sorted(set(missing)):
    print(line, file=sys.stderr)
print(f"api docs: {checked} public entities checked, {len(set(missing))} without an example")
sys.exit(1 if missing else 0)
