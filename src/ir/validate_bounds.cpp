// SPDX-License-Identifier: Apache-2.0
// The checks that keep a hostile pipeline from running the rest away: sizes, component
// references that loop or nest too deeply, numbers outside their proto types, conditions that
// are not CEL, and text that is not UTF-8.
#include "ir/validate_bounds.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "ir/utf8.hpp"
#include "kfpp/ir/kubernetes.hpp"

namespace kfpp::detail {

using namespace kfpp::ir;  // NOLINT: a source file reading the IR throughout

namespace {

std::uint64_t load8(const char* p) noexcept {
  std::uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}

std::uint32_t load4(const char* p) noexcept {
  std::uint32_t word;
  std::memcpy(&word, p, 4);
  return word;
}

// Whether every byte of `s` is ASCII: its bytes or-ed together a word at a time (the last word
// overlapping the one before), with no branch a byte. Nearly every string of a pipeline is ASCII
// and short (names, references), and for those this is the whole check.
bool all_ascii(std::string_view s) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
  if (n >= 8) {
    std::uint64_t acc = load8(p + n - 8);
    for (std::size_t i = 0; i + 8 <= n; i += 8) acc |= load8(p + i);
    return (acc & 0x8080808080808080ull) == 0;
  }
  if (n >= 4) return ((load4(p) | load4(p + n - 4)) & 0x80808080u) == 0;
  unsigned acc = 0;
  for (std::size_t i = 0; i < n; ++i) acc |= static_cast<unsigned char>(p[i]);
  return (acc & 0x80u) == 0;
}

// UTF-8 with a byte of 0x80 or more: decoded sequence by sequence.
bool is_valid_non_ascii_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    // Nearly all text is ASCII: eight bytes at a time while none has its high bit set.
    constexpr std::uint64_t kHighBits = 0x8080808080808080ull;
    while (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if (word & kHighBits) break;
      i += 8;
    }
    if (i == n) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t len = decode_utf8(reinterpret_cast<const unsigned char*>(s.data()), n, i, cp);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

// The check the walk below makes of every string: the ASCII test inline, the decoder only
// for text with other bytes.
bool utf8_ok(std::string_view s) noexcept { return all_ascii(s) || is_valid_non_ascii_utf8(s); }

}  // namespace

bool is_valid_utf8(std::string_view s) noexcept { return utf8_ok(s); }

namespace {

constexpr std::int64_t kInt32Max = std::numeric_limits<std::int32_t>::max();

// A finding's path as its parts, joined with '/' only when a finding is made: nearly every check
// passes, and the IR outlives the walk, so the parts are views.
class Path {
 public:
  explicit Path(std::string_view root) : parts_{root} {}
  [[nodiscard]] Path operator/(std::string_view part) const {
    Path p = *this;
    if (p.n_ == p.parts_.size()) throw std::logic_error("Path: too many parts");
    p.parts_[p.n_++] = part;
    return p;
  }
  operator std::string() const {  // NOLINT: converts where a finding wants its path
    std::string s(parts_[0]);
    for (std::size_t k = 1; k < n_; ++k) (s += '/') += parts_[k];
    return s;
  }

 private:
  std::array<std::string_view, 7> parts_{};
  std::size_t n_ = 1;
};

class Bounds {
 public:
  Bounds(const Pipeline& p, std::vector<Diagnostic>& out) : p_(p), out_(out) {}

  bool run() {
    const std::string root = p_.name.empty() ? "<pipeline>" : p_.name;
    const std::size_t before = out_.size();
    std::size_t tasks = p_.root.dag ? p_.root.dag->tasks.size() : 0;
    for (const auto& c : p_.components)
      if (c.dag) tasks += c.dag->tasks.size();
    if (tasks > kMaxTasks)
      add("kfpp.too_many_tasks", root,
          "the pipeline has " + std::to_string(tasks) + " tasks, more than " +
              std::to_string(kMaxTasks),
          "split it into several pipelines");
    if (p_.components.size() > kMaxComponents)
      add("kfpp.too_many_components", root,
          "the pipeline has " + std::to_string(p_.components.size()) + " components, more than " +
              std::to_string(kMaxComponents),
          "split it into several pipelines");
    if (out_.size() != before) return false;
    const bool nesting_ok = nesting(root);
    text(root);
    numbers(root);
    return nesting_ok;
  }

 private:
  void add(std::string code, std::string path, std::string message, std::string fix) {
    out_.push_back({std::move(code), std::move(path), std::move(message), std::move(fix)});
  }

