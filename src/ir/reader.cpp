// SPDX-License-Identifier: Apache-2.0
// Reading KFP IR: the documents of a file (a PipelineSpec and at most one PlatformSpec), and the
// file itself.
#include "kfpp/ir/reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "ir/spec_reader.hpp"
#include "ir/yaml_input.hpp"

namespace kfpp::detail {

using namespace ir;  // NOLINT(google-build-using-namespace): the members build IR types throughout

void SpecReader::pipeline_spec(const YamlNode& doc, Pipeline& p) {
  MapInput m(in_, doc, "", "a KFP PipelineSpec");
  if (!m.ok()) return;
  // Each made in place, the vector reserved: a component or an executor is hundreds of bytes.
  const YamlNode components = m.get("components");
  p.components.reserve(components.size());
  for_each_entry(in_, components, m.path("components"), "components",
                 [&](std::string_view name, const YamlNode& n, const YamlPath& path) {
                   Component& c = p.components.emplace_back();
                   c.name = name;
                   component(n, path, c);
                 });
  p.default_pipeline_root = m.string("defaultPipelineRoot");
  if (m.has("deploymentSpec")) {
    MapInput d(in_, m.get("deploymentSpec"), m.path("deploymentSpec"), "deploymentSpec");
    const YamlNode executors = d.get("executors");
    p.executors.reserve(executors.size());
    for_each_entry(in_, executors, d.path("executors"), "executors",
                   [&](std::string_view label, const YamlNode& n, const YamlPath& path) {
                     Executor& e = p.executors.emplace_back();
                     e.label = label;
                     executor(n, path, e);
                   });
    d.finish();
  }
  {
    MapInput info(in_, m.get("pipelineInfo"), m.path("pipelineInfo"), "pipelineInfo");
    p.name = info.string("name");
    p.display_name = info.string("displayName");
    p.description = info.string("description");
    info.finish();
  }
  if (!m.has("root"))
    in_.error(doc, "root", "kfpp.missing_key", "the pipeline has no root",
              "add `root` with the pipeline's DAG");
  component(m.get("root"), m.path("root"), p.root);
  p.root.name = "root";
  p.schema_version = m.string("schemaVersion");
  p.sdk_version = m.string("sdkVersion");
  if (p.name.empty())
    in_.error(doc, "pipelineInfo.name", "kfpp.missing_key", "the pipeline has no name",
              "set pipelineInfo.name");
  m.finish();
}

void SpecReader::platform_spec(const YamlNode& doc, Pipeline& p) {
  MapInput m(in_, doc, "", "a KFP PlatformSpec");
  if (!m.ok()) return;
  for_each_entry(in_, m.get("platforms"), m.path("platforms"), "platforms",
                 [&](std::string_view name, const YamlNode& n, const YamlPath& path) {
                   if (name != "kubernetes") {
                     in_.error(n, path, "kfpp.unsupported_platform",
                               "kfpp reads only the kubernetes platform",
                               "remove the `" + std::string(name) + "` platform spec");
                     return;
                   }
                   kubernetes_platform(n, path, p);
                 });
  m.finish();
}

}  // namespace kfpp::detail

namespace kfpp::ir {

using detail::YamlInput;
using detail::YamlNode;

// Shared by read_pipeline and kfpp::detail::read_pipeline_documents.
Pipeline read_documents(detail::YamlInput& in, const std::vector<detail::YamlNode>& docs) {
  Pipeline p;
  std::vector<YamlNode> present;
  for (const auto& d : docs)
    if (!d.is_null()) present.push_back(d);
  if (!in.failed() && present.empty())
    in.error(detail::YamlNode(), "", "kfpp.empty_file", "the file holds no YAML document",
             "give a KFP IR file");
  if (present.size() > 2)
    in.error(present[2], "", "kfpp.extra_document",
             "a KFP IR file holds a PipelineSpec and at most one PlatformSpec",
             "remove the extra documents");
  detail::SpecReader reader(in);
  if (!present.empty()) reader.pipeline_spec(present[0], p);
  if (present.size() > 1) reader.platform_spec(present[1], p);
  in.throw_if_failed();
  return p;
}

Pipeline read_pipeline(std::string_view yaml, const std::string& file_name,
                       const ReadOptions& options) {
  YamlInput in(file_name, options.strict, options.warnings, options.limits);
  std::vector<YamlNode> docs = in.load_all(yaml);
  return read_documents(in, docs);
}

std::string read_text_file(const std::string& path) {
  return read_text_file(path, ReadLimits{}.max_input_bytes);
}

std::string read_text_file(const std::string& path, std::size_t max_bytes) {
  // POSIX calls: a directory is refused by name, and an endless stream (a pipe, /dev/zero) is
  // cut at the limit instead of filling the memory.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw ParseError(Diagnostic{"kfpp.io", path, "cannot open the file",
                                "check that the file exists and is readable"});
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
    throw ParseError(
        Diagnostic{"kfpp.io", path, "is a directory, not a file", "name a file in it"});
  std::string text;
  if (S_ISREG(st.st_mode) && st.st_size > 0)
    text.reserve(std::min<std::size_t>(static_cast<std::size_t>(st.st_size), max_bytes) + 1);
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw ParseError(Diagnostic{"kfpp.io", path, "cannot read the file", "check the file"});
    }
    if (text.size() + static_cast<std::size_t>(n) > max_bytes)
      throw ParseError(Diagnostic{
          "kfpp.input_too_large", path,
          "the input is larger than the limit of " + (max_bytes % (std::size_t{1} << 20) == 0
                                                          ? std::to_string(max_bytes >> 20) + " MiB"
                                                          : std::to_string(max_bytes) + " bytes"),
          "split the input, or raise the limit: kfpp --max-input-mib, "
          "ReadLimits::max_input_bytes"});
    text.append(buf, static_cast<std::size_t>(n));
  }
  return text;
}

Pipeline read_pipeline_file(const std::string& path, const ReadOptions& options) {
  return read_pipeline(read_text_file(path, options.limits.max_input_bytes), path, options);
}

}  // namespace kfpp::ir

namespace kfpp::detail {

ir::Pipeline read_pipeline_documents(const std::vector<YamlNode>& documents,
                                     const std::string& file_name, const ir::ReadOptions& options) {
  YamlInput in(file_name, options.strict, options.warnings, options.limits);
  return ir::read_documents(in, documents);
}

}  // namespace kfpp::detail
