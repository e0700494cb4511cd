// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

// Scalars exactly as PyYAML writes them with `yaml.dump`'s defaults (width 80, indent 2, no
// unicode: non-ASCII text is escaped), which is how the KFP SDK writes its files. PyYAML decides
// between plain, single-quoted and double-quoted from what the text contains, and folds long
// lines at spaces; the rules here are PyYAML's, so that kfpp's file is the SDK's byte for byte.
namespace kfpp::detail {

/// Whether PyYAML writes `s` as a simple `key:` (else as a complex `? key` entry): not empty, no
/// line break, fewer than 128 characters.
[[nodiscard]] bool pyyaml_simple_key(std::string_view s);

/// Appends `k` as a simple map key (without the colon) when PyYAML writes it as one
/// (pyyaml_simple_key); otherwise appends nothing and returns false.
bool append_pyyaml_simple_key(std::string& out, std::string_view k, int indent);

/// Appends `s` as a str scalar. The current line of `out` (after its last '\n') holds what comes
/// before the scalar; `space_before` writes the separating space first (after `key:`), as PyYAML
/// does when the line does not end in whitespace; `indent` is the column continuation lines start
/// at; `simple_key` when the scalar is a map key (never folded, never multi-line).
void append_pyyaml_string(std::string& out, std::string_view s, int indent, bool simple_key,
                          bool space_before);

/// Whether PyYAML writes `s` plain and as it is: letters, digits and `_./-` only (no indicator,
/// nothing to fold or escape), read back as a string. What append_pyyaml_string then appends
/// is `s` itself (after the space, when asked for one).
[[nodiscard]] bool pyyaml_plain_word(std::string_view s) noexcept;

/// A double as Python's `repr` writes it: the shortest text that reads back the same, fixed
/// notation from 1e-4 up to 1e16 (`10.0`, `0.0001`), else an exponent (`1e-05`, `1.5e+16`).
/// Example: `python_float_repr(10) == "10.0"`
[[nodiscard]] std::string python_float_repr(double d);

/// A double as PyYAML's representer writes it: Python's `repr` in lower case, `.0` added before
/// an exponent that has no point (`1.0e+16`), `.nan`, `.inf`, `-.inf`.
/// Example: `pyyaml_float(10) == "10.0"`, `pyyaml_float(1e-5) == "1.0e-05"`
[[nodiscard]] std::string pyyaml_float(double d);

/// Whether PyYAML's YAML 1.1 resolver reads plain `s` as a string (not a bool, int, float, null,
/// timestamp, merge key or value key).
[[nodiscard]] bool pyyaml_plain_is_string(std::string_view s);

}  // namespace kfpp::detail
