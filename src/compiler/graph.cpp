// SPDX-License-Identifier: Apache-2.0
#include "kfpp/compiler/graph.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ir/validate_bounds.hpp"
#include "kfpp/error.hpp"

namespace kfpp {

namespace {

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// A node id from a task path below the root: `-` becomes `_` and `/` becomes `_S_`. KFP names hold only
// lower-case letters, digits and `-`, so no two paths share an id.
std::string node_id(const std::string& path) {
  std::string out = "t_";
  for (char c : path) {
    if (c == '/')
      out += "_S_";
    else if (c == '-')
      out += '_';
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      out += c;
    else
      out += 'x';
  }
  return out;
}

std::string shorten(const std::string& s, std::size_t max) {
  return s.size() <= max ? s : s.substr(0, max - 3) + "...";
}

// A condition as people read it: `inputs.parameter_values['pipelinechannel--x']` becomes `x`.
std::string readable_condition(const std::string& cel) {
  static const std::string open = "inputs.parameter_values['";
  std::string out;
  std::size_t pos = 0;
  while (pos < cel.size()) {
    std::size_t at = cel.find(open, pos);
    std::size_t end = at == std::string::npos ? at : cel.find("']", at + open.size());
    if (at == std::string::npos || end == std::string::npos) {
      out += cel.substr(pos);
      break;
    }
    out += cel.substr(pos, at - pos);
    std::string name = cel.substr(at + open.size(), end - at - open.size());
    if (name.rfind("pipelinechannel--", 0) == 0) name = name.substr(17);
    out += name;
    pos = end + 2;
  }
  return out;
}

// The group's caption: what kind of scope it is, with its condition or items.
std::string group_caption(const ir::Task& t) {
  const std::string name = t.display_name.empty() ? t.name : t.display_name;
  if (starts_with(t.name, "condition-branches-")) return name + ": if / elif / else";
  if (starts_with(t.name, "condition-"))
    return name + ": if " + shorten(readable_condition(t.trigger_condition), 80);
  if (!t.iterator_item_input.empty()) {
    std::string items;
    if (t.iterator_raw_items)
      items = shorten(ir::python_json_text(*t.iterator_raw_items), 60);
    else
      items = t.iterator_items_input.rfind("pipelinechannel--", 0) == 0
                  ? t.iterator_items_input.substr(17)
                  : t.iterator_items_input;
    std::string text = name + ": for each in " + items;
    if (t.parallelism_limit > 0)
      text += " (at most " + std::to_string(t.parallelism_limit) + " at once)";
    return text;
  }
  if (starts_with(t.name, "exit-handler-")) return name + ": exit handler";
  return name + ": pipeline " + t.component_ref;
}

bool is_exit_task(const ir::Task& t) {
  return t.trigger_strategy == "ALL_UPSTREAM_TASKS_COMPLETED";
}

class GraphWriter {
 public:
  GraphWriter(const ir::Pipeline& p, GraphFormat f) : p_(p), dot_(f == GraphFormat::dot) {
    components_.reserve(p.components.size());
    for (const auto& c : p.components) components_.emplace(c.name, &c);
  }

  std::string run() {
    if (dot_) {
      out_ += "digraph " + quote(p_.name) + " {\n";
      out_ += "  compound=true;\n  rankdir=TB;\n  fontname=\"Helvetica\";\n";
      out_ += "  label=" + quote(p_.display_name.empty() ? p_.name : p_.display_name) +
              ";\n  labelloc=t;\n";
      out_ +=
          "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#e8f0fe\", "
          "fontname=\"Helvetica\"];\n";
      out_ += "  edge [fontname=\"Helvetica\", fontsize=10];\n";
    } else {
      out_ += "flowchart TD\n";
    }
    if (p_.root.dag) dag(*p_.root.dag, "", 1);
    for (const auto& e : edges_) out_ += e;
    if (dot_) out_ += "}\n";
    return std::move(out_);
  }

 private:
  // The node an edge to or from a task attaches to, and the cluster it stands for (DOT).
  struct End {
    std::string id;
    std::string cluster;
  };

  const ir::Component* group_of(const ir::Task& t) const {
    auto it = components_.find(t.component_ref);
    return it != components_.end() && it->second->dag ? it->second : nullptr;
  }

