// SPDX-License-Identifier: Apache-2.0
// Lowering, first half: which values cross which groups, and which tasks and groups wait for which.
#include <algorithm>
#include <string>
#include <vector>

#include "lowering.hpp"

namespace kfpp::detail {

// The values a task uses: its inputs, its settings', and those its enclosing conditions compare.
std::vector<LoweringChannel> Lowering::channels_used(std::size_t t) const {
  std::vector<Channel> used;
  for (const auto& b : st_.tasks[t].bindings) {
    if (b.source.kind != Source::Kind::constant) used.push_back({b.source, b.artifact});
    for (const auto& s : b.parts) used.push_back({s, false});
  }
  for_each_setting_channel(st_.tasks[t], [&](const Source& s) { used.push_back({s, false}); });
  for (std::size_t g = st_.tasks[t].group; g != 0; g = st_.groups[g].parent)
    if (st_.groups[g].kind == GroupRecord::Kind::condition)
      for (const auto& term : st_.groups[g].terms)
        for (const Operand* o : {&term.left, &term.right})
          if (o->is_channel) used.push_back({o->source, false});
  return used;
}

void Lowering::collect() {
  group_inputs_.assign(st_.groups.size(), {});
  task_deps_.assign(st_.tasks.size(), {});
  group_deps_.assign(st_.groups.size(), {});
  for (std::size_t t = 0; t < st_.tasks.size(); ++t) {
    if (siblings_only(t)) continue;
    const std::vector<Node> down_path = path_of({false, t});
    const std::string where = task_path(t);
    for (const Channel& c : channels_used(t)) {
      switch (c.source.kind) {
        case Source::Kind::pipeline_input:
          for (std::size_t i = 1; i + 1 < down_path.size(); ++i) add_input(down_path[i], c);
          break;
        case Source::Kind::task_output:
          link(where + "/inputs", down_path, false, {false, c.source.task}, &c, false);
          break;
        case Source::Kind::collected:
          link(where + "/inputs", down_path, false,
               {true, collected_level(c.source, st_.tasks[t].group)}, &c, true);
          break;
        case Source::Kind::oneof:
          link(where + "/inputs", down_path, false, {true, c.source.group}, &c, true);
          break;
        case Source::Kind::loop_item: {
          auto at = std::find(down_path.begin(), down_path.end(), Node{true, c.source.group});
          if (at == down_path.end()) {
            fail(
                "kfpp.out_of_scope", where + "/inputs",
                "uses the item of loop '" + st_.groups[c.source.group].name + "' outside that loop",
                "use a loop's item only inside its body");
            break;
          }
          for (auto i = at; i + 1 < down_path.end(); ++i) add_input(*i, c);
          break;
        }
        case Source::Kind::constant:
          break;
      }
    }
    for (std::size_t a : st_.tasks[t].after)
      link(where + "/after", down_path, false, {false, a}, nullptr, false);
  }
  // Pipeline outputs come from the top level.
  for (const auto& [name, src] : st_.output_sources) {
    const bool top = src.kind == Source::Kind::collected
                         ? st_.groups[collected_level(src, 0)].parent == 0
                     : src.kind == Source::Kind::oneof ? st_.groups[src.group].parent == 0
                                                       : st_.tasks[src.task].group == 0;
    if (!top)
      fail("kfpp.out_of_scope", st_.name + "/outputs/" + name,
           "the pipeline output comes from inside a condition, loop or exit handler",
           "return an output of a top-level task, a OneOf over a top-level If chain or a "
           "Collected(...) of a top-level loop");
  }
  // A loop declares its item, used or not; one over a channel reads its list the way a task
  // reads an input.
  for (std::size_t g = 1; g < st_.groups.size(); ++g) {
    const GroupRecord& rec = st_.groups[g];
    if (rec.kind != GroupRecord::Kind::loop) continue;
    Source item;
    item.kind = Source::Kind::loop_item;
    item.group = g;
    item.name = rec.item_input;
    const bool artifacts = rec.item_artifact.has_value();
    add_input({true, g}, Channel{item, artifacts});
    if (rec.raw_items) continue;
    const Channel c{rec.items, artifacts};
    const std::vector<Node> path = path_of({true, g});
    if (rec.items.kind == Source::Kind::pipeline_input) {
      for (std::size_t i = 1; i < path.size(); ++i) add_input(path[i], c);
    } else {
      link(group_path(g) + "/items", path, true, {false, rec.items.task}, &c, false);
    }
  }
}

// The common case, handled without walking the group tree: a top-level task that reads only
// pipeline inputs and outputs of other top-level tasks.
bool Lowering::siblings_only(std::size_t t) {
  const auto& rec = st_.tasks[t];
  if (rec.group != 0) return false;
  auto sibling = [&](const Source& s) {
    return s.kind == Source::Kind::constant || s.kind == Source::Kind::pipeline_input ||
           (s.kind == Source::Kind::task_output && st_.tasks[s.task].group == 0);
  };
  for (const auto& b : rec.bindings) {
    if (!sibling(b.source)) return false;
    for (const auto& s : b.parts)
      if (!sibling(s)) return false;
  }
  for (std::size_t a : rec.after)
    if (st_.tasks[a].group != 0) return false;
  bool settings = false;
  for_each_setting_channel(rec, [&](const Source&) { settings = true; });
  if (settings) return false;
  auto& deps = task_deps_[t];
  deps.reserve(rec.bindings.size() + rec.after.size());
  for (const auto& b : rec.bindings) {
    if (b.source.kind == Source::Kind::task_output) deps.push_back(st_.tasks[b.source.task].name);
    for (const auto& s : b.parts)
      if (s.kind == Source::Kind::task_output) deps.push_back(st_.tasks[s.task].name);
  }
  for (std::size_t a : rec.after) deps.push_back(st_.tasks[a].name);
  return true;
}

void Lowering::add_input(Node n, const Channel& c) {
  if (n.is_group && n.index != 0) group_inputs_[n.index].emplace(channel_name(c.source), c);
}

// Records that the consumer at the end of `down_path` needs `producer` (for `c`, or for ordering
// when `c` is null); `include_last` when the consumer is a group that takes the value as input.
void Lowering::link(const std::string& where, const std::vector<Node>& down_path, bool include_last,
                    Node producer, const Channel* c, bool collected) {
  const std::vector<Node> up_path = path_of(producer);
  std::size_t common = 0;
  while (common < up_path.size() && common < down_path.size() &&
         up_path[common] == down_path[common])
    ++common;
  if (common >= up_path.size() || common >= down_path.size()) {
    if (collected)
      fail("kfpp.out_of_scope", where,
           "reads Collected(...) or OneOf(...) of '" + node_name(producer) + "' inside it",
           "read the task's output directly there; these are for after the group");
    return;
  }
  Node up = up_path[common];
  Node down = down_path[common];
  // Waiting for a task in a loop waits for the whole loop; only reading its outputs needs
  // Collected, as the reference compiler rules.
  const bool waits_for_loop =
      !c && up.is_group && st_.groups[up.index].kind == GroupRecord::Kind::loop;
  if (up.is_group && !(collected && up == producer) && !waits_for_loop) {
    const GroupRecord& g = st_.groups[up.index];
    const bool loop = g.kind == GroupRecord::Kind::loop;
    const std::string kind = loop                                        ? "loop"
                             : g.kind == GroupRecord::Kind::exit_handler ? "exit handler"
                                                                         : "condition";
    fail("kfpp.out_of_scope", where,
         std::string(c ? "reads an output of" : "waits for") + " task '" + node_name(producer) +
             "', which runs inside " + kind + " '" + g.name + "' that this task is not in",
         loop ? "read it after the loop as kfpp::Collected(...), or move the task into the loop"
              : "move the task into the same " + kind + ", or read the value before the " + kind);
    return;
  }
  auto& deps = down.is_group ? group_deps_[down.index] : task_deps_[down.index];
  deps.push_back(node_name(up));
  if (!c) return;
  const std::size_t end = include_last ? down_path.size() : down_path.size() - 1;
  for (std::size_t i = common; i < end; ++i) add_input(down_path[i], *c);
}

}  // namespace kfpp::detail
