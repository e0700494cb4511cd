// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace kfpp {

/// One problem found in a pipeline: a stable code, the path to the element, what is wrong and how
/// to fix it. Example: `{"kfpp.cycle", "demo/a", "a -> b -> a", "remove one of the dependencies"}`.
struct Diagnostic {
  std::string code;     ///< stable code such as `kfpp.unknown_task`
  std::string path;     ///< `pipeline/task/inputs/port`
  std::string message;  ///< what is wrong
  std::string fix;      ///< how to fix it

  /// `[code] path: message (fix)`, the form every kfpp error uses.
  [[nodiscard]] std::string to_string() const;
};

/// Root of every exception kfpp throws. Example: `catch (const kfpp::Error& e) { e.code(); }`
class Error : public std::runtime_error {
 public:
  /// An error for one problem. Example: `throw kfpp::Error({"kfpp.x", "p/t", "what", "fix"});`
  explicit Error(Diagnostic d);
  /// The stable code of the (first) problem, e.g. `kfpp.invalid_name`.
  [[nodiscard]] const std::string& code() const noexcept { return first_.code; }
  /// The path of the (first) problem.
  [[nodiscard]] const std::string& path() const noexcept { return first_.path; }

 protected:
  /// An error whose message is `text`, `first` giving its code and path (for error lists).
  Error(Diagnostic first, const std::string& text);

 private:
  Diagnostic first_;
};

/// A misuse visible at the call that made it (bad name, duplicate task, bad quantity).
/// Example: `try { p.param<int>("Bad Name"); } catch (const kfpp::DefinitionError&) {}`
class DefinitionError : public Error {
 public:
  using Error::Error;
};

/// Every whole-graph problem found by validation, all at once.
/// Example: `catch (const kfpp::ValidationError& e) { for (auto& d : e.diagnostics()) ... }`
class ValidationError : public Error {
 public:
  /// An error listing every finding (at least one).
  explicit ValidationError(std::vector<Diagnostic> diagnostics);
  /// All findings, in a stable order.
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const noexcept { return all_; }

 private:
  std::vector<Diagnostic> all_;
};

/// A file that cannot be read as what it claims to be; the path names file, line and key.
/// Example: `catch (const kfpp::ParseError& e) { std::cerr << e.what(); }`
class ParseError : public Error {
 public:
  /// An error for one problem in a file.
  explicit ParseError(Diagnostic d);
  /// Every problem found in the file, in the order met.
  explicit ParseError(std::vector<Diagnostic> diagnostics);
  /// All problems, in the order met.
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const noexcept { return all_; }

 private:
  std::vector<Diagnostic> all_;
};

/// An I/O failure while writing output (the target file is left untouched).
/// Example: `catch (const kfpp::IoError& e) { e.path(); }`
class IoError : public Error {
 public:
  using Error::Error;
};

}  // namespace kfpp