  void dag(const ir::Dag& d, const std::string& path, int depth) {
    std::vector<const ir::Task*> tasks;
    std::unordered_map<std::string_view, const ir::Task*> by_name;
    by_name.reserve(d.tasks.size());
    for (const auto& t : d.tasks) {
      tasks.push_back(&t);
      by_name.emplace(t.name, &t);
    }
    std::sort(tasks.begin(), tasks.end(),
              [](const ir::Task* a, const ir::Task* b) { return a->name < b->name; });
    const std::string pad(static_cast<std::size_t>(depth) * 2, ' ');
    for (const ir::Task* t : tasks) {
      const std::string tpath = path.empty() ? t->name : path + "/" + t->name;
      const std::string id = node_id(tpath);
      if (const ir::Component* g = group_of(*t)) {
        const std::string caption = group_caption(*t);
        if (dot_) {
          out_ += pad + "subgraph " + quote("cluster_" + id) + " {\n";
          out_ += pad + "  label=" + quote(caption) + ";\n";
          out_ += pad + "  style=\"rounded,dashed\";\n";
          out_ += pad + "  " + id + " [shape=point, style=invis, label=\"\"];\n";
        } else {
          out_ += pad + "subgraph " + id + " [\"" + mermaid_text(caption) + "\"]\n";
        }
        if (g->dag) dag(*g->dag, tpath, depth + 1);
        out_ += pad + (dot_ ? "}\n" : "end\n");
      } else {
        const std::string label = t->display_name.empty() ? t->name : t->display_name;
        if (dot_) {
          std::string attrs = "label=" + quote(label);
          if (is_exit_task(*t)) attrs += ", fillcolor=\"#fde7e9\"";
          out_ += pad + id + " [" + attrs + "];\n";
        } else {
          out_ += pad + id + "[\"" + mermaid_text(label) + "\"]\n";
        }
      }
    }
    for (const ir::Task* t : tasks) {
      const End to = end_of(*t, path);
      for (const auto& u : t->upstream()) {
        auto from_it = by_name.find(u);
        if (from_it == by_name.end()) continue;
        const ir::Task* from_task = from_it->second;
        const End from = end_of(*from_task, path);
        add_edge(from, to, is_exit_task(*t));
      }
    }
  }

  End end_of(const ir::Task& t, const std::string& path) const {
    const std::string id = node_id(path.empty() ? t.name : path + "/" + t.name);
    return {id, group_of(t) ? "cluster_" + id : std::string()};
  }

  void add_edge(const End& from, const End& to, bool on_exit) {
    if (dot_) {
      std::vector<std::string> attrs;
      if (!from.cluster.empty()) attrs.push_back("ltail=" + quote(from.cluster));
      if (!to.cluster.empty()) attrs.push_back("lhead=" + quote(to.cluster));
      if (on_exit) {
        attrs.emplace_back("style=dashed");
        attrs.emplace_back("label=\"on exit\"");
      }
      std::string e = "  " + from.id + " -> " + to.id;
      if (!attrs.empty()) {
        e += " [";
        for (std::size_t i = 0; i < attrs.size(); ++i) e += (i ? ", " : "") + attrs[i];
        e += "]";
      }
      edges_.push_back(e + ";\n");
    } else {
      edges_.push_back("  " + from.id + (on_exit ? " -. on exit .-> " : " --> ") + to.id + "\n");
    }
  }

  static std::string quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
    }
    return out + "\"";
  }

  // Mermaid labels in double quotes take entity codes for the characters that would end them.
  static std::string mermaid_text(const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == '"')
        out += "#quot;";
      else if (c == '\n')
        out += ' ';
      else
        out += c;
    }
    return out;
  }

  const ir::Pipeline& p_;
  bool dot_;
  std::unordered_map<std::string_view, const ir::Component*> components_;
  std::string out_;
  std::vector<std::string> edges_;
};

}  // namespace

std::string emit_graph(const ir::Pipeline& pipeline, GraphFormat format) {
  // The writer descends into nested DAGs: refuse component cycles and runaway nesting first.
  std::vector<Diagnostic> problems;
  if (!kfpp::detail::check_bounds(pipeline, problems)) throw ValidationError(std::move(problems));
  return GraphWriter(pipeline, format).run();
}

}  // namespace kfpp
