// SPDX-License-Identifier: Apache-2.0
// Settings replaced at compile time, as the SDK's compiler replaces the pipeline's name and its
// parameters' defaults.
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "kfpp/compile.hpp"
#include "kfpp/error.hpp"
#include "kfpp/ir/validate.hpp"

namespace kfpp {

namespace {

std::string known_parameters(const ir::Pipeline& ir) {
  std::string names;
  for (const auto& p : ir.root.inputs.parameters) names += (names.empty() ? "" : ", ") + p.name;
  return names.empty() ? "the pipeline has no parameters" : "its parameters are " + names;
}

const ir::ParameterSpec& parameter_named(const ir::Pipeline& ir, const std::string& name) {
  const std::string where = ir.name + "/inputs/" + name;
  if (const auto* p = ir.root.inputs.find_parameter(name)) return *p;
  if (ir.root.inputs.find_artifact(name))
    throw DefinitionError({"kfpp.unsupported", where,
                           "'" + name + "' is an artifact input, which takes no default",
                           "give defaults to parameters only"});
  throw DefinitionError({"kfpp.unknown_parameter", where,
                         "the pipeline has no parameter called '" + name + "'",
                         known_parameters(ir)});
}

DefinitionError bad_value(const ir::Pipeline& ir, const ir::ParameterSpec& p,
                          const std::string& shown) {
  return DefinitionError(
      {"kfpp.bad_parameter_value", ir.name + "/inputs/" + p.name,
       shown + " is not a value of parameter '" + p.name + "', which is " + ir::to_string(p.type),
       "give a value of the parameter's type"});
}

// A small strict JSON reader for values given on a command line; nothing is left unread, and
// nesting is bounded so that no input can exhaust the stack.
class JsonText {
 public:
  explicit JsonText(const std::string& text) : s_(text) {}

  std::optional<Json> read() {
    auto v = value(0);
    skip_space();
    if (!v || i_ != s_.size()) return std::nullopt;
    return v;
  }

 private:
  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  bool eat(char c) {
    skip_space();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool word(const char* w) {
    const std::string ww(w);
    if (s_.compare(i_, ww.size(), ww) != 0) return false;
    i_ += ww.size();
    return true;
  }

  std::optional<Json> value(int depth) {
    if (depth > 64) return std::nullopt;
    skip_space();
    if (i_ >= s_.size()) return std::nullopt;
    const char c = s_[i_];
    if (c == '{') return object(depth);
    if (c == '[') return array(depth);
    if (c == '"') {
      auto str = string();
      if (!str) return std::nullopt;
      return Json(std::move(*str));
    }
    if (word("true")) return Json(true);
    if (word("false")) return Json(false);
    if (word("null")) return Json(nullptr);
    return number();
  }

  std::optional<Json> object(int depth) {
    ++i_;
    Json::Object o;
    if (eat('}')) return Json(std::move(o));
    do {
      skip_space();
      auto key = string();
      if (!key || !eat(':')) return std::nullopt;
      auto v = value(depth + 1);
      if (!v) return std::nullopt;
      o[*key] = std::move(*v);
    } while (eat(','));
    if (!eat('}')) return std::nullopt;
    return Json(std::move(o));
  }

  std::optional<Json> array(int depth) {
    ++i_;
    Json::Array a;
    if (eat(']')) return Json(std::move(a));
    do {
      auto v = value(depth + 1);
      if (!v) return std::nullopt;
      a.push_back(std::move(*v));
    } while (eat(','));
    if (!eat(']')) return std::nullopt;
    return Json(std::move(a));
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::optional<std::uint32_t> hex4() {
    if (i_ + 4 > s_.size()) return std::nullopt;
    std::uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = s_[i_++];
      v <<= 4;
      if (h >= '0' && h <= '9')
        v |= static_cast<std::uint32_t>(h - '0');
      else if (h >= 'a' && h <= 'f')
        v |= static_cast<std::uint32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        v |= static_cast<std::uint32_t>(h - 'A' + 10);
      else
        return std::nullopt;
    }
    return v;
  }

  std::optional<std::string> string() {
    if (i_ >= s_.size() || s_[i_] != '"') return std::nullopt;
    ++i_;
    std::string out;
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) return std::nullopt;
      const char e = s_[i_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          auto cp = hex4();
          if (!cp) return std::nullopt;
          if (*cp >= 0xD800 && *cp < 0xDC00) {
            if (!word("\\u")) return std::nullopt;
            auto low = hex4();
            if (!low || *low < 0xDC00 || *low >= 0xE000) return std::nullopt;
            *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
          } else if (*cp >= 0xDC00 && *cp < 0xE000) {
            return std::nullopt;
          }
          append_utf8(out, *cp);
          break;
        }
        default:
          return std::nullopt;
      }
    }
    return std::nullopt;
  }

