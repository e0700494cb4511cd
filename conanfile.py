# SPDX-License-Identifier: Apache-2.0
"""Conan 2 recipe for kfpp.

    conan create . -s compiler.cppstd=20            # builds kfpp and runs test_package/
    conan create . -s compiler.cppstd=20 -o "kfpp/*:shared=True"

Consumers: `find_package(kfpp CONFIG REQUIRED)` then `target_link_libraries(app kfpp::kfpp)`
(CMakeDeps), or the pkg-config module `kfpp` (PkgConfigDeps).
"""
import os
import re

from conan import ConanFile
from conan.errors import ConanInvalidConfiguration
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load, rmdir

required_conan_version = ">=2.0"


class KfppConan(ConanFile):
    name = "kfpp"
    description = "Kubeflow Pipelines in C++: a typed DSL compiled to KFP v2 IR YAML and Argo Workflows"
    license = "Apache-2.0"
    topics = ("kubeflow", "kfp", "argo-workflows", "pipelines", "mlops", "yaml")
    package_type = "library"
    settings = "os", "arch", "compiler", "build_type"
    options = {
        "shared": [True, False],
        "fPIC": [True, False],
        "tool": [True, False],
    }
    default_options = {
        "shared": False,
        "fPIC": True,
        "tool": True,
    }
    exports_sources = ("CMakeLists.txt", "LICENSE", "README.md", "cmake/*", "include/*", "src/*")

    def set_version(self):
        # One source of truth: the version the library reports (include/kfpp/version.hpp).
        text = load(self, os.path.join(self.recipe_folder, "include", "kfpp", "version.hpp"))
        parts = [re.search(rf"#define KFPP_VERSION_{part} (\d+)", text).group(1)
                 for part in ("MAJOR", "MINOR", "PATCH")]
        self.version = ".".join(parts)

    def config_options(self):
        if self.settings.os == "Windows":
            del self.options.fPIC

    def configure(self):
        if self.options.shared:
            self.options.rm_safe("fPIC")

    def layout(self):
        cmake_layout(self, src_folder=".")

    def requirements(self):
        self.requires("libyaml/0.2.5")
        # libcurl is linked by a static libkfpp's consumers too; nlohmann/json is header-only and
        # used only inside src/.
        self.requires("libcurl/8.6.0")
        self.requires("nlohmann_json/3.11.3", visible=False)
        # Used only inside the compiled tool, never by kfpp's headers.
        if self.options.tool:
            self.requires("cli11/2.3.2", visible=False)

    def validate(self):
        check_min_cppstd(self, 20)
        if self.settings.os == "Windows":
            raise ConanInvalidConfiguration("kfpp builds on POSIX systems only")

    def generate(self):
        toolchain = CMakeToolchain(self)
        toolchain.cache_variables["KFPP_INSTALL"] = True
        toolchain.cache_variables["KFPP_BUILD_CLI"] = bool(self.options.tool)
        toolchain.cache_variables["KFPP_BUILD_TESTS"] = False
        toolchain.cache_variables["KFPP_BUILD_EXAMPLES"] = False
        toolchain.cache_variables["KFPP_BUILD_BENCH"] = False
        toolchain.generate()
        CMakeDeps(self).generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        CMake(self).install()
        # Conan writes its own CMake and pkg-config files for consumers (package_info below).
        rmdir(self, os.path.join(self.package_folder, "lib", "cmake"))
        rmdir(self, os.path.join(self.package_folder, "lib", "pkgconfig"))
        rmdir(self, os.path.join(self.package_folder, "share"))

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "kfpp")
        self.cpp_info.set_property("cmake_target_name", "kfpp::kfpp")
        self.cpp_info.set_property("pkg_config_name", "kfpp")
        self.cpp_info.libs = ["kfpp"]
