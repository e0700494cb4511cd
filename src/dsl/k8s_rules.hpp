// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "where.hpp"

// The Kubernetes rules a task's settings are checked against when they are set. Each check
// throws DefinitionError with a stable code, the path `where`, and how to fix the value.
namespace kfpp::detail {

/// A CPU quantity: a number (`1`, `0.5`) or whole millicores (`500m`). Returns the CPUs.
double check_cpu(const std::string& q, const Where& where);
/// A memory quantity: a number of bytes with an optional suffix (`512Mi`, `2G`). Returns it in
/// decimal gigabytes, as the KFP IR's old numeric fields hold it.
double check_memory(const std::string& q, const Where& where);
/// Any Kubernetes quantity without a sign (`1Gi`, `100m`, `5`).
void check_quantity(const std::string& q, const Where& where);

/// A DNS-1123 label: at most 63 lower-case letters, digits and '-', alphanumeric at both ends.
void check_dns_label(const std::string& name, const Where& where, const char* what);
/// A DNS-1123 subdomain: dot-separated labels, at most 253 characters (Secret, ConfigMap and
/// claim names).
void check_dns_subdomain(const std::string& name, const Where& where, const char* what);
/// A label or annotation key: `[prefix/]name`, prefix a DNS subdomain, name at most 63
/// characters of letters, digits, '-', '_', '.', alphanumeric at both ends.
void check_label_key(const std::string& key, const Where& where);
/// A label value: empty, or like a key's name part.
void check_label_value(const std::string& value, const Where& where);
/// An environment variable name.
void check_env_name(const std::string& name, const Where& where);
/// A container mount path: absolute, without `..`.
void check_mount_path(const std::string& path, const Where& where);
/// A toleration's operator, effect and their combination with key, value and seconds.
void check_toleration(const std::string& key, const std::string& op, const std::string& value,
                      const std::string& effect, const std::optional<long long>& seconds,
                      const Where& where);
/// An access mode of a volume claim.
void check_access_mode(const std::string& mode, const Where& where);
/// A non-empty string without whitespace or control characters (images, resource types).
void check_token(const std::string& s, const Where& where, const char* what);

}  // namespace kfpp::detail
