// SPDX-License-Identifier: Apache-2.0
#include "kfpp/dsl/control.hpp"

#include <algorithm>
#include <string>

#include "state.hpp"

namespace kfpp::detail {

namespace {

std::string group_path(const PipelineState& st, std::size_t g) {
  std::string path;
  for (std::size_t x = g; x != 0; x = st.groups[x].parent) path = "/" + st.groups[x].name + path;
  return st.name + path;
}

void check_terms(const PipelineState& st, const Predicate& c, const std::string& where) {
  for (const auto& t : c.terms())
    for (const Operand* o : {&t.left, &t.right})
      if (o->is_channel) st.check_source(o->source, where);
}

std::size_t add_group(PipelineState& st, GroupRecord g) {
  g.parent = st.current;
  st.groups.push_back(std::move(g));
  std::size_t id = st.groups.size() - 1;
  st.groups[st.current].members.push_back({true, id});
  st.current = id;
  return id;
}

Comparison negated(Comparison c) {
  c.negate = !c.negate;
  return c;
}

}  // namespace

PipelineState& state_of(Pipeline& p) { return *p.state_; }
std::size_t task_id(const TaskRef& t) { return t.id_; }

std::size_t open_condition(Pipeline& p, const Predicate& c, std::string name) {
  PipelineState& st = state_of(p);
  check_terms(st, c, group_path(st, st.current) + "/condition");
  GroupRecord g;
  g.kind = GroupRecord::Kind::condition;
  g.name = "condition-" + std::to_string(++st.group_counter);
  g.display_name = std::move(name);
  g.terms = c.terms();
  return add_group(st, std::move(g));
}

std::size_t open_branch(Pipeline& p, std::size_t first, const Predicate* c, std::string name) {
  PipelineState& st = state_of(p);
  const std::string where = group_path(st, st.current) + "/" + st.groups[first].name;
  auto misplaced = [&](const std::string& why) {
    return DefinitionError({"kfpp.misplaced_branch", where, why,
                            "call Elif/Else on the If right after it, in the same scope"});
  };
  GroupRecord& parent = st.groups[st.current];
  std::size_t wrapper = st.groups[first].parent;
  if (st.groups[wrapper].kind != GroupRecord::Kind::branches) {
    // The first Elif or Else: wrap the If in a `condition-branches-N` group that takes the If's
    // number, and give the If a new one, as the KFP compiler numbers them.
    if (parent.members.empty() || !parent.members.back().is_group ||
        parent.members.back().index != first)
      throw misplaced("tasks or groups were added between the If and this branch");
    GroupRecord w;
    w.kind = GroupRecord::Kind::branches;
    w.name = "condition-branches-" + st.groups[first].name.substr(std::string("condition-").size());
    w.parent = st.current;
    w.members.push_back({true, first});
    for (const auto& t : st.groups[first].terms) w.terms.push_back(negated(t));
    st.groups.push_back(std::move(w));
    wrapper = st.groups.size() - 1;
    st.groups[st.current].members.back().index = wrapper;
    st.groups[first].parent = wrapper;
    st.groups[first].name = "condition-" + std::to_string(++st.group_counter);
  } else {
    const GroupRecord& here = st.groups[st.current];
    if (here.members.empty() || !here.members.back().is_group ||
        here.members.back().index != wrapper)
      throw misplaced("tasks or groups were added between the If chain and this branch");
    if (!st.groups[wrapper].open) throw misplaced("the chain already ended with Else");
  }
  if (c) check_terms(st, *c, where);
  GroupRecord b;
  b.kind = GroupRecord::Kind::condition;
  b.name = "condition-" + std::to_string(++st.group_counter);
  b.display_name = std::move(name);
  // The branch holds when every earlier one did not: the KFP backend evaluates
  // `!(earlier) && ... && condition`.
  b.terms = st.groups[wrapper].terms;
  if (c) {
    for (const auto& t : c->terms()) {
      b.terms.push_back(t);
      st.groups[wrapper].terms.push_back(negated(t));
    }
  } else {
    st.groups[wrapper].open = false;
  }
  b.parent = wrapper;
  st.groups.push_back(std::move(b));
  std::size_t id = st.groups.size() - 1;
  st.groups[wrapper].members.push_back({true, id});
  st.current = id;
  return id;
}

std::size_t open_exit_handler(Pipeline& p, const TaskRef& exit_task, std::string name) {
  PipelineState& st = state_of(p);
  std::string where = group_path(st, st.current) + "/exit-handler";
  if (st.current != 0)
    throw DefinitionError({"kfpp.exit_handler_not_top", where,
                           "an exit handler must be at the top level of the pipeline",
                           "move the ExitHandler out of the condition or loop"});
  std::size_t t = task_id(exit_task);
  if (t >= st.tasks.size() || st.tasks[t].name != exit_task.name())
    throw DefinitionError({"kfpp.foreign_value", where, "the exit task belongs to another pipeline",
                           "pass a task of this pipeline"});
  TaskRecord& task = st.tasks[t];
  if (task.group != 0)
    throw DefinitionError({"kfpp.exit_task_not_top", where + "/" + task.name,
                           "the exit task must be added at the top level of the pipeline",
                           "add the exit task outside every condition and loop"});
  if (task.exit_handler != 0)
    throw DefinitionError({"kfpp.duplicate_exit_task", where + "/" + task.name,
                           "the task already exits another handler",
                           "add one exit task per exit handler"});
  for (const auto& b : task.bindings)
    if (b.source.kind == Source::Kind::task_output)
      throw DefinitionError({"kfpp.exit_task_reads_outputs",
                             st.name + "/" + task.name + "/inputs/" + b.port,
                             "an exit task cannot read other tasks' outputs",
                             "pass pipeline parameters or constants to the exit task"});
  if (!task.after.empty())
    throw DefinitionError({"kfpp.exit_task_reads_outputs", st.name + "/" + task.name + "/after",
                           "an exit task waits for its handler only",
                           "remove the after() calls on the exit task"});
  GroupRecord g;
  g.kind = GroupRecord::Kind::exit_handler;
  g.name = "exit-handler-" + std::to_string(++st.group_counter);
  g.display_name = std::move(name);
  g.exit_task = t;
  std::size_t id = add_group(st, std::move(g));
  st.tasks[t].exit_handler = id;
  return id;
}

namespace {
std::pair<std::size_t, Source> add_loop(PipelineState& st, GroupRecord g) {
  std::size_t id = add_group(st, std::move(g));
  Source item;
  item.kind = Source::Kind::loop_item;
  item.group = id;
  item.name = st.groups[id].item_input;
  item.owner = &st;
  return {id, std::move(item)};
}

void check_parallelism(const PipelineState& st, std::int64_t parallelism,
                       const std::string& where) {
  if (parallelism < 0)
    throw DefinitionError({"kfpp.invalid_value", where + "/parallelism",
                           "parallelism " + std::to_string(parallelism) + " is negative",
                           "give a positive limit, or 0 for none"});
  (void)st;
}
}  // namespace

std::pair<std::size_t, Source> open_loop(Pipeline& p, ir::Value::Array items,
                                         ir::ParameterType item_type, std::int64_t parallelism,
                                         std::string name) {
  PipelineState& st = state_of(p);
  const std::string where = group_path(st, st.current) + "/for-loop";
  check_parallelism(st, parallelism, where);
  if (items.empty())
    throw DefinitionError({"kfpp.invalid_value", where + "/items", "the loop has no items",
                           "give at least one item"});
  if (item_type == ir::ParameterType::structure)
    for (const auto& x : items)
      if (!x.is_object())
        throw DefinitionError({"kfpp.invalid_value", where + "/items",
                               "struct loop items must all be objects",
                               "give kfpp::Json::object({...}) items"});
  GroupRecord g;
  g.kind = GroupRecord::Kind::loop;
  // The item takes a number before its loop, as the KFP compiler counts them.
  g.item_input = "pipelinechannel--loop-item-param-" + std::to_string(++st.group_counter);
  g.name = "for-loop-" + std::to_string(++st.group_counter);
  g.raw_items = ir::Value(std::move(items));
  g.item_type = item_type;
  g.parallelism = parallelism;
  g.display_name = std::move(name);
  return add_loop(st, std::move(g));
}

std::pair<std::size_t, Source> open_loop(Pipeline& p, const Source& items,
                                         ir::ParameterType item_type, std::int64_t parallelism,
                                         std::string name) {
  PipelineState& st = state_of(p);
  const std::string where = group_path(st, st.current) + "/for-loop";
  check_parallelism(st, parallelism, where);
  st.check_source(items, where + "/items");
  std::string base;
  if (items.kind == Source::Kind::pipeline_input)
    base = items.name;
  else if (items.kind == Source::Kind::task_output)
    base = st.tasks[items.task].name + "-" + items.name;
  else
    throw DefinitionError({"kfpp.unsupported", where + "/items",
                           "a loop runs over a pipeline parameter or a task output here",
                           "pass the list through a task, or loop over a literal list"});
  GroupRecord g;
  g.kind = GroupRecord::Kind::loop;
  g.name = "for-loop-" + std::to_string(++st.group_counter);
  g.items = items;
  g.item_input = "pipelinechannel--" + base + "-loop-item";
  g.item_type = item_type;
  g.parallelism = parallelism;
  g.display_name = std::move(name);
  return add_loop(st, std::move(g));
}

std::pair<std::size_t, Source> open_artifact_loop(Pipeline& p, const Source& items,
                                                  ir::ArtifactType item_type,
                                                  std::int64_t parallelism, std::string name) {
  auto [g, item] = open_loop(p, items, ir::ParameterType::string, parallelism, std::move(name));
  state_of(p).groups[g].item_artifact = std::move(item_type);
  return {g, std::move(item)};
}

Source field_of(const Source& item, std::string name) {
  const std::string where = item.owner ? item.owner->name + "/" + item.name : item.name;
  if (item.kind != Source::Kind::loop_item || !item.field.empty())
    throw DefinitionError({"kfpp.invalid_value", where,
                           "field() reads a field of a loop item over struct values",
                           "call it on the item that ParallelFor passes to its body"});
  if (name.empty())
    throw DefinitionError(
        {"kfpp.invalid_name", where, "the field name is empty", "name a key of the items"});
  Source s = item;
  s.field = std::move(name);
  return s;
}

Source collected_of(const Source& output) {
  if (output.kind != Source::Kind::task_output || output.owner == nullptr)
    throw DefinitionError({"kfpp.collected_outside_loop", "Collected",
                           "Collected takes the output of a task inside a ParallelFor",
                           "pass task.output() of a task added in the loop's body"});
  const PipelineState& st = *output.owner;
  const auto& task = st.tasks[output.task];
  const std::string where = st.name + "/" + task.name + "/outputs/" + output.name;
  std::size_t g = task.group;
  if (st.groups[g].kind != GroupRecord::Kind::loop) {
    for (std::size_t x = g; x != 0; x = st.groups[x].parent)
      if (st.groups[x].kind == GroupRecord::Kind::loop)
        throw DefinitionError({"kfpp.unsupported", where,
                               "Collected reads tasks directly in a loop's body; this one is "
                               "nested in '" +
                                   st.groups[g].name + "'",
                               "move the task to the loop's body"});
    throw DefinitionError({"kfpp.collected_outside_loop", where,
                           "task '" + task.name + "' is not inside a ParallelFor",
                           "use the output directly; Collected is for loop outputs"});
  }
  Source s = output;
  s.kind = Source::Kind::collected;
  s.group = g;
  return s;
}

Source oneof_of(const std::vector<Source>& options) {
  if (options.empty() || options[0].owner == nullptr ||
      options[0].kind != Source::Kind::task_output)
    throw DefinitionError({"kfpp.invalid_oneof", "OneOf",
                           "OneOf takes outputs of tasks in the branches of an If chain",
                           "pass task.output() of one task per branch"});
  // The state is the pipeline's own; a Source only keeps it const to stay a plain value.
  auto& st = const_cast<PipelineState&>(*options[0].owner);
  const std::string where = st.name + "/OneOf";
  const std::size_t first_branch = st.tasks[options[0].task].group;
  const std::size_t chain = st.groups[first_branch].parent;
  if (st.groups[chain].kind != GroupRecord::Kind::branches)
    throw DefinitionError({"kfpp.invalid_oneof", where,
                           "task '" + st.tasks[options[0].task].name +
                               "' is not directly in a branch of an If / Elif / Else chain",
                           "pass outputs of tasks added in the branches' bodies"});
  std::vector<std::size_t> seen;
  for (const auto& o : options) {
    if (o.owner != &st || o.kind != Source::Kind::task_output)
      throw DefinitionError({"kfpp.invalid_oneof", where,
                             "every option must be a task output of the same pipeline",
                             "pass task.output() of one task per branch"});
    const std::size_t branch = st.tasks[o.task].group;
    if (st.groups[branch].parent != chain)
      throw DefinitionError(
          {"kfpp.invalid_oneof", where,
           "task '" + st.tasks[o.task].name + "' is not in a branch of the same If chain",
           "take every option from the same If / Elif / Else chain"});
    if (std::find(seen.begin(), seen.end(), branch) != seen.end())
      throw DefinitionError({"kfpp.invalid_oneof", where,
                             "two options come from branch '" + st.groups[branch].name + "'",
                             "take one output per branch"});
    seen.push_back(branch);
  }
  if (st.groups[chain].open)
    throw DefinitionError({"kfpp.invalid_oneof", where,
                           "the If chain has no Else, so no branch may run",
                           "end the chain with Else and pass an output from it too"});
  const std::size_t last = st.groups[chain].members.back().index;
  if (std::find(seen.begin(), seen.end(), last) == seen.end())
    throw DefinitionError({"kfpp.invalid_oneof", where, "no option comes from the Else branch",
                           "pass an output of a task in the Else branch too"});
  auto& list = st.groups[chain].oneofs;
  list.push_back(options);
  Source s;
  s.kind = Source::Kind::oneof;
  s.group = chain;
  s.task = list.size() - 1;
  s.name = "pipelinechannel--" + st.groups[chain].name + "-oneof-" + std::to_string(list.size());
  s.owner = &st;
  return s;
}

void close_group(Pipeline& p, std::size_t g) noexcept {
  PipelineState& st = state_of(p);
  std::size_t parent = st.groups[g].parent;
  // A branch returns to the scope around its If chain.
  if (st.groups[parent].kind == GroupRecord::Kind::branches) parent = st.groups[parent].parent;
  st.current = parent;
}

}  // namespace kfpp::detail
