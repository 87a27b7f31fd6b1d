#include <doctest/doctest.h>

#include "parse/unit/unit_file.hpp"
#include "text/line_index.hpp"

using namespace pkgaudit;

TEST_CASE("sections, keys, values with positions; comments; continuation lines") {
  const std::string text =
      "# comment\n[Unit]\nDescription = DTEN sync \nAfter=a.service \\\n  # a comment inside\n  b.service\n"
      "; semicolon comment\n[Service]\nExecStart=/opt/dten/bin/sync \\\n    --once\n";
  const unit::UnitFile u = unit::parse_unit(text, "systemd/dten-sync.service", Limits{});
  CHECK(u.name == "dten-sync.service");
  CHECK(u.type == "service");
  CHECK(u.problems.empty());
  REQUIRE(u.sections.size() == 2);
  CHECK(u.sections[1].line == 8);
  REQUIRE(u.assignments.size() == 3);
  CHECK(u.assignments[0].value == "DTEN sync");
  // As systemd does: the backslash becomes a space, the next line's indent stays.
  CHECK(u.assignments[1].value == "a.service    b.service");
  CHECK(u.assignments[1].line == 4);
  text::LineIndex lines(text);
  const auto b = u.assignments[1].value.find("b.service");
  const auto pos = lines.position(u.assignments[1].value_offsets[b]);
  CHECK(pos.line == 6);
  CHECK(pos.column == 3);
  CHECK(u.assignments[2].value == "/opt/dten/bin/sync      --once");
  REQUIRE(u.exec.size() == 1);
  REQUIRE(u.exec[0].shell.commands.size() == 1);
  CHECK(u.exec[0].shell.commands[0].args[0].text == "--once");
  CHECK(lines.position(u.exec[0].shell.commands[0].args[0].span.begin).line == 10);
}

TEST_CASE("each assignment's section by name; none before the first header, nor under []") {
  const std::string text = "Early=1\n[Unit]\nA=1\n[Unit\nB=2\n[Service]\nC=3\n[]\nD=4\n[Service]\nE=5\n";
  const unit::UnitFile u = unit::parse_unit(text, "x.service", Limits{});
  REQUIRE(u.assignments.size() == 4);
  // A malformed header changes nothing: B= stays in [Unit].
  CHECK(u.section_of(u.assignments[0]) == "Unit");
  CHECK(u.section_of(u.assignments[1]) == "Unit");
  CHECK(u.assignments[1].key == "B");
  CHECK(u.section_of(u.assignments[2]) == "Service");
  CHECK(u.section_of(u.assignments[3]) == "Service");
  CHECK(u.assignments[3].key == "E");
  CHECK(u.last("Service", "E") == &u.assignments[3]);
  REQUIRE(u.problems.size() == 3);  // Early=, the malformed header, D= under []
  unit::Assignment outside;
  CHECK(u.section_of(outside).empty());
}

TEST_CASE("an empty assignment resets a list; last() and values()") {
  const unit::UnitFile u =
      unit::parse_unit("[Service]\nExecStop=/a\nExecStop=\nExecStop=/b\n", "x.service", Limits{});
  const auto stops = u.values("Service", "ExecStop");
  REQUIRE(stops.size() == 1);
  CHECK(stops[0]->value == "/b");
  CHECK(u.last("Service", "ExecStop")->value == "/b");
  CHECK(u.last("Service", "ExecStart") == nullptr);
}

TEST_CASE("Exec prefixes and specifiers") {
  const unit::UnitFile u = unit::parse_unit(
      "[Service]\nExecStartPre=-+/opt/pre %i\nExecStart=@/opt/server argv0 --name %n --pct 50%%\n", "w@.service",
      Limits{});
  CHECK(u.is_template);
  REQUIRE(u.exec.size() == 2);
  CHECK(u.exec[0].prefixes == "-+");
  CHECK(u.exec[0].shell.commands[0].name.text == "/opt/pre");
  CHECK_FALSE(u.exec[0].shell.commands[0].args[0].is_static);
  const auto& server = u.exec[1].shell.commands[0];
  CHECK(server.args[0].text == "--name");  // argv0 dropped
  CHECK_FALSE(server.args[1].is_static);
  CHECK(server.args[3].is_static);
}

TEST_CASE("drop-ins, templates, default suffixes") {
  const unit::UnitFile d = unit::parse_unit("[Service]\nRestart=always\n", "etc/dten.service.d/override.conf", Limits{});
  CHECK(d.is_dropin);
  CHECK(d.name == "dten.service");
  CHECK(unit::template_of("getty@tty1.service") == "getty@.service");
  CHECK(unit::template_of("getty.service").empty());
  CHECK(unit::with_default_suffix("dten") == "dten.service");
  CHECK(unit::with_default_suffix("dten.timer") == "dten.timer");
}
