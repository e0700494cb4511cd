# SPDX-License-Identifier: Apache-2.0
"""Builds a program against the kfpp package and checks the pipeline it compiles."""
import os

from conan import ConanFile
from conan.tools.build import can_run
from conan.tools.cmake import CMake, cmake_layout
from conan.tools.files import load


class KfppTestPackageConan(ConanFile):
    settings = "os", "arch", "compiler", "build_type"
    generators = "CMakeDeps", "CMakeToolchain", "VirtualRunEnv"
    test_type = "explicit"

    def requirements(self):
        self.requires(self.tested_reference_str)

    def layout(self):
        cmake_layout(self)

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def test(self):
        if not can_run(self):
            return
        program = os.path.join(self.cpp.build.bindir, "test_package")
        output = os.path.join(self.build_folder, "hello.yaml")
        self.run(f'"{program}" -o "{output}"', env="conanrun")
        text = load(self, output)
        for expected in ("pipelineInfo:", "name: hello", "comp-say-hello"):
            if expected not in text:
                raise AssertionError(f"{output} lacks {expected!r}")
