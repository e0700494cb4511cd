# SPDX-License-Identifier: Apache-2.0
# Install rules: headers, the library, the CLI, a CMake package (kfpp::kfpp, kfpp::cli) and a
# pkg-config file. Included from the top-level CMakeLists.txt when KFPP_INSTALL is on.
include(CMakePackageConfigHelpers)

set(KFPP_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/kfpp" CACHE STRING
    "Where kfppConfig.cmake is installed, relative to the prefix")

install(DIRECTORY include/kfpp TYPE INCLUDE COMPONENT kfpp_development)

set(_kfpp_install_targets kfpp)
if(KFPP_BUILD_CLI)
  list(APPEND _kfpp_install_targets kfpp_cli)
endif()
install(TARGETS ${_kfpp_install_targets} EXPORT kfppTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT kfpp_runtime
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT kfpp_runtime
          NAMELINK_COMPONENT kfpp_development
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT kfpp_development)
install(EXPORT kfppTargets NAMESPACE kfpp:: DESTINATION ${KFPP_INSTALL_CMAKEDIR}
        COMPONENT kfpp_development)

# A static libkfpp needs libyaml at the consumer's link; a shared one carries it itself.
get_target_property(_kfpp_type kfpp TYPE)
if(_kfpp_type STREQUAL "STATIC_LIBRARY")
  set(KFPP_STATIC ON)
else()
  set(KFPP_STATIC OFF)
endif()
configure_package_config_file(cmake/kfppConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/kfppConfig.cmake INSTALL_DESTINATION ${KFPP_INSTALL_CMAKEDIR})
# 0.x: a new minor version may break the API, so only the same minor version is compatible.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/kfppConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/kfppConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/kfppConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/FindLibYAML.cmake
        DESTINATION ${KFPP_INSTALL_CMAKEDIR} COMPONENT kfpp_development)

# pkg-config: relocatable when the library directory is relative to the prefix.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(KFPP_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(KFPP_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH _kfpp_up "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
  string(REGEX REPLACE "/$" "" _kfpp_up "${_kfpp_up}")
  set(KFPP_PC_PREFIX "\${pcfiledir}/${_kfpp_up}")
  set(KFPP_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(KFPP_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(KFPP_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(cmake/kfpp.pc.in ${CMAKE_CURRENT_BINARY_DIR}/kfpp.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/kfpp.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
        COMPONENT kfpp_development)

install(FILES LICENSE README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT kfpp_development)
