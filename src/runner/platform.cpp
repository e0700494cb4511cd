// SPDX-License-Identifier: Apache-2.0
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ir/json_parse.hpp"
#include "kfpp/ir/kubernetes.hpp"
#include "runner/leaf.hpp"

namespace kfpp::detail {

namespace fs = std::filesystem;

std::string hash_text(const std::string& data) {
  // Two 64-bit FNV-1a hashes with different offsets; a cache key, not a security boundary.
  std::uint64_t a = 0xcbf29ce484222325ull, b = 0x84222325cbf29ce4ull;
  for (unsigned char ch : data) {
    a = (a ^ ch) * 0x100000001b3ull;
    b = (b ^ ch) * 0x100000001b3ull;
    b ^= b >> 29;
  }
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b));
  return buf;
}

std::string hash_path(const std::string& path) {
  std::error_code ec;
  std::string all;
  auto add_file = [&](const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    all += hash_text(s.str());
  };
  if (fs::is_directory(path, ec)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(path, ec))
      if (e.is_regular_file(ec)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      all += fs::relative(f, path, ec).string() + "\n";
      add_file(f);
    }
  } else if (fs::exists(path, ec)) {
    add_file(path);
  } else {
    all = "absent";
  }
  return hash_text(all);
}

std::string volume_dir(const Engine& engine, const std::string& name) {
  return engine.result_.run_dir + "/volumes/" + name;
}

namespace {

std::string name_of(const std::string& constant, const std::optional<ir::ParameterBinding>& b,
                    const Resolver& resolve) {
  if (b)
    if (auto v = resolve(*b)) return backend_text(*v);
  return constant;
}

bool read_key(const std::string& dir, const std::string& object, const std::string& key,
              std::string& value) {
  std::ifstream f(dir + "/" + object + "/" + key, std::ios::binary);
  if (!f) return false;
  std::ostringstream s;
  s << f.rdbuf();
  value = s.str();
  return true;
}

}  // namespace