  std::optional<Json> number() {
    const std::size_t from = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    auto digits = [&] {
      const std::size_t d = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      return i_ - d;
    };
    const std::size_t lead = i_;
    const std::size_t whole = digits();
    if (whole == 0 || (whole > 1 && s_[lead] == '0')) return std::nullopt;
    bool integral = true;
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      integral = false;
      if (digits() == 0) return std::nullopt;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      integral = false;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (digits() == 0) return std::nullopt;
    }
    const std::string text = s_.substr(from, i_ - from);
    errno = 0;
    if (integral) {
      const long long v = std::strtoll(text.c_str(), nullptr, 10);
      if (errno != ERANGE) return Json(v);
      errno = 0;
    }
    const double d = std::strtod(text.c_str(), nullptr);
    if (errno == ERANGE) return std::nullopt;
    return Json(d);
  }

  const std::string& s_;
  std::size_t i_ = 0;
};

}  // namespace

void apply_compile_options(ir::Pipeline& ir, const CompileOptions& options) {
  if (!options.pipeline_name.empty()) {
    if (!ir::is_valid_task_name(options.pipeline_name))
      throw DefinitionError({"kfpp.invalid_name", options.pipeline_name,
                             "'" + options.pipeline_name + "' is not a valid pipeline name",
                             "use lower-case letters, digits and '-', starting and ending with a "
                             "letter or digit, at most 128 characters"});
    ir.name = options.pipeline_name;
  }
  if (!options.display_name.empty()) ir.display_name = options.display_name;
  if (!options.pipeline_root.empty()) ir.default_pipeline_root = options.pipeline_root;
  for (const auto& [name, value] : options.parameters) {
    const ir::ParameterSpec& spec = parameter_named(ir, name);
    if (!ir::value_matches(value, spec.type) || spec.type == ir::ParameterType::task_final_status)
      throw bad_value(ir, spec, "the value given");
    for (auto& p : ir.root.inputs.parameters) {
      if (p.name != name) continue;
      // A double parameter holds a double even when the value was written as an integer.
      p.default_value = p.type == ir::ParameterType::number_double && value.is_int()
                            ? Json(static_cast<double>(value.as_int()))
                            : value;
      p.is_optional = true;
    }
  }
}

Json parameter_value_from_text(const ir::Pipeline& ir, const std::string& name,
                               const std::string& text) {
  const ir::ParameterSpec& spec = parameter_named(ir, name);
  const std::string shown = "'" + (text.size() > 80 ? text.substr(0, 80) + "..." : text) + "'";
  switch (spec.type) {
    case ir::ParameterType::string:
      return Json(text);
    case ir::ParameterType::boolean:
      if (text == "true") return Json(true);
      if (text == "false") return Json(false);
      throw bad_value(ir, spec, shown);
    case ir::ParameterType::number_integer: {
      errno = 0;
      char* end = nullptr;
      const long long v = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0' || errno == ERANGE) throw bad_value(ir, spec, shown);
      return Json(v);
    }
    case ir::ParameterType::number_double: {
      errno = 0;
      char* end = nullptr;
      const double v = std::strtod(text.c_str(), &end);
      if (text.empty() || *end != '\0' || errno == ERANGE ||
          text.find_first_of("xXnN") != text.npos)
        throw bad_value(ir, spec, shown);
      return Json(v);
    }
    case ir::ParameterType::list:
    case ir::ParameterType::structure: {
      auto v = JsonText(text).read();
      const bool fits =
          v && (spec.type == ir::ParameterType::list ? v->is_array() : v->is_object());
      if (!fits) throw bad_value(ir, spec, shown);
      return *v;
    }
    case ir::ParameterType::task_final_status:
      break;
  }
  throw bad_value(ir, spec, shown);
}

}  // namespace kfpp
