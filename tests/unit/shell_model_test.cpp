#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "parse/shell/shell_parser.hpp"
#include "text/line_index.hpp"

using namespace pkgaudit::shell;

namespace {

ShellScript parse(std::string_view text) { return parse_shell(text, pkgaudit::Limits{}); }

std::vector<std::string> names(const ShellScript& s) {
  std::vector<std::string> out;
  for (const Command& c : s.commands) out.push_back(c.name.text);
  return out;
}

std::string at(std::string_view text, Span span) { return std::string(text.substr(span.begin, span.end - span.begin)); }

}  // namespace

TEST_CASE("commands are found in every construct") {
  const std::string text = R"SH(#!/bin/bash
a1
f() { a2; }
( a3 )
{ a4; }
a5 | a6 && a7 || a8
x=$(a9) y=`a10`
if a11; then a12; elif a13; then a14; else a15; fi
while a16; do a17; done
until a18; do a19; done
for i in 1 2; do a20; done
case $1 in x) a21 ;; esac
echo "$(a22)" <(a23)
cat <<EOF
$(a24) and not_a_command
EOF
)SH";
  const ShellScript s = parse(text);
  const auto n = names(s);
  for (int i = 1; i <= 24; ++i) {
    const std::string want = "a" + std::to_string(i);
    INFO(want);
    CHECK(std::find(n.begin(), n.end(), want) != n.end());
  }
  CHECK(std::find(n.begin(), n.end(), "not_a_command") == n.end());
  CHECK_FALSE(s.first_error.has_value());
}

TEST_CASE("comments and strings are never commands") {
  const ShellScript s = parse("# sudo rm -rf /\necho \"sudo x\" 'sudo y'\n");
  CHECK(names(s) == std::vector<std::string>{"echo"});
  REQUIRE(s.comments.size() == 1);
  CHECK(s.comments[0].text == "# sudo rm -rf /");
  CHECK(s.commands_named({"sudo"}).empty());
}

TEST_CASE("words: static values, quotes removed, dynamic marked") {
  const std::string text =
      "cmd plain 'single q' \"double $HOME\" \"esc \\\"q\\\"\" a\\ b pre\"fix\" $(x) ${y:-z} $'t\\tab'\n";
  const ShellScript s = parse(text);
  REQUIRE(s.commands.size() >= 1);
  const Command& c = s.commands[0];
  REQUIRE(c.args.size() == 9);
  CHECK(c.args[0].text == "plain");
  CHECK(c.args[1].text == "single q");
  CHECK_FALSE(c.args[2].is_static);
  CHECK(c.args[3].text == "esc \"q\"");
  CHECK(c.args[4].text == "a b");
  CHECK(c.args[5].text == "prefix");
  CHECK(c.args[5].is_static);
  CHECK_FALSE(c.args[6].is_static);
  CHECK_FALSE(c.args[7].is_static);
  CHECK(c.args[8].text == "t\tab");
  CHECK(at(text, c.args[1].span) == "'single q'");
}

TEST_CASE("wrappers are unwrapped to the real command") {
  struct Case {
    const char* line;
    const char* inner;
    const char* wrapper;
  };
  const Case cases[] = {
      {"sudo -u postgres -H psql -c x", "psql", "sudo"},
      {"sudo VAR=1 OTHER=2 make", "make", "sudo"},
      {"env -i PATH=/bin FOO=1 systemctl start x", "systemctl", "env"},
      {"nohup worker --daemon &", "worker", "nohup"},
      {"timeout -k 5 30 curl http://x", "curl", "timeout"},
      {"timeout --signal=KILL 1m rsync a b", "rsync", "timeout"},
      {"exec -a name server", "server", "exec"},
      {"command -p ls", "ls", "command"},
      {"builtin echo x", "echo", "builtin"},
      {"nice -n 5 tar c", "tar", "nice"},
      {"nice -10 tar c", "tar", "nice"},
      {"ionice -c 3 cp a b", "cp", "ionice"},
      {"xargs -0 -n 1 -I{} rm {}", "rm", "xargs"},
      {"doas -u dten id", "id", "doas"},
      {"pkexec --user dten id", "id", "pkexec"},
      {"runuser -u dten -- id", "id", "runuser"},
      {"flock -w 10 /run/lock/x psql -f m.sql", "psql", "flock"},
  };
  for (const Case& c : cases) {
    INFO(c.line);
    const ShellScript s = parse(c.line);
    bool found = false;
    for (const Command& cmd : s.commands) {
      if (cmd.name.text == c.inner && !cmd.wrappers.empty() && cmd.wrappers.back() == c.wrapper) found = true;
    }
    CHECK(found);
  }
}

TEST_CASE("wrappers that run nothing are not unwrapped") {
  for (const char* line : {"command -v sudo", "sudo -l", "sudo -v", "ionice -p 123", "flock -n 9"}) {
    INFO(line);
    const ShellScript s = parse(line);
    CHECK(s.commands.size() == 1);
  }
}

