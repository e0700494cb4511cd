// SPDX-License-Identifier: Apache-2.0
#include "python_launcher.hpp"

namespace kfpp::detail {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  out += '\'';
  return out;
}

namespace {
std::string pip_install(const ir::PythonFunction& fn, const std::vector<std::string>& requirements,
                        bool no_deps) {
  std::string line = "python3 -m pip install --quiet --no-warn-script-location";
  for (std::size_t i = 0; i < fn.pip_index_urls.size(); ++i)
    line += (i == 0 ? " --index-url " : " --extra-index-url ") + shell_quote(fn.pip_index_urls[i]);
  if (no_deps) line += " --no-deps";
  for (const auto& r : requirements) line += " " + shell_quote(r);
  return line;
}
}  // namespace

std::vector<std::string> kfp_python_command(const ir::PythonFunction& fn) {
  std::string script;
  script += "# kfpp launcher: install the runtime, then run the component function.\n";
  script += "work_dir=$(mktemp -d)\n";
  script += "printf '%s' \"$0\" > \"$work_dir/kfpp_component.py\"\n";
  script += "if ! python3 -m pip --version >/dev/null 2>&1; then\n";
  script +=
      "  python3 -m ensurepip --user || python3 -m ensurepip || apt-get install -y python3-pip\n";
  script += "fi\n";
  script += "export PIP_DISABLE_PIP_VERSION_CHECK=1\n";
  if (!fn.packages.empty()) script += pip_install(fn, fn.packages, false) + "\n";
  // The runtime alone: the executor needs none of the SDK's compile-time dependencies.
  script += pip_install(fn, {fn.kfp_package, "typing-extensions>=3.7.4,<5; python_version<\"3.9\""},
                        true) +
            "\n";
  script += "export _KFP_RUNTIME=true\n";
  script +=
      "exec python3 -m kfp.dsl.executor_main --component_module_path "
      "\"$work_dir/kfpp_component.py\" \"$@\"\n";

  std::string module =
      "\nimport kfp\nfrom kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *\n\n";
  module += fn.source;
  if (module.empty() || module.back() != '\n') module += '\n';
  return {"sh", "-ec", std::move(script), std::move(module)};
}

std::vector<std::string> kfp_python_args(const ir::PythonFunction& fn) {
  return {"--executor_input", "{{$}}", "--function_to_execute", fn.function_name};
}

}  // namespace kfpp::detail