PlatformSetup platform_setup(const Engine& engine, const ir::Executor& exec,
                             const Resolver& resolve, const std::string& task_path,
                             const std::string& dir) {
  PlatformSetup s;
  // A container gets the folders as bind mounts; a host process needs a mount namespace (root).
  const bool can_mount = geteuid() == 0 || engine.options_.runner != RunnerKind::host;
  auto bind = [&](const std::string& source, const std::string& target, const std::string& what) {
    if (can_mount)
      s.binds.emplace_back(source, target);
    else
      s.not_applied.push_back(what + " at " + target + " (mounting needs root; the folder is " +
                              source + ")");
  };
  if (exec.container) {
    const ir::Resources& r = exec.container->resources;
    if (r.cpu_limit || r.memory_limit || !r.resource_cpu_limit.empty() ||
        !r.resource_memory_limit.empty() || r.cpu_request || r.memory_request ||
        !r.resource_cpu_request.empty() || !r.resource_memory_request.empty())
      s.not_applied.push_back("CPU and memory requests and limits (not enforced on the host)");
    if (r.accelerator)
      s.not_applied.push_back("accelerators (the host's devices are used as they are)");
  }
  if (!exec.kubernetes) return s;
  const ir::KubernetesConfig& k = *exec.kubernetes;
  const RunOptions& o = engine.options_;

  auto objects_as_env = [&](const std::vector<ir::ObjectAsEnv>& list, const std::string& folder,
                            const char* kind, const char* flag) {
    for (const auto& e : list) {
      std::string name = name_of(e.name, e.name_parameter, resolve);
      if (folder.empty()) {
        s.not_applied.push_back(std::string(kind) + " '" + name + "' as env (give " + flag +
                                " DIR)");
        continue;
      }
      for (const auto& kv : e.key_to_env) {
        std::string value;
        if (read_key(folder, name, kv.key, value))
          s.env.emplace_back(kv.env_var, value);
        else if (!e.optional.value_or(false) && s.error.empty())
          s.error = std::string(kind) + " '" + name + "' has no key '" + kv.key + "' (no file " +
                    folder + "/" + name + "/" + kv.key + ")";
      }
    }
  };
  objects_as_env(k.secret_as_env, o.secrets_dir, "secret", "--secrets");
  objects_as_env(k.config_map_as_env, o.config_maps_dir, "config map", "--config-maps");
  auto objects_as_volume = [&](const std::vector<ir::ObjectAsVolume>& list,
                               const std::string& folder, const char* kind, const char* flag) {
    for (const auto& v : list) {
      std::string name = name_of(v.name, v.name_parameter, resolve);
      std::error_code ec;
      if (folder.empty()) {
        s.not_applied.push_back(std::string(kind) + " '" + name + "' as a volume (give " + flag +
                                " DIR)");
      } else if (!fs::is_directory(folder + "/" + name, ec)) {
        if (!v.optional.value_or(false) && s.error.empty())
          s.error = std::string(kind) + " '" + name + "' is not in " + folder;
      } else {
        bind(fs::absolute(folder + "/" + name).string(), v.mount_path,
             std::string(kind) + " '" + name + "'");
      }
    }
  };
  objects_as_volume(k.secret_as_volume, o.secrets_dir, "secret", "--secrets");
  objects_as_volume(k.config_map_as_volume, o.config_maps_dir, "config map", "--config-maps");
  for (const auto& m : k.pvc_mount) {
    std::string name = name_of("", m.pvc_name_parameter, resolve);
    if (name.empty()) name = name_of("", m.reference, resolve);
    std::string folder = volume_dir(engine, name);
    fs::create_directories(folder);
    if (!m.sub_path.empty()) {
      folder += "/" + m.sub_path;
      fs::create_directories(folder);
    }
    bind(folder, m.mount_path, "volume claim '" + name + "'");
  }
  for (const auto& e : k.empty_dir_mounts) {
    std::string folder = dir + "/volumes/" + e.volume_name;
    fs::create_directories(folder);
    bind(folder, e.mount_path, "empty dir '" + e.volume_name + "'");
  }
  for (const auto& e : k.generic_ephemeral_volume) {
    std::string folder = dir + "/volumes/" + e.volume_name;
    fs::create_directories(folder);
    bind(folder, e.mount_path, "ephemeral volume '" + e.volume_name + "'");
  }
  for (const auto& f : k.field_path_as_env) {
    std::string value;
    if (f.field_path == "metadata.name") {
      for (char c : task_path) value += (c == '/' || c == '[' || c == ']') ? '-' : c;
    } else if (f.field_path == "metadata.namespace") {
      value = "default";
    } else if (f.field_path == "status.podIP" || f.field_path == "status.hostIP") {
      value = "127.0.0.1";
    } else if (f.field_path == "spec.nodeName") {
      char host[256] = {};
      gethostname(host, sizeof host - 1);
      value = host;
    } else if (f.field_path == "spec.serviceAccountName") {
      value = "default";
    } else {
      s.not_applied.push_back("field path '" + f.field_path + "' as " + f.name);
      continue;
    }
    s.env.emplace_back(f.name, value);
  }
  if (k.active_deadline_seconds > 0)
    s.timeout_seconds = static_cast<double>(k.active_deadline_seconds);
  if (k.node_selector) s.not_applied.push_back("node selector");
  if (!k.tolerations.empty()) s.not_applied.push_back("tolerations");
  if (!k.node_affinity.empty()) s.not_applied.push_back("node affinity");
  if (!k.pod_affinity.empty()) s.not_applied.push_back("pod affinity");
  if (!k.image_pull_secret.empty()) s.not_applied.push_back("image pull secrets");
  if (!k.image_pull_policy.empty() && o.runner == RunnerKind::host)  // else `--pull`
    s.not_applied.push_back("image pull policy (no image is pulled on the host)");
  if (k.pod_metadata) s.not_applied.push_back("pod labels and annotations");
  if (k.enabled_shared_memory)
    s.not_applied.push_back("shared memory size (the host's /dev/shm is used)");
  if (k.security_context) s.not_applied.push_back("security context (runs as the current user)");
  if (!k.init_containers.empty()) s.not_applied.push_back("init containers");
  return s;
}

}  // namespace kfpp::detail
