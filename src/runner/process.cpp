// SPDX-License-Identifier: Apache-2.0
#include "runner/process.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <thread>

extern char** environ;

namespace kfpp::detail {

std::string ProcessOutcome::describe() const {
  if (!error.empty()) return error;
  if (timed_out) return "stopped after its timeout";
  if (cancelled) return "stopped by cancellation";
  if (signal != 0) return std::string("killed by signal ") + strsignal(signal);
  return "exited with status " + std::to_string(exit_code);
}

std::vector<std::string> current_environment() {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) out.emplace_back(*e);
  return out;
}

bool program_exists(const std::string& program) {
  if (program.find('/') != std::string::npos) return access(program.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    if (!dir.empty() && access((dir + "/" + program).c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

namespace {

void kill_group(pid_t pid, int sig) {
  if (kill(-pid, sig) != 0 && errno == ESRCH) kill(pid, sig);
}

}  // namespace

ProcessOutcome run_process(const ProcessSpec& spec) {
  ProcessOutcome out;
  if (spec.argv.empty()) {
    out.error = "there is no command to run";
    return out;
  }
  int log = open(spec.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) {
    out.error = "cannot open the log file " + spec.log_path + ": " + std::strerror(errno);
    return out;
  }
  // Everything the child needs is prepared before fork: it may only call exec-safe functions.
  std::vector<char*> argv;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : spec.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  int null_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  // Each target's folders, outermost first, so that the child only calls mkdir.
  std::vector<std::string> folders;
  for (const auto& [source, target] : spec.binds)
    for (std::size_t at = target.find('/', 1);; at = target.find('/', at + 1)) {
      folders.push_back(target.substr(0, at));
      if (at == std::string::npos) break;
    }
  // A pipe that closes on exec tells the parent whether exec succeeded.
  int status_pipe[2];
  if (pipe2(status_pipe, O_CLOEXEC) != 0) {
    close(log);
    if (null_in >= 0) close(null_in);
    out.error = std::string("cannot create a pipe: ") + std::strerror(errno);
    return out;
  }
  pid_t pid = fork();
  if (pid < 0) {
    close(log);
    if (null_in >= 0) close(null_in);
    close(status_pipe[0]);
    close(status_pipe[1]);
    out.error = std::string("cannot fork: ") + std::strerror(errno);
    return out;
  }
  if (pid == 0) {
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    if (null_in >= 0) dup2(null_in, 0);
    dup2(log, 1);
    dup2(log, 2);
    int err = 0;
    if (!spec.binds.empty()) {
      if (unshare(CLONE_NEWNS) != 0 ||
          mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
        err = errno;
      } else {
        for (const auto& f : folders) mkdir(f.c_str(), 0755);
        for (const auto& [source, target] : spec.binds)
          if (err == 0 &&
              mount(source.c_str(), target.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
            err = errno;
      }
      if (err != 0) {
        err = -err;  // negative: the mounts failed, not exec
        ssize_t n = write(status_pipe[1], &err, sizeof err);
        (void)n;
        _exit(127);
      }
    }
    if (!spec.cwd.empty() && chdir(spec.cwd.c_str()) != 0) {
      err = errno;
    } else {
      execvpe(argv[0], argv.data(), envp.data());
      err = errno;
    }
    ssize_t n = write(status_pipe[1], &err, sizeof err);
    (void)n;
    _exit(127);
  }
  setpgid(pid, pid);
  close(status_pipe[1]);
  close(log);
  if (null_in >= 0) close(null_in);
  int exec_errno = 0;
  ssize_t got = read(status_pipe[0], &exec_errno, sizeof exec_errno);
  close(status_pipe[0]);

  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  std::optional<clock::time_point> term_sent;
  int status = 0;
  while (true) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) {
      out.error = std::string("cannot wait for the process: ") + std::strerror(errno);
      return out;
    }
    const auto now = clock::now();
    if (!term_sent) {
      bool stop = false;
      if (spec.cancel && spec.cancel->load()) {
        out.cancelled = true;
        stop = true;
      } else if (spec.timeout_seconds > 0 &&
                 std::chrono::duration<double>(now - start).count() > spec.timeout_seconds) {
        out.timed_out = true;
        stop = true;
      }
      if (stop) {
        kill_group(pid, SIGTERM);
        term_sent = now;
      }
    } else if (now - *term_sent > std::chrono::seconds(2)) {
      kill_group(pid, SIGKILL);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill_group(pid, SIGKILL);  // what the process left behind in its group
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    out.error = exec_errno < 0 ? std::string("cannot mount the task's volumes at their paths: ") +
                                     std::strerror(-exec_errno)
                               : "cannot run '" + spec.argv[0] + "': " + std::strerror(exec_errno);
    return out;
  }
  if (WIFEXITED(status)) out.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) out.signal = WTERMSIG(status);
  return out;
}

}  // namespace kfpp::detail
