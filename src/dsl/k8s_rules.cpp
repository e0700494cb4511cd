// SPDX-License-Identifier: Apache-2.0
#include "k8s_rules.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "kfpp/error.hpp"

namespace kfpp::detail {

namespace {

[[noreturn]] void fail(const char* code, const Where& where, std::string message, std::string fix) {
  throw DefinitionError({code, where, std::move(message), std::move(fix)});
}

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_alnum(char c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z'); }

struct Quantity {
  double number = 0;
  std::string_view suffix;  ///< a view of the text parsed
};

[[noreturn]] void refuse_quantity(const Where& where, const char* what, const char* example,
                                  std::string message) {
  fail("kfpp.invalid_quantity", where, std::move(message),
       std::string("write ") + what + " like " + example);
}

// `<digits>[.<digits>]<suffix>`: the unsigned form of a Kubernetes quantity. Nothing is
// allocated unless the text is refused: the DSL and lowering read every task's quantities.
Quantity parse_quantity(const std::string& q, const Where& where, const char* what,
                        const char* example) {
  auto refuse = [&](std::string message) {
    refuse_quantity(where, what, example, std::move(message));
  };
  if (q.empty()) refuse(std::string("the ") + what + " is empty");
  if (q[0] == '-') refuse("'" + q + "' is negative");
  std::size_t i = 0;
  std::size_t digits = 0;
  bool dot = false;
  for (; i < q.size(); ++i) {
    if (q[i] >= '0' && q[i] <= '9') {
      ++digits;
    } else if (q[i] == '.') {
      if (dot) refuse("'" + q + "' has more than one '.'");
      dot = true;
    } else {
      break;
    }
  }
  if (digits == 0) refuse("'" + q + "' does not start with a number");
  if (q[i - 1] == '.') refuse("'" + q + "' ends its number with '.'");
  Quantity out;
  std::from_chars(q.data(), q.data() + i, out.number);
  out.suffix = std::string_view(q).substr(i);
  static constexpr std::array<std::string_view, 14> suffixes = {
      "", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  for (std::string_view s : suffixes)
    if (out.suffix == s) return out;
  if (out.suffix == "K")
    fail("kfpp.invalid_quantity", where, "'" + q + "': Kubernetes has no suffix 'K'",
         "use 'k' (1000) or 'Ki' (1024)");
  fail("kfpp.invalid_quantity", where,
       "'" + q + "' has an unknown suffix '" + std::string(out.suffix) + "'",
       "use one of m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei");
}

bool is_dns_label(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (!is_lower_alnum(s.front()) || !is_lower_alnum(s.back())) return false;
  for (char c : s)
    if (!is_lower_alnum(c) && c != '-') return false;
  return true;
}

bool is_dns_subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = s.find('.', start);
    const std::string_view part =
        s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
    if (!is_dns_label(part)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// The name part of a label key, and a label value: letters, digits, '-', '_', '.'.
bool is_label_name(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (!is_alnum(s.front()) || !is_alnum(s.back())) return false;
  for (char c : s)
    if (!is_alnum(c) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

}  // namespace

double check_cpu(const std::string& q, const Where& where) {
  const Quantity v = parse_quantity(q, where, "a CPU quantity", "'1', '0.5' or '500m'");
  if (v.suffix == "m") {
    if (q.find('.') != std::string::npos)
      fail("kfpp.invalid_quantity", where, "'" + q + "' has a fraction of a millicore",
           "use whole millicores ('1500m'), or CPUs ('1.5')");
    return v.number / 1000;
  }
  if (!v.suffix.empty())
    fail("kfpp.invalid_quantity", where, "'" + q + "' is not a CPU quantity",
         "give CPUs ('2', '0.5') or millicores ('500m')");
  return v.number;
}

double check_memory(const std::string& q, const Where& where) {
  const Quantity v = parse_quantity(q, where, "a memory quantity", "'512Mi', '2G' or '1073741824'");
  if (v.suffix == "m")
    fail("kfpp.invalid_quantity", where, "'" + q + "' is in thousandths of a byte",
         "use 'M' (megabytes) or 'Mi' (mebibytes)");
  // Decimal gigabytes, computed as the reference compiler does.
  static constexpr double giga = 1e9;
  const std::string_view s = v.suffix;
  if (s.empty()) return v.number / giga;
  if (s == "G") return v.number;
  const bool binary = s.size() == 2;
  const char* order = "kMGTPE";
  const std::size_t power = std::string_view(order).find(s[0] == 'K' ? 'k' : s[0]) + 1;
  const double unit = binary ? std::ldexp(1.0, static_cast<int>(10 * power))
                             : std::pow(10.0, static_cast<double>(3 * power));
  return v.number * unit / giga;
}

void check_quantity(const std::string& q, const Where& where) {
  (void)parse_quantity(q, where, "a quantity", "'1Gi', '500m' or '10'");
}

void check_dns_label(const std::string& name, const Where& where, const char* what) {
  if (!is_dns_label(name))
    fail("kfpp.invalid_k8s_name", where, std::string("'") + name + "' is not a valid " + what,
         "use at most 63 lower-case letters, digits and '-', starting and ending with a letter "
         "or digit");
}

void check_dns_subdomain(const std::string& name, const Where& where, const char* what) {
  if (!is_dns_subdomain(name))
    fail("kfpp.invalid_k8s_name", where, std::string("'") + name + "' is not a valid " + what,
         "use lower-case letters, digits, '-' and '.', starting and ending with a letter or "
         "digit, at most 253 characters");
}

void check_label_key(const std::string& key, const Where& where) {
  const std::size_t slash = key.find('/');
  const std::string_view prefix =
      slash == std::string::npos ? std::string_view() : std::string_view(key).substr(0, slash);
  const std::string_view name =
      slash == std::string::npos ? std::string_view(key) : std::string_view(key).substr(slash + 1);
  if (slash != std::string::npos && !is_dns_subdomain(prefix))
    fail("kfpp.invalid_label", where, "the prefix of key '" + key + "' is not a DNS subdomain",
         "use a prefix like 'example.com/', or none");
  if (!is_label_name(name))
    fail("kfpp.invalid_label", where, "'" + key + "' is not a valid label or annotation key",
         "use at most 63 letters, digits, '-', '_' and '.' after an optional 'prefix/', "
         "starting and ending with a letter or digit");
}

void check_label_value(const std::string& value, const Where& where) {
  if (!value.empty() && !is_label_name(value))
    fail("kfpp.invalid_label", where, "'" + value + "' is not a valid label value",
         "use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter "
         "or digit (or an empty value)");
}

void check_env_name(const std::string& name, const Where& where) {
  bool ok = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name)
    if (!is_alnum(c) && c != '_' && c != '-' && c != '.') ok = false;
  if (!ok)
    fail("kfpp.invalid_name", where, "'" + name + "' is not a valid environment variable name",
         "use letters, digits, '_', '-' and '.', not starting with a digit");
}

void check_mount_path(const std::string& path, const Where& where) {
  if (path.empty() || path[0] != '/')
    fail("kfpp.invalid_mount_path", where, "mount path '" + path + "' is not absolute",
         "start the path with '/'");
  const std::string padded = path + "/";
  if (padded.find("/../") != std::string::npos)
    fail("kfpp.invalid_mount_path", where, "mount path '" + path + "' contains '..'",
         "give the path without '..'");
}

void check_toleration(const std::string& key, const std::string& op, const std::string& value,
                      const std::string& effect, const std::optional<long long>& seconds,
                      const Where& where) {
  if (!op.empty() && op != "Equal" && op != "Exists")
    fail("kfpp.invalid_toleration", where, "operator '" + op + "' is not Equal or Exists",
         "use \"Equal\" (with a value) or \"Exists\"");
  if (!effect.empty() && effect != "NoSchedule" && effect != "PreferNoSchedule" &&
      effect != "NoExecute")
    fail("kfpp.invalid_toleration", where, "effect '" + effect + "' is not a taint effect",
         "use \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\", or leave it empty for all");
  if (op == "Exists" && !value.empty())
    fail("kfpp.invalid_toleration", where, "operator Exists takes no value",
         "drop the value, or use operator Equal");
  if (key.empty() && op != "Exists")
    fail("kfpp.invalid_toleration", where, "a toleration without a key must use operator Exists",
         "give a key, or set .op = \"Exists\" to tolerate every taint");
  if (!key.empty()) check_label_key(key, where / "key");
  check_label_value(value, where / "value");
  if (seconds && effect != "NoExecute")
    fail("kfpp.invalid_toleration", where, "toleration seconds apply only to effect NoExecute",
         "set .effect = \"NoExecute\", or drop .seconds");
  if (seconds && *seconds < 0)
    fail("kfpp.invalid_toleration", where, "toleration seconds are negative",
         "give 0 or more seconds");
}

void check_access_mode(const std::string& mode, const Where& where) {
  if (mode != "ReadWriteOnce" && mode != "ReadOnlyMany" && mode != "ReadWriteMany" &&
      mode != "ReadWriteOncePod")
    fail("kfpp.invalid_value", where, "'" + mode + "' is not an access mode",
         "use ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod");
}

void check_token(const std::string& s, const Where& where, const char* what) {
  bool ok = !s.empty();
  for (unsigned char c : s)
    if (c <= ' ' || c == 0x7f) ok = false;
  if (!ok)
    fail("kfpp.invalid_value", where, std::string("'") + s + "' is not a valid " + what,
         std::string("give a non-empty ") + what + " without spaces");
}

}  // namespace kfpp::detail
