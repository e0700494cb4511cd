// SPDX-License-Identifier: Apache-2.0
#include "argo_node.hpp"

#include <functional>
#include <stdexcept>

#include "ir/json_text.hpp"
#include "yaml_writer.hpp"

namespace kfpp::detail {

Node Node::from(const ir::Value& v) {
  if (v.is_null()) return Node();
  if (v.is_bool()) return Node(v.as_bool());
  if (v.is_int()) return Node(v.as_int());
  if (v.is_double()) return Node(v.as_double());
  if (v.is_string()) return Node(v.as_string());
  if (v.is_array()) {
    Node out = seq();
    for (const auto& item : v.as_array()) out.push(from(item));
    return out;
  }
  Node out = map();
  for (const auto& [k, item] : v.as_object()) out.set(k, from(item));
  return out;
}

Node Node::written(std::string text, int column) {
  Node out(Kind::written);
  out.s_ = std::move(text);
  out.i_ = column;
  return out;
}

namespace {

std::size_t mix(std::size_t h, std::size_t v) noexcept {
  return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

}  // namespace

std::size_t Node::hash() const noexcept {
  std::size_t h = static_cast<std::size_t>(kind_);
  switch (kind_) {
    case Kind::string:
      return mix(h, std::hash<std::string>{}(s_));
    case Kind::written:
      return mix(mix(h, std::hash<std::string>{}(s_)), std::hash<std::int64_t>{}(i_));
    case Kind::integer:
    case Kind::boolean:
      return mix(h, std::hash<std::int64_t>{}(i_));
    case Kind::number:
      return mix(h, std::hash<double>{}(d_));
    case Kind::seq:
      for (const auto& item : items_) h = mix(h, item.hash());
      return h;
    case Kind::map:
      // The values only: keys differ little between templates, and equal trees still hash the same.
      for (const auto& field : fields_) h = mix(h, field.second.hash());
      return h;
    case Kind::null:
      break;
  }
  return h;
}

std::size_t Node::text_size() const noexcept {
  std::size_t n = s_.size();
  for (const auto& item : items_) n += item.text_size();
  for (const auto& [key, value] : fields_) n += key.size() + value.text_size();
  return n;
}

bool operator==(const Node& a, const Node& b) noexcept {
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case Node::Kind::string:
      return a.s_ == b.s_;
    case Node::Kind::written:
      return a.s_ == b.s_ && a.i_ == b.i_;
    case Node::Kind::integer:
    case Node::Kind::boolean:
      return a.i_ == b.i_;
    case Node::Kind::number:
      return a.d_ == b.d_ || (a.d_ != a.d_ && b.d_ != b.d_);
    case Node::Kind::seq:
      return a.items_ == b.items_;
    case Node::Kind::map:
      return a.fields_ == b.fields_;
    case Node::Kind::null:
      break;
  }
  return true;
}

Node& Node::set(std::string_view key, Node value) {
  for (auto& [k, v] : fields_) {
    if (k == key) {
      v = std::move(value);
      return v;
    }
  }
  // Most maps have a few keys: room for two at once saves the first regrowths.
  if (fields_.empty()) fields_.reserve(2);
  fields_.emplace_back(std::string(key), std::move(value));
  return fields_.back().second;
}

Node& Node::child(std::string_view key, Kind as) {
  if (Node* n = find(key)) return *n;
  return set(key, Node(as));
}

const Node* Node::find(std::string_view key) const {
  for (const auto& [k, v] : fields_)
    if (k == key) return &v;
  return nullptr;
}

Node* Node::find(std::string_view key) {
  for (auto& [k, v] : fields_)
    if (k == key) return &v;
  return nullptr;
}

void Node::erase(std::string_view key) {
  for (auto it = fields_.begin(); it != fields_.end(); ++it) {
    if (it->first == key) {
      fields_.erase(it);
      return;
    }
  }
}

Node& Node::push(Node item) {
  items_.push_back(std::move(item));
  return items_.back();
}

void Node::write(YamlWriter& w) const {
  switch (kind_) {
    case Kind::null:
      w.null();
      return;
    case Kind::string:
      w.string(s_);
      return;
    case Kind::written:
      w.items_text(s_, static_cast<int>(i_));
      return;
    case Kind::integer:
      w.integer(i_);
      return;
    case Kind::number:
      w.number(d_);
      return;
    case Kind::boolean:
      w.boolean(i_ != 0);
      return;
    case Kind::seq:
      w.begin_seq();
      for (const auto& item : items_) item.write(w);
      w.end_seq();
      return;
    case Kind::map:
      w.begin_map();
      for (const auto& [k, v] : fields_) {
        w.key(k);
        v.write(w);
      }
      w.end_map();
      return;
  }
}

void Node::append_json(std::string& out) const {
  switch (kind_) {
    case Kind::null:
      out += "null";
      return;
    case Kind::string:
      append_json_string(out, s_);
      return;
    case Kind::written:
      throw std::logic_error("Node: written YAML has no JSON form");
    case Kind::integer:
      out += std::to_string(i_);
      return;
    case Kind::number:
      out += ir::python_float_text(d_);
      return;
    case Kind::boolean:
      out += i_ ? "true" : "false";
      return;
    case Kind::seq:
      out += '[';
      for (std::size_t i = 0; i < items_.size(); ++i) {
        if (i) out += ',';
        items_[i].append_json(out);
      }
      out += ']';
      return;
    case Kind::map:
      out += '{';
      for (std::size_t i = 0; i < fields_.size(); ++i) {
        if (i) out += ',';
        append_json_string(out, fields_[i].first);
        out += ':';
        fields_[i].second.append_json(out);
      }
      out += '}';
      return;
  }
}

}  // namespace kfpp::detail