  // Component references form no cycle and nest at most kMaxNesting levels: an iterative
  // depth-first search over the DAG components, from the root and from every component.
  // Only DAG components can nest: the walk indexes them alone, and a pipeline of leaf
  // components (most are) nests one level without a walk.
  bool nesting(const std::string& root) {
    std::unordered_map<std::string_view, std::size_t> index;
    std::vector<const Component*> nodes{&p_.root};
    for (const auto& c : p_.components)
      if (c.dag && index.emplace(c.name, nodes.size()).second) nodes.push_back(&c);
    if (nodes.size() == 1) return true;
    enum : std::uint8_t { fresh, open, done };
    std::vector<std::uint8_t> state(nodes.size(), fresh);
    std::vector<std::size_t> depth(nodes.size(), 0);  // levels of DAGs below, once done
    struct Frame {
      std::size_t node;
      std::size_t next_task;
    };
    std::vector<Frame> stack;
    bool ok = true;
    for (std::size_t start = 0; start < nodes.size() && ok; ++start) {
      if (state[start] != fresh || !nodes[start]->dag) continue;
      stack.push_back({start, 0});
      state[start] = open;
      while (!stack.empty() && ok) {
        Frame& f = stack.back();
        const auto& tasks = nodes[f.node]->dag->tasks;
        if (f.next_task == tasks.size()) {
          std::size_t d = 0;
          for (const auto& t : tasks) {
            auto it = index.find(t.component_ref);
            if (it != index.end() && nodes[it->second]->dag) d = std::max(d, depth[it->second] + 1);
          }
          depth[f.node] = d;
          state[f.node] = done;
          stack.pop_back();
          continue;
        }
        const Task& t = tasks[f.next_task++];
        auto it = index.find(t.component_ref);
        if (it == index.end() || !nodes[it->second]->dag) continue;
        const std::size_t next = it->second;
        if (state[next] == open) {
          std::string chain = nodes[next]->name;
          for (std::size_t k = stack.size(); k-- > 0;) {
            chain = nodes[stack[k].node]->name + " -> " + chain;
            if (stack[k].node == next) break;
          }
          add("kfpp.component_cycle", root + "/components/" + nodes[next]->name,
              "components run each other in a cycle: " + chain,
              "a component cannot contain itself; break the chain");
          ok = false;
        } else if (state[next] == fresh) {
          if (stack.size() > kMaxNesting) {
            add("kfpp.too_deep", root + "/components/" + nodes[next]->name,
                "DAG components nest more than " + std::to_string(kMaxNesting) + " levels deep",
                "flatten the pipeline");
            ok = false;
          } else {
            state[next] = open;
            stack.push_back({next, 0});
          }
        }
      }
      stack.clear();
    }
    if (ok && depth[0] > kMaxNesting) {
      add("kfpp.too_deep", root,
          "DAG components nest more than " + std::to_string(kMaxNesting) + " levels deep",
          "flatten the pipeline");
      ok = false;
    }
    return ok;
  }

  void utf8(const std::string& s, const Path& path) {
    if (!utf8_ok(s)) add("kfpp.bad_utf8", path, "the text is not valid UTF-8", "write it as UTF-8");
  }

  // The same, with the path made by `where()` only for a finding: the walk below checks tens of
  // strings a task, and copying a path for each costs more than the check.
  template <class Where>
  void utf8_at(const std::string& s, Where&& where) {
    if (!utf8_ok(s)) utf8(s, where());
  }

  // Every string of a value, walked with an explicit stack.
  void utf8(const Value& v, const Path& path) {
    std::vector<const Value*> todo{&v};
    while (!todo.empty()) {
      const Value* x = todo.back();
      todo.pop_back();
      if (x->is_string()) {
        if (!utf8_ok(x->as_string())) return utf8(x->as_string(), path);
      } else if (x->is_array()) {
        for (const auto& item : x->as_array()) todo.push_back(&item);
      } else if (x->is_object()) {
        for (const auto& [k, item] : x->as_object()) {
          if (!utf8_ok(k)) return utf8(k, path);
          todo.push_back(&item);
        }
      }
    }
  }

  void utf8(const std::vector<Arg>& args, const Path& path) {
    auto& todo = arg_todo_;
    todo.clear();
    for (const auto& a : args) todo.push_back(&a);
    while (!todo.empty()) {
      const Arg* a = todo.back();
      todo.pop_back();
      if (!utf8_ok(a->text) || !utf8_ok(a->input_name))
        return add("kfpp.bad_utf8", path, "an argument is not valid UTF-8", "write it as UTF-8");
      for (const auto& x : a->items) todo.push_back(&x);
      for (const auto& x : a->otherwise) todo.push_back(&x);
    }
  }

  void interface(const Interface& itf, const Path& path) {
    for (const auto& s : itf.parameters) {
      utf8_at(s.name, [&] { return path / s.name; });
      utf8_at(s.description, [&] { return path / s.name / "description"; });
      if (s.default_value) utf8(*s.default_value, path / s.name / "defaultValue");
    }
    for (const auto& s : itf.artifacts) {
      utf8_at(s.name, [&] { return path / s.name; });
      utf8_at(s.description, [&] { return path / s.name / "description"; });
    }
  }

