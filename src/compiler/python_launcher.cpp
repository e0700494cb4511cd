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

std::string pip_index_options(const ir::PythonFunction& fn) {
  // As the SDK: no index URL, no index options at all (trusted hosts go with the indexes).
  if (fn.pip_index_urls.empty()) return {};
  std::string out;
  for (std::size_t i = 0; i < fn.pip_index_urls.size(); ++i)
    out += (i == 0 ? " --index-url " : " --extra-index-url ") + shell_quote(fn.pip_index_urls[i]);
  const std::vector<std::string>& hosts =
      fn.pip_trusted_hosts ? *fn.pip_trusted_hosts : fn.pip_index_urls;
  for (const auto& h : hosts) out += " --trusted-host " + shell_quote(h);
  return out;
}

namespace {
std::string pip_install(const ir::PythonFunction& fn, const std::vector<std::string>& words) {
  std::string line = "python3 -m pip install --quiet --no-warn-script-location";
  line += pip_index_options(fn);
  for (const auto& w : words) line += " " + shell_quote(w);
  return line;
}

// Installs the user's packages and then the runtime, in the SDK's order: the user's packages
// first (so they may bring their own kfp-pipeline-spec), then, in the virtual environment when
// one is asked for (it sees the system's packages), the runtime.
std::string install_script(const ir::PythonFunction& fn) {
  const bool kfp = fn.installs_kfp();
  if (!kfp && fn.packages.empty()) return {};
  std::string script;
  script += "if ! python3 -m pip --version >/dev/null 2>&1; then\n";
  script +=
      "  python3 -m ensurepip --user || python3 -m ensurepip || apt-get install -y python3-pip\n";
  script += "fi\n";
  script += "export PIP_DISABLE_PIP_VERSION_CHECK=1\n";
  if (!fn.packages.empty()) script += pip_install(fn, fn.packages) + "\n";
  if (kfp) {
    if (fn.use_venv) {
      script += "venv_dir=$(mktemp -d)\n";
      script += "python3 -m venv \"$venv_dir/venv\" --system-site-packages\n";
      script += ". \"$venv_dir/venv/bin/activate\"\n";
    }
    if (!fn.kfp_package_path.empty())
      script += pip_install(fn, {fn.kfp_package_path}) + "\n";
    else
      // The runtime alone: the executor needs none of the SDK's compile-time dependencies.
      script += pip_install(fn, {fn.kfp_package, "--no-deps",
                                 "typing-extensions>=3.7.4,<5; python_version<\"3.9\""}) +
                "\n";
  }
  return script;
}
}  // namespace

std::vector<std::string> kfp_python_command(const ir::PythonFunction& fn) {
  std::string script = install_script(fn);
  if (fn.containerized) {
    if (script.empty()) return {"python3", "-m", "kfp.dsl.executor_main"};
    // The packages first, then the executor that the image holds, with the container's args.
    script = "# kfpp launcher: install the packages, then run the image's component.\n" + script +
             "exec \"$0\" \"$@\"\n";
    return {"sh", "-ec", std::move(script), "python3", "-m", "kfp.dsl.executor_main"};
  }
  std::string head;
  head += "# kfpp launcher: install what the component needs, then run its function.\n";
  head += "work_dir=$(mktemp -d)\n";
  head += "printf '%s' \"$0\" > \"$work_dir/kfpp_component.py\"\n";
  script = head + script;
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
