// SPDX-License-Identifier: Apache-2.0
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "kfpp/compiler/kfp.hpp"
#include "kfpp/error.hpp"
#include "kfpp/ir/validate.hpp"

namespace kfpp {

std::string compile_kfp(const ir::Pipeline& pipeline) {
  ir::validate(pipeline);
  return emit_kfp(pipeline);
}

void compile_kfp_to_file(const ir::Pipeline& pipeline, const std::string& path) {
  // Everything that can fail on the pipeline happens before the file is touched.
  write_file_atomically(path, compile_kfp(pipeline));
}

namespace {
[[noreturn]] void io_error(const std::string& path, const std::string& what, int err) {
  throw IoError({"kfpp.io", path, what + ": " + std::strerror(err),
                 "check that the directory exists and is writable"});
}
}  // namespace

void write_file_atomically(const std::string& path, const std::string& text) {
  if (path.empty()) throw IoError({"kfpp.io", "<output>", "no output path", "give a file name"});
  std::string tmpl = path + ".tmp-XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) io_error(path, "cannot create a temporary file beside it", errno);
  const std::string tmp(name.data());
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      io_error(path, "cannot write", err);
    }
    done += static_cast<std::size_t>(n);
  }
  // mkstemp makes the file private; output files get the usual permissions.
  ::fchmod(fd, 0644);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    io_error(path, "cannot flush", err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    io_error(path, "cannot replace", err);
  }
}

}  // namespace kfpp