  void text(const std::string& root) {
    const Path top(root);
    utf8(p_.name, top);
    utf8(p_.display_name, top / "displayName");
    utf8(p_.description, top / "description");
    for (const Component* c : all_components()) {
      const Path path = c == &p_.root ? top : top / "components" / c->name;
      utf8(c->name, path);
      interface(c->inputs, path / "inputs");
      interface(c->outputs, path / "outputs");
      if (!c->dag) continue;
      for (const auto& t : c->dag->tasks) {
        const auto tp = [&] { return path / t.name; };
        utf8_at(t.name, tp);
        utf8_at(t.display_name, [&] { return tp() / "taskInfo"; });
        utf8_at(t.component_ref, [&] { return tp() / "componentRef"; });
        utf8_at(t.cache_key, [&] { return tp() / "cachingOptions"; });
        for (const auto& b : t.parameters) {
          const auto at = [&] { return tp() / "inputs" / b.name; };
          utf8_at(b.name, at);
          utf8_at(b.source, at);
          if (!b.constant.is_null()) utf8(b.constant, at());
        }
        if (t.iterator_raw_items) utf8(*t.iterator_raw_items, tp() / "parameterIterator");
        // Whether the condition parses as CEL is validation's (ir/cel.hpp, the runner's parser).
        utf8_at(t.trigger_condition, [&] { return tp() / "triggerPolicy" / "condition"; });
      }
    }
    for (const auto& e : p_.executors) {
      const Path path = top / "deploymentSpec" / e.label;
      utf8(e.label, path);
      if (!e.container) continue;
      utf8_at(e.container->image, [&] { return path / "container" / "image"; });
      utf8(e.container->command, path / "container" / "command");
      utf8(e.container->args, path / "container" / "args");
      for (const auto& v : e.container->env) {
        utf8_at(v.name, [&] { return path / "container" / "env"; });
        utf8_at(v.value, [&] { return path / "container" / "env" / v.name; });
      }
      if (e.container->python)
        utf8_at(e.container->python->source, [&] { return path / "container" / "source"; });
    }
  }

  void range(std::int64_t v, std::int64_t min, std::int64_t max, const Path& path,
             const char* what) {
    if (v < min || v > max)
      add("kfpp.out_of_range", path,
          std::string(what) + " " + std::to_string(v) + " is out of range (" + std::to_string(min) +
              " to " + std::to_string(max) + ")",
          "give a value in that range");
  }

  void numbers(const std::string& root) {
    const Path top(root);
    for (const Component* c : all_components()) {
      if (!c->dag) continue;
      const Path path = c == &p_.root ? top : top / "components" / c->name;
      for (const auto& t : c->dag->tasks) {
        const Path tp = path / t.name;
        range(t.parallelism_limit, 0, kInt32Max, tp / "iteratorPolicy" / "parallelismLimit",
              "the loop's parallelism");
        if (!t.retry_policy) continue;
        range(t.retry_policy->max_retry_count, 0, kInt32Max, tp / "retryPolicy" / "maxRetryCount",
              "the retry count");
        if (!std::isfinite(t.retry_policy->backoff_factor) || t.retry_policy->backoff_factor < 0)
          add("kfpp.out_of_range", tp / "retryPolicy" / "backoffFactor",
              "the backoff factor is negative or not finite", "give a factor such as 2");
      }
    }
    for (const auto& e : p_.executors) {
      const Path path = top / "deploymentSpec" / e.label;
      if (e.container && e.container->resources.accelerator &&
          e.container->resources.accelerator->count)
        range(*e.container->resources.accelerator->count, 0,
              std::numeric_limits<std::int64_t>::max(),
              path / "container" / "resources" / "accelerator", "the accelerator count");
      if (e.kubernetes)
        range(e.kubernetes->active_deadline_seconds, 0, std::numeric_limits<std::int64_t>::max(),
              path / "activeDeadlineSeconds", "the timeout");
    }
    if (p_.config) {
      range(p_.config->active_deadline_seconds, 0, std::numeric_limits<std::int64_t>::max(),
            top / "pipelineConfig" / "activeDeadlineSeconds", "the timeout");
      for (std::int64_t ttl :
           {p_.config->resource_ttl_on_completion, p_.config->resource_ttl_on_success,
            p_.config->resource_ttl_on_failure})
        range(ttl, 0, kInt32Max, top / "pipelineConfig", "a resource TTL");
    }
  }

  std::vector<const Component*> all_components() const {
    std::vector<const Component*> out{&p_.root};
    for (const auto& c : p_.components) out.push_back(&c);
    return out;
  }

  const Pipeline& p_;
  std::vector<Diagnostic>& out_;
  std::vector<const Arg*> arg_todo_;  // reused by every walk of an argument list
};

}  // namespace

bool check_bounds(const ir::Pipeline& pipeline, std::vector<Diagnostic>& out) {
  return Bounds(pipeline, out).run();
}

}  // namespace kfpp::detail
