// SPDX-License-Identifier: Apache-2.0
// Text that crosses from KFP into Argo: constants and their placeholders, literal text, names,
// and trigger conditions (CEL) rewritten as Argo `when` expressions (govaluate).
#include <cctype>
#include <cstdint>
#include <cstdio>

#include "argo_context.hpp"

namespace kfpp::detail::argo {

std::string selector_field(const std::string& selector) {
  const std::string head = "parseJson(string_value)[\"";
  if (selector.rfind(head, 0) != 0 || selector.size() < head.size() + 3) return {};
  if (selector.compare(selector.size() - 2, 2, "\"]") != 0) return {};
  std::string field = selector.substr(head.size(), selector.size() - head.size() - 2);
  for (char c : field)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return {};
  return field;
}

bool check_literal(Context& cx, const std::string& text, const std::string& path) {
  static constexpr std::string_view kRoots[] = {"inputs.", "outputs.",  "workflow.", "tasks.",
                                                "steps.",  "pod.",      "item",      "node.",
                                                "retries", "lastRetry", "="};
  for (std::size_t at = text.find("{{"); at != std::string::npos; at = text.find("{{", at + 2)) {
    const std::size_t end = text.find("}}", at + 2);
    if (end == std::string::npos) {
      cx.unsupported(path, "the text '" + text.substr(at, 40) + "' opens '{{' and never closes it",
                     "Argo reads '{{' as the start of a variable: remove it or close it");
      return false;
    }
    std::string tag = text.substr(at + 2, end - at - 2);
    while (!tag.empty() && tag.front() == ' ') tag.erase(0, 1);
    for (auto root : kRoots) {
      if (tag.rfind(root, 0) == 0) {
        cx.unsupported(path, "the text contains '{{" + tag + "}}', which Argo would replace",
                       "Argo has no escape for '{{': pass the text through a file or reword it");
        return false;
      }
    }
  }
  return true;
}

namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

}  // namespace

bool reads_task_id(const ir::Value& v) {
  return v.is_string() && v.as_string().find("{{$.pipeline_task_uuid}}") != std::string::npos;
}

std::string constant_text(Context& cx, const ir::Value& v, const std::string& task,
                          const std::string& path, const std::string& task_id) {
  std::string text = v.is_string() ? v.as_string() : ir::python_json_text(v);
  if (text.find("{{") == std::string::npos) return text;
  if (!check_literal(cx, text, path)) return text;
  if (text.find("{{$.pipeline_task_uuid}}") != std::string::npos) {
    if (task_id.empty())
      cx.unsupported(path,
                     "the task id placeholder has an Argo value only inside a task's pod (its "
                     "pod name), not as an input of a group or a setting",
                     "pass the task id to a container task, or use kfpp::pipeline_task_name");
    else
      replace_all(text, "{{$.pipeline_task_uuid}}", task_id);
  }
  if (text.find("{{$.pipeline_root}}") != std::string::npos) {
    cx.uses_pipeline_root = true;
    replace_all(text, "{{$.pipeline_root}}",
                std::string("{{workflow.parameters.") + kPipelineRootParameter + "}}");
  }
  if (text.find("{{$.workspace_path}}") != std::string::npos) {
    if (!cx.pipeline.config || !cx.pipeline.config->workspace)
      cx.unsupported(path, "reads the workspace path, but the pipeline has no workspace",
                     "give the pipeline a workspace (PipelineConfig.workspace)");
    replace_all(text, "{{$.workspace_path}}", kWorkspacePath);
  }
  replace_all(text, "{{$.pipeline_job_name}}", "{{workflow.name}}");
  replace_all(text, "{{$.pipeline_job_resource_name}}", "{{workflow.name}}");
  replace_all(text, "{{$.pipeline_job_uuid}}", "{{workflow.uid}}");
  replace_all(text, "{{$.pipeline_task_name}}", task);
  replace_all(text, "{{$.pipeline_job_create_time_utc}}", "{{workflow.creationTimestamp}}");
  // A run that no schedule started was scheduled when it was created.
  replace_all(text, "{{$.pipeline_job_schedule_time_utc}}",
              cx.options.kind == ArgoKind::cron_workflow ? "{{workflow.scheduledTime}}"
                                                         : "{{workflow.creationTimestamp}}");
  return text;
}

std::string dns_name(std::string_view name, std::size_t limit) {
  std::string out;
  for (char c : name) {
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out += (std::isalnum(static_cast<unsigned char>(l)) && static_cast<unsigned char>(l) < 0x80)
               ? l
               : '-';
  }
  while (!out.empty() && out.front() == '-') out.erase(0, 1);
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.empty()) out = "pipeline";
  if (out.size() <= limit) return out;
  std::uint32_t h = 2166136261u;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", h);
  out.resize(limit - 9);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out + "-" + hex;
}

// ---------------------------------------------------------------------------------------------
// Conditions. KFP writes a CEL expression over the condition task's inputs:
//   int(inputs.parameter_values['pipelinechannel--x']) > 5 && !(inputs.parameter_values['y'] ==
//   'heads')
// Argo evaluates `when` with govaluate after replacing its variables, so each input becomes its
// Argo variable, numbers stay bare and strings are quoted.
namespace {

struct Operand {
  enum class Kind { input, number, string, boolean } kind;
  std::string text;      // input: the input name; number/boolean: as written; string: the value
  bool numeric = false;  // input wrapped in int() or double()
};

class CelParser {
 public:
  CelParser(Context& cx, const std::string& src,
            const std::function<WhenOperand(const std::string&)>& operand, std::string path)
      : cx_(cx), s_(src), operand_(operand), path_(std::move(path)) {}