TEST_CASE("bash -c strings are re-parsed with exact positions") {
  const std::string text = "x; bash -c \"echo \\\"a\\\"; sudo   ls\"\nsu - pg -c 'psql -f m.sql'\n";
  const ShellScript s = parse(text);
  const auto sudo = s.commands_named({"sudo"});
  REQUIRE(sudo.size() == 1);
  CHECK(at(text, sudo[0]->name.span) == "sudo");
  CHECK(sudo[0]->wrappers == std::vector<std::string>{"bash -c"});
  CHECK(at(text, sudo[0]->args[0].span) == "ls");
  const auto psql = s.commands_named({"psql"});
  REQUIRE(psql.size() == 1);
  CHECK(psql[0]->wrappers == std::vector<std::string>{"su"});
  pkgaudit::text::LineIndex lines(text);
  const auto pos = lines.position(psql[0]->name.span.begin);
  CHECK(pos.line == 2);
  CHECK(pos.column == 13);
}

TEST_CASE("a heredoc fed to a shell is parsed; an expanding one is not guessed") {
  const std::string text = "bash <<'EOF'\nsudo id\nEOF\nsh <<EOF\nsudo $X\nEOF\ncat <<EOF\nsudo no\nEOF\n";
  const ShellScript s = parse(text);
  const auto sudo = s.commands_named({"sudo"});
  REQUIRE(sudo.size() == 1);
  pkgaudit::text::LineIndex lines(text);
  CHECK(lines.position(sudo[0]->name.span.begin).line == 2);
  const auto cat = s.commands_named({"cat"});
  REQUIRE(cat.size() == 1);
  REQUIRE(cat[0]->heredocs.size() == 1);
  CHECK(cat[0]->heredocs[0].body.find("sudo no") != std::string::npos);
}

TEST_CASE("re-parsing depth is capped") {
  std::string inner = "sudo id";
  for (int i = 0; i < 7; ++i) {
    std::string quoted;
    for (const char c : inner) {
      if (c == '\'') quoted += "'\\''";
      else quoted += c;
    }
    inner = "sh -c '" + quoted + "'";
  }
  pkgaudit::Limits limits;
  limits.reparse_depth = 3;
  const ShellScript s = parse_shell(inner, limits);
  CHECK(s.depth_limited);
  CHECK(s.commands_named({"sudo"}).empty());
}

TEST_CASE("syntax errors: first error located, rest still used") {
  const ShellScript s = parse("echo a\nfor x in 1; do echo; fi\nsudo ls\n");
  REQUIRE(s.first_error.has_value());
  CHECK_FALSE(s.commands_named({"sudo"}).empty());
  const ShellScript missing = parse("if true; then\n  echo\n");
  REQUIRE(missing.first_error.has_value());
  CHECK(missing.first_error->message == "missing 'fi' to close this 'if'");
  CHECK(missing.first_error->span.begin == 0);
}

TEST_CASE("the parse time limit stops a parse and says so") {
  std::string big;
  for (int i = 0; i < 200000; ++i) big += "echo line " + std::to_string(i) + " | grep x && true\n";
  pkgaudit::Limits limits;
  limits.parse_milliseconds = 1;
  const ShellScript s = parse_shell(big, limits);
  CHECK(s.timed_out);
}

TEST_CASE("args_without_flags skips options and their values") {
  const ShellScript s = parse("systemctl --no-block -q restart a.service b");
  REQUIRE(s.commands.size() == 1);
  const auto args = args_without_flags(s.commands[0]);
  REQUIRE(args.size() == 3);
  CHECK(args[0]->text == "restart");
  const ShellScript j = parse("journalctl -n 20 -u dten.service --since today");
  const auto jargs = args_without_flags(j.commands[0], "nu");
  REQUIRE(jargs.size() == 1);
  CHECK(jargs[0]->text == "today");  // --since's value: long options are not known here
  CHECK(j.commands[0].has_option('u', "--unit"));
}

TEST_CASE("hostile nesting: 100,000 nested $( and ( finish, with bounded word copies") {
  const int n = 100'000;
  std::string subst = "echo ";
  for (int i = 0; i < n; ++i) subst += "$(";
  subst += "true";
  subst += std::string(n, ')');
  subst += "\n";
  const ShellScript deep = parse(subst);
  CHECK_FALSE(deep.commands.empty());
  for (const Command& c : deep.commands) {
    for (const Word& w : c.args) CHECK(w.text.size() <= 513);  // capped dynamic text, plus the cut mark
  }
  const std::string parens = std::string(n, '(') + "true" + std::string(n, ')') + "\n";
  const ShellScript sub = parse(parens);
  // The grammar reads 100,000 parentheses as nested expressions, not
  // commands; what matters is that the parse and the walk return.
  CHECK(sub.commands.empty());
}

