// The command view of a shell script: every simple command with its name and
// argument words, wrappers unwrapped, `bash -c` strings and heredocs fed to a
// shell re-parsed. Rules query this; they never see tree-sitter.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgaudit::shell {

// Byte offsets into the artifact's text (for re-parsed strings, mapped back).
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
};

// The file offset of each byte of a text, plus one for its end, stored as
// runs of consecutive offsets: most words are one run, kept inline, so a
// script's model costs a few bytes per word instead of four per byte, and
// most words cost no allocation for it. 16 bytes: every word and unit
// assignment has one.
class OffsetMap {
 public:
  OffsetMap() = default;
  explicit OffsetMap(const std::vector<uint32_t>& per_byte);
  OffsetMap(const OffsetMap& other);
  OffsetMap& operator=(const OffsetMap& other);
  OffsetMap(OffsetMap&&) noexcept = default;
  OffsetMap& operator=(OffsetMap&&) noexcept = default;
  ~OffsetMap() = default;
  // Appends the offset of the next byte (or of the end).
  void push_back(uint32_t offset);
  // Appends offset, offset + 1, ..., offset + count - 1.
  void push_run(uint32_t offset, uint32_t count);
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  uint32_t operator[](size_t i) const;
  // One offset per byte from byte `from` on (a suffix of the text: a value
  // after its prefixes, a string after its quote).
  std::vector<uint32_t> expand(size_t from = 0) const;

 private:
  using Runs = std::vector<std::pair<uint32_t, uint32_t>>;  // (index in the text, file offset) where a run starts
  uint32_t last() const;  // the offset of the last entry, which the next may extend
  uint32_t size_ = 0;
  uint32_t first_ = 0;  // the offset of byte 0: the first run
  std::unique_ptr<Runs> more_;  // the runs after the first; null when there are none
};

struct Word {
  std::string text;        // the value when static (quotes removed), else the source text
  bool is_static = true;   // false: contains an expansion, substitution or glob we do not evaluate
  Span span;               // the word as written, quotes included
  // Where each byte of `text` is in the file: text taken from the word (a
  // `psql -c` string) keeps exact positions.
  OffsetMap offsets;
};

struct Heredoc {
  std::string body;        // raw body text
  bool expands = false;    // unquoted delimiter and `$x` in the body: expanded by the shell
  Span span;               // of the body
  OffsetMap offsets;       // file offset of each body byte, plus the end
};

struct Redirect {
  std::string op;          // "<", ">", ">>", "&>", ...
  Word target;
};

// `NAME=value` as a statement (not a command prefix), `export`/`readonly`/
// `local`/`declare NAME=value`, and the dynamic assignments of `for NAME in`
// and `read NAME`.
struct Assignment {
  std::string name;
  Word value;              // is_static false for loops, `read`, expansions
  Span span;
  bool command_prefix = false;  // `A=1 cmd`: only for that command
};

struct Command {
  Word name;
  std::vector<Word> args;
  Span span;                          // from the name to the end of the command
  // Outermost first: {"sudo"} for the command that `sudo systemctl x` runs,
  // {"bash -c"} for a command inside a `bash -c '...'` string.
  std::vector<std::string> wrappers;
  std::vector<Heredoc> heredocs;      // bodies fed to this command's stdin
  std::vector<Redirect> redirects;    // file redirections of this command

  bool has_name(std::string_view n) const { return name.is_static && name.text == n; }
  // True when an option is present: `-n` also matches inside clusters like
  // `-nE`; `--long` also matches `--long=value`.
  bool has_option(char short_flag, std::string_view long_flag = {}) const;
};

struct SyntaxError {
  Span span;
  std::string message;    // "unexpected 'fi'", "missing 'done'"
};

struct Comment {
  std::string text;
  Span span;
};

struct ShellScript {
  std::vector<Command> commands;       // source order; unwrapped commands follow their wrapper
  std::vector<Comment> comments;
  std::vector<Assignment> assignments; // source order
  std::optional<SyntaxError> first_error;
  bool timed_out = false;              // the parse hit its time limit: partial view
  bool depth_limited = false;          // nesting beyond the cap was not walked

  std::vector<const Command*> commands_named(std::initializer_list<std::string_view> names) const;
  // The value of NAME when the script assigns it exactly once, statically.
  const Word* static_value(std::string_view name) const;
};

// Arguments that are not options, honouring `--`. Options that take a value
// are named in `valued` (short letters, e.g. "uUgC"), so their value is skipped.
std::vector<const Word*> args_without_flags(const Command& command, std::string_view valued = {});

}  // namespace pkgaudit::shell