  std::string run() {
    std::string out = parse_or();
    skip();
    if (pos_ != s_.size()) fail("unexpected text at '" + s_.substr(pos_, 20) + "'");
    return ok_ ? out : std::string();
  }

 private:
  void fail(const std::string& why) {
    if (ok_)
      cx_.unsupported(path_, "the condition '" + s_ + "' cannot be written for Argo: " + why,
                      "conditions compare task outputs and parameters with constants");
    ok_ = false;
    pos_ = s_.size();
  }
  void skip() {
    while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
  }
  bool eat(std::string_view t) {
    skip();
    if (s_.compare(pos_, t.size(), t) == 0) {
      pos_ += t.size();
      return true;
    }
    return false;
  }

  std::string parse_or() {
    std::string out = parse_and();
    while (ok_ && eat("||")) out += " || " + parse_and();
    return out;
  }
  std::string parse_and() {
    std::string out = parse_unary();
    while (ok_ && eat("&&")) out += " && " + parse_unary();
    return out;
  }
  std::string parse_unary() {
    if (eat("!")) return "!" + parse_unary();
    skip();
    if (pos_ < s_.size() && s_[pos_] == '(') {
      // A parenthesis opens either a group or nothing else in the forms KFP writes.
      ++pos_;
      std::string inner = parse_or();
      if (!eat(")")) fail("a parenthesis is not closed");
      return "(" + inner + ")";
    }
    return parse_comparison();
  }
  std::string parse_comparison() {
    Operand a = parse_operand();
    skip();
    static constexpr std::string_view kOps[] = {"==", "!=", ">=", "<=", ">", "<"};
    std::string op;
    for (auto o : kOps) {
      if (eat(o)) {
        op = std::string(o);
        break;
      }
    }
    if (op.empty()) {
      fail("a comparison was expected");
      return {};
    }
    Operand b = parse_operand();
    return render(a) + " " + op + " " + render(b);
  }

  // Numbers and booleans stand bare; text (constants and text inputs) is quoted, so that
  // govaluate compares strings.
  std::string render(const Operand& o) {
    switch (o.kind) {
      case Operand::Kind::number:
      case Operand::Kind::boolean:
        return o.text;
      case Operand::Kind::string:
        return quote(o.text);
      case Operand::Kind::input: {
        WhenOperand v = operand_(o.text);
        return v.is_text && !o.numeric ? "'" + v.text + "'" : v.text;
      }
    }
    return {};
  }

  std::string quote(const std::string& v) {
    if (v.find('\\') != std::string::npos ||
        (v.find('\'') != std::string::npos && v.find('"') != std::string::npos)) {
      fail("the text constant " + v + " holds a backslash or both kinds of quote");
      return {};
    }
    return v.find('\'') == std::string::npos ? "'" + v + "'" : "\"" + v + "\"";
  }

  Operand parse_operand() {
    skip();
    for (std::string_view wrap : {"int(", "double("}) {
      if (eat(wrap)) {
        Operand inner = parse_operand();
        if (!eat(")")) fail("a parenthesis is not closed");
        if (inner.kind == Operand::Kind::input) inner.numeric = true;
        return inner;
      }
    }
    if (eat("inputs.parameter_values['")) {
      std::size_t end = s_.find("']", pos_);
      if (end == std::string::npos) {
        fail("an input name is not closed");
        return {};
      }
      Operand o{Operand::Kind::input, s_.substr(pos_, end - pos_)};
      pos_ = end + 2;
      return o;
    }
    if (pos_ < s_.size() && (s_[pos_] == '\'' || s_[pos_] == '"')) {
      const char q = s_[pos_++];
      std::string v;
      while (pos_ < s_.size() && s_[pos_] != q) {
        if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) {
          ++pos_;
          v += s_[pos_] == 'n' ? '\n' : s_[pos_];
        } else {
          v += s_[pos_];
        }
        ++pos_;
      }
      if (pos_ >= s_.size()) fail("a text constant is not closed");
      ++pos_;
      return {Operand::Kind::string, v};
    }
    if (eat("true")) return {Operand::Kind::boolean, "true"};
    if (eat("false")) return {Operand::Kind::boolean, "false"};
    std::size_t start = pos_;
    while (pos_ < s_.size() &&
           (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '.' ||
            s_[pos_] == '-' || s_[pos_] == '+' || s_[pos_] == 'e' || s_[pos_] == 'E'))
      ++pos_;
    if (pos_ == start) {
      fail("unexpected text at '" + s_.substr(pos_, 20) + "'");
      return {};
    }
    return {Operand::Kind::number, s_.substr(start, pos_ - start)};
  }

  Context& cx_;
  const std::string& s_;
  const std::function<WhenOperand(const std::string&)>& operand_;
  std::string path_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

std::string when_expression(Context& cx, const std::string& cel,
                            const std::function<WhenOperand(const std::string&)>& operand,
                            const std::string& path) {
  return CelParser(cx, cel, operand, path).run();
}

}  // namespace kfpp::detail::argo
