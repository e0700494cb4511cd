#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check_packaging.py SOURCE_DIR: the vcpkg port, the vcpkg manifest and the Conan recipe agree
with the CMake build: same version, only options CMake declares, every dependency CMake finds."""
import json
import re
import sys
from pathlib import Path

root = Path(sys.argv[1])
problems = []


def read(rel):
    return (root / rel).read_text()


header = read("include/kfpp/version.hpp")
version = ".".join(re.search(rf"#define KFPP_VERSION_{p} (\d+)", header).group(1)
                   for p in ("MAJOR", "MINOR", "PATCH"))
if f'version_string = "{version}"' not in header:
    problems.append(f"version.hpp: version_string is not {version}")

manifests = {rel: json.loads(read(rel)) for rel in ("vcpkg.json", "ports/kfpp/vcpkg.json")}
for rel, manifest in manifests.items():
    if manifest.get("version-semver") != version:
        problems.append(f"{rel}: version-semver {manifest.get('version-semver')} is not {version}")

cmake = read("CMakeLists.txt") + read("cmake/install.cmake")
declared = set(re.findall(r"option\((KFPP_\w+)", cmake)) | set(
    re.findall(r"set\((KFPP_\w+)[^)]*CACHE", cmake))
portfile = read("ports/kfpp/portfile.cmake")
conanfile = read("conanfile.py")
used = {("ports/kfpp/portfile.cmake", o) for o in re.findall(r"-D(KFPP_\w+)", portfile)}
used |= {("ports/kfpp/portfile.cmake", o) for o in re.findall(r"\btool (KFPP_\w+)", portfile)}
used |= {("conanfile.py", o) for o in re.findall(r'cache_variables\["(KFPP_\w+)"\]', conanfile)}
for rel, option in sorted(used):
    if option not in declared:
        problems.append(f"{rel}: {option} is not an option of CMakeLists.txt")

# find_package name in CMake -> (vcpkg port, Conan package)
packages = {"LibYAML": ("libyaml", "libyaml"),
            "CLI11": ("cli11", "cli11"), "CURL": ("curl", "libcurl"),
            "nlohmann_json": ("nlohmann-json", "nlohmann_json")}
# Doxygen only writes the API reference; packages do not build it.
found = set(re.findall(r"find_package\((\S+)", read("CMakeLists.txt"))) - {"Doxygen"}
for name in sorted(found):
    if name not in packages:
        problems.append(f"CMakeLists.txt finds {name}, unknown to this check: add it here and to "
                        "the vcpkg manifests and the Conan recipe")
        continue
    port, conan = packages[name]
    for rel, manifest in manifests.items():
        deps = list(manifest.get("dependencies", []))
        for feature in manifest.get("features", {}).values():
            deps += feature.get("dependencies", [])
        names = {d if isinstance(d, str) else d["name"] for d in deps}
        if port not in names:
            problems.append(f"{rel}: no dependency on {port} (CMake finds {name})")
    if not re.search(rf'self\.requires\("{re.escape(conan)}/', conanfile):
        problems.append(f"conanfile.py: no requirement on {conan} (CMake finds {name})")

exports = re.search(r"exports_sources = \(([^)]*)\)", conanfile).group(1)
exported = {e.strip().strip('"').rstrip("/*") for e in exports.split(",") if e.strip()}
needed = {"CMakeLists.txt", "cmake", "include", "src", "LICENSE", "README.md"}
for missing in sorted(needed - exported):
    problems.append(f"conanfile.py: exports_sources lacks {missing}, which the CMake build reads")

for rel in ("conanfile.py", "test_package/conanfile.py"):
    try:
        compile(read(rel), rel, "exec")
    except SyntaxError as error:
        problems.append(f"{rel}:{error.lineno}: {error.msg}")

for problem in problems:
    print(problem, file=sys.stderr)
print(f"packaging: version {version}, {len(used)} options, {len(found)} dependencies checked")
sys.exit(1 if problems else 0)
