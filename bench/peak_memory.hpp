// SPDX-License-Identifier: Apache-2.0
// Peak memory of one run of a piece of work, measured honestly.
//
// getrusage's ru_maxrss is the process's high-water mark: it never goes down, so within one
// benchmark process the second size measured would report the first one's peak. Instead the work
// runs once more in a forked child. The parent first gives its freed heap back to the system
// (malloc_trim), so the child starts from what is really alive; the child resets its high-water
// mark to its current resident size (`/proc/self/clear_refs`), notes that size, runs the work and
// reports VmHWM minus the size it started from: the memory the work itself made resident, whatever
// the parent had built before (the input text, a pipeline to emit).
#pragma once

#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

namespace kfpp_bench {

/// A field of /proc/self/status in bytes (`VmRSS`, `VmHWM`); -1 when it cannot be read.
inline long long status_bytes(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::size_t n = std::strlen(field);
  while (std::getline(in, line))
    if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':')
      return std::stoll(line.substr(n + 1)) * 1024;  // "VmHWM:   12345 kB"
  return -1;
}

/// The bytes one run of `work` adds to the resident set at its peak, or -1 when the child could
/// not be run.
template <class Work>
long long peak_growth(Work&& work) {
  malloc_trim(0);
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  const pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    ::close(fds[0]);
    if (FILE* f = std::fopen("/proc/self/clear_refs", "w")) {
      std::fputs("5", f);  // 5: reset the peak resident size to the current one
      std::fclose(f);
    }
    const long long start = status_bytes("VmRSS");
    work();
    const long long peak = status_bytes("VmHWM");
    const long long growth = start < 0 || peak < 0 ? -1 : (peak > start ? peak - start : 0);
    [[maybe_unused]] auto written = ::write(fds[1], &growth, sizeof growth);
    ::_exit(0);
  }
  ::close(fds[1]);
  long long growth = -1;
  if (::read(fds[0], &growth, sizeof growth) != static_cast<ssize_t>(sizeof growth)) growth = -1;
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? growth : -1;
}

}  // namespace kfpp_bench