TEST_CASE("wrappers with nothing to run: `busybox`, `sudo`, `env` alone (found by fuzz_unit)") {
  const auto s = parse("busybox\nbusybox sh\nsudo\nenv\nnice -n 5\nbash -c\n");
  CHECK(s.commands.size() == 6);
  CHECK(s.commands[0].has_name("busybox"));
  CHECK(s.commands[0].args.empty());
}

TEST_CASE("what a command's words hold is found: substitutions, prefix assignments, errors") {
  const ShellScript s = parse("echo `b1` x\ntee >(b2) y\nA=1 b3 arg\nb4 \"$(b5 \"$(b6)\")\" z\necho $((1 + 2)) plain\n");
  const auto n = names(s);
  for (const char* want : {"b1", "b2", "b3", "b4", "b5", "b6"}) {
    INFO(want);
    CHECK(std::find(n.begin(), n.end(), want) != n.end());
  }
  REQUIRE(s.assignments.size() == 1);
  CHECK(s.assignments[0].name == "A");
  CHECK(s.assignments[0].command_prefix);
  CHECK_FALSE(s.first_error.has_value());
  // A stray `)` among a command's words: tree-sitter puts the error inside
  // the command, which holds no substitution.
  const ShellScript e = parse("ls a b ) c\n");
  REQUIRE(e.first_error.has_value());
  CHECK(e.first_error->message == "syntax error near ')'");
  CHECK(e.first_error->span.begin == 7);
}

TEST_CASE("what strings, expansions, tests and assignments hold is found; the walk skips them otherwise") {
  const ShellScript s = parse(
      "X=\"$(c1)\" Y=`c2`\n"
      "Z=${HOME:-$(c3)}\n"
      "[ -n \"$(c4)\" ] && [[ $(c5) == x ]]\n"
      "echo \"a${B:+$(c6)}b\" \"<(not_a_command)\" 'single $(not_either)'\n"
      "cat <<EOF\nline $(c7)\n# not a comment: heredoc text\nEOF\n"
      "W=\"plain $V\" # a comment\n"
      "[ \"$A\" = \"b\" ] || echo \"${C} ok\"\n");
  const auto n = names(s);
  for (const char* want : {"c1", "c2", "c3", "c4", "c5", "c6", "c7"}) {
    INFO(want);
    CHECK(std::find(n.begin(), n.end(), want) != n.end());
  }
  CHECK(std::find(n.begin(), n.end(), "not_a_command") == n.end());
  CHECK(std::find(n.begin(), n.end(), "not_either") == n.end());
  REQUIRE(s.comments.size() == 1);
  CHECK(s.comments[0].text == "# a comment");
  const auto assigned = [&](std::string_view name) {
    return std::any_of(s.assignments.begin(), s.assignments.end(), [&](const Assignment& a) { return a.name == name; });
  };
  for (const char* want : {"X", "Y", "Z", "W"}) {
    INFO(want);
    CHECK(assigned(want));
  }
  CHECK_FALSE(s.first_error.has_value());
  // An error inside a string is still found, though strings are skipped.
  const ShellScript e = parse("echo \"$(ls )\" ok\nX=\"$(if)\"\n");
  CHECK(e.first_error.has_value());
}

TEST_CASE("OffsetMap: runs expand to one offset a byte, whole or from a byte on") {
  OffsetMap map;
  map.push_run(10, 3);  // 10 11 12
  map.push_back(20);    // a jump: a run of its own
  map.push_back(21);
  const std::vector<uint32_t> all{10, 11, 12, 20, 21};
  CHECK(map.expand() == all);
  CHECK(map.expand(2) == std::vector<uint32_t>{12, 20, 21});
  CHECK(map.expand(5).empty());
  CHECK(map.expand(9).empty());
  CHECK(OffsetMap(all).expand(3) == std::vector<uint32_t>{20, 21});
}

TEST_CASE("OffsetMap: a run continues across push_run and push_back; copies are independent") {
  OffsetMap map;
  map.push_run(5, 2);  // 5 6
  map.push_run(7, 2);  // continues: 7 8
  map.push_back(9);    // continues
  map.push_back(3);    // a jump back
  map.push_run(4, 2);  // continues the new run: 4 5
  CHECK(map.expand() == std::vector<uint32_t>{5, 6, 7, 8, 9, 3, 4, 5});
  OffsetMap copy = map;
  copy.push_back(40);
  map.push_back(6);
  CHECK(copy.expand() == std::vector<uint32_t>{5, 6, 7, 8, 9, 3, 4, 5, 40});
  CHECK(map.expand() == std::vector<uint32_t>{5, 6, 7, 8, 9, 3, 4, 5, 6});
  OffsetMap assigned;
  assigned = copy;
  CHECK(assigned[8] == 40);
  CHECK(assigned.size() == 9);
  const OffsetMap moved = std::move(assigned);
  CHECK(moved[5] == 3);
}
