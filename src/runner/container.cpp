// SPDX-License-Identifier: Apache-2.0
#include "runner/container.hpp"

#include "compiler/python_launcher.hpp"
#include "runner/process.hpp"
#include "runner/python_component.hpp"

namespace kfpp::detail {

std::vector<std::string> container_argv(
    const std::string& tool, const std::string& image, const std::string& pull_policy,
    const std::string& run_dir, const std::string& cwd,
    const std::vector<std::pair<std::string, std::string>>& env,
    const std::vector<std::pair<std::string, std::string>>& binds,
    const std::vector<std::string>& argv, const std::string& name) {
  std::vector<std::string> out = {
      tool, "run", "--rm", "--name", name, "-v", run_dir + ":" + run_dir, "-w", cwd};
  if (pull_policy == "Always") out.insert(out.end(), {"--pull", "always"});
  if (pull_policy == "Never") out.insert(out.end(), {"--pull", "never"});
  if (pull_policy == "IfNotPresent") out.insert(out.end(), {"--pull", "missing"});
  for (const auto& [k, v] : env) out.insert(out.end(), {"-e", k + "=" + v});
  for (const auto& [source, target] : binds) out.insert(out.end(), {"-v", source + ":" + target});
  out.push_back(image);
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

std::vector<std::string> with_packages(const std::vector<std::string>& requirements,
                                       const std::vector<std::string>& pip_options,
                                       const std::vector<std::string>& argv) {
  std::string check =
      "import importlib.util, sys; sys.exit(any(importlib.util.find_spec(m) is None for m in "
      "sys.argv[1:]))";
  std::string script = "python3 -c " + shell_quote(check);
  for (const auto& r : requirements) script += " " + shell_quote(import_name(r));
  script += " || python3 -m pip install --quiet --no-warn-script-location";
  for (const auto& o : pip_options) script += " " + shell_quote(o);
  for (const auto& r : requirements) script += " " + shell_quote(r);
  script += "\nexec";
  for (const auto& a : argv) script += " " + shell_quote(a);
  return {"sh", "-c", script};
}

void remove_container(const std::string& tool, const std::string& name, const std::string& log) {
  ProcessSpec rm{{tool, "rm", "-f", name}, current_environment(), "", log, 30, nullptr, {}};
  (void)run_process(rm);
}

}  // namespace kfpp::detail
