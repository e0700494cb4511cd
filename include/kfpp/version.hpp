// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The kfpp release, as written into `sdkVersion` (`kfpp-<version>`).
/// Example: `std::string v = kfpp::version_string;`
#define KFPP_VERSION_MAJOR 0
#define KFPP_VERSION_MINOR 1
#define KFPP_VERSION_PATCH 0

namespace kfpp {
/// The version as text, e.g. "0.1.0". Example: `std::cout << kfpp::version_string;`
inline constexpr const char* version_string = "0.1.0";
}  // namespace kfpp
