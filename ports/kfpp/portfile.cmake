# SPDX-License-Identifier: Apache-2.0
# An overlay port building kfpp from this source tree:
#   vcpkg install kfpp --overlay-ports=<kfpp>/ports
# or, in a manifest project, "vcpkg-configuration": {"overlay-ports": ["<kfpp>/ports"]}.
set(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../..")

vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
  FEATURES
    tool KFPP_BUILD_CLI
)

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    ${FEATURE_OPTIONS}
    -DKFPP_INSTALL=ON
    -DKFPP_BUILD_TESTS=OFF
    -DKFPP_BUILD_EXAMPLES=OFF
    -DKFPP_BUILD_BENCH=OFF
  OPTIONS_DEBUG
    # The tool is a release program; the debug tree carries only the library.
    -DKFPP_BUILD_CLI=OFF
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(CONFIG_PATH lib/cmake/kfpp)
vcpkg_fixup_pkgconfig()

if("tool" IN_LIST FEATURES)
  vcpkg_copy_tools(TOOL_NAMES kfpp AUTO_CLEAN)
endif()

file(REMOVE_RECURSE
  "${CURRENT_PACKAGES_DIR}/debug/include"
  "${CURRENT_PACKAGES_DIR}/debug/share"
  "${CURRENT_PACKAGES_DIR}/share/doc")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
