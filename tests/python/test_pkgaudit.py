"""The Python module as a security team scripts it. Run by ctest with
PYTHONPATH at the built module and PKGAUDIT_CLI / PKGAUDIT_DTEN_ZIP /
PKGAUDIT_DTEN_TREE set."""

import io
import json
import os
import pathlib
import subprocess
import threading
import time
import zipfile

import pytest

import pkgaudit

CLI = os.environ["PKGAUDIT_CLI"]
ZIP = pathlib.Path(os.environ["PKGAUDIT_DTEN_ZIP"])
TREE = pathlib.Path(os.environ["PKGAUDIT_DTEN_TREE"])
RETIRED = "sftp-old.partner.example.com"


def sarif_results(text):
    log = json.loads(text)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    out = []
    for r in run["results"]:
        region = r["locations"][0]["physicalLocation"].get("region", {})
        uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        out.append((r["ruleId"], uri, region.get("startLine", 0), region.get("startColumn", 0), r["message"]["text"]))
    return out


def test_scan_by_path_finds_the_story():
    report = pkgaudit.scan(ZIP, hosts_retired=[RETIRED])
    assert report.package == str(ZIP)
    ids = {f.rule_id for f in report.findings}
    assert {"PA201", "PA301", "PA401", "PA501"} <= ids
    sftp = [f for f in report.findings if f.rule_id == "PA501"]
    assert sftp and RETIRED in sftp[0].message
    finding = sftp[0]
    assert isinstance(finding.line, int) and finding.line >= 1 and finding.column >= 1
    assert finding.path == finding.location.path and finding.line == finding.location.line
    assert finding.level == "error" and finding.rule_name == "dead-sftp-host"
    assert len(finding.fingerprint) == 32 and finding.suppressed is False
    assert finding.related and finding.related[0].location.line >= 1 and "cron" in finding.related[0].message
    assert len(report) == len(report.findings)
    assert "PA501" in report.rules_run


def test_long_lines_give_a_cut_snippet_and_its_column():
    line = ";".join(f"sudo rm -rf /opt/x{i}" for i in range(100))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("long.sh", "#!/bin/sh\n" + line + "\n")
        z.writestr("short.sh", "#!/bin/sh\nsudo ls\n")
    report = pkgaudit.scan(buffer.getvalue(), name="long.zip")
    short = [f for f in report.findings if f.path == "short.sh" and f.rule_id == "PA201"]
    assert short and short[0].snippet == "sudo ls" and short[0].snippet_column == 1
    last = [f for f in report.findings if f.path == "long.sh" and f.rule_id == "PA201"][-1]
    assert last.snippet.startswith("\u2026") and last.snippet_column > 1
    start = last.snippet_column - 1
    assert last.snippet[1:] == line[start:start + 240]


def test_reports_written_to_files_match_the_strings(tmp_path):
    report = pkgaudit.scan(ZIP)
    report.write_sarif(tmp_path / "r.sarif")
    report.write_json(str(tmp_path / "r.json"))
    report.write_text(tmp_path / "r.txt")
    assert (tmp_path / "r.sarif").read_text(encoding="utf-8") == report.to_sarif() + "\n"
    assert (tmp_path / "r.json").read_text(encoding="utf-8") == report.to_json() + "\n"
    assert (tmp_path / "r.txt").read_text(encoding="utf-8") == report.to_text()
    with pytest.raises(OSError) as missing:
        report.write_sarif(tmp_path / "no-such-dir" / "r.sarif")
    assert missing.value.filename.endswith("r.sarif")
    if os.path.exists("/dev/full"):
        with pytest.raises(OSError):
            report.write_json("/dev/full")


def test_scan_by_bytes_matches_scan_by_path():
    by_path = pkgaudit.scan(str(ZIP))
    by_bytes = pkgaudit.scan(ZIP.read_bytes(), name="dten.zip")
    assert by_bytes.package == "dten.zip"
    key = lambda f: (f.rule_id, f.path, f.line, f.column, f.message)
    assert [key(f) for f in by_bytes.findings] == [key(f) for f in by_path.findings]
    assert len(pkgaudit.scan(bytearray(ZIP.read_bytes())).findings) == len(by_path.findings)


def test_unpacked_tree():
    report = pkgaudit.scan(TREE)
    assert report.summary["files"] > 10
    assert any(f.rule_id == "PA201" for f in report.findings)


def test_options_and_config_file(tmp_path):
    only_sql = pkgaudit.scan(ZIP, rules_select=["PA4"])
    assert only_sql.findings and {f.rule_id[:3] for f in only_sql.findings} == {"PA4"}
    quiet = pkgaudit.scan(ZIP, rules_select=["PA4"], rules_level={"PA401": "none"})
    assert not any(f.rule_id == "PA401" for f in quiet.findings)
    assert len(quiet.findings) < len(only_sql.findings)
    config = tmp_path / "pkgaudit.toml"
    config.write_text('[hosts]\nretired = ["%s"]\n[rules]\nselect = ["PA5"]\n' % RETIRED)
    from_file = pkgaudit.scan(ZIP, config)
    assert [f.rule_id for f in from_file.findings] == ["PA501"]
    # Keyword options win over the file, as the CLI's flags do.
    assert pkgaudit.scan(ZIP, config, rules_select="PA2").findings[0].rule_id.startswith("PA2")
    assert "hosts_retired" in pkgaudit.option_names()


def test_summary():
    report = pkgaudit.scan(ZIP, hosts_retired=[RETIRED])
    s = report.summary
    assert s["files"] == s["audited"] + s["not_audited"]
    levels = s["findings"]
    assert sum(levels.values()) + s["suppressed"] == len(report.findings)
    assert s["by_rule"]["PA501"] == 1
    assert list(s["by_rule"]) == sorted(s["by_rule"])


def test_sarif_round_trip_matches_the_cli():
    report = pkgaudit.scan(ZIP, hosts_retired=[RETIRED])
    ours = sarif_results(report.to_sarif())
    cli = subprocess.run([CLI, "scan", str(ZIP), "--retired-host", RETIRED, "--format", "sarif", "--fail-on", "never"],
                         capture_output=True, text=True, check=True)
    assert ours == sarif_results(cli.stdout)
    assert [(r[0], r[2]) for r in ours] == [(f.rule_id, f.line) for f in report.findings]
    as_json = json.loads(report.to_json())
    assert len(as_json["findings"]) == len(report.findings)
    assert "Findings:" in report.to_text()


def test_rules_listing(tmp_path):
    rules = pkgaudit.rules()
    ids = [r.id for r in rules]
    assert ids == sorted(ids) and "PA201" in ids and len(ids) >= 26
    pa201 = rules[ids.index("PA201")]
    assert pa201.name == "assumed-sudo" and pa201.level in ("error", "warning", "note") and pa201.help and pa201.fix
    config = tmp_path / "custom.toml"
    config.write_text('[[custom-rules]]\nid = "X001"\nname = "no-telnet"\nmessage = "telnet"\ncommand = "telnet"\n')
    custom = pkgaudit.rules(config)
    assert custom[-1].id == "X001" and custom[-1].tags == ["custom"]


def test_custom_rule_through_python(tmp_path):
    config = tmp_path / "pkgaudit.toml"
    config.write_text(
        '[[custom-rules]]\nid = "X100"\nname = "partner-host"\nlevel = "error"\n'
        'message = "{tool} talks to {host}"\nhost = ["*.partner.example.com"]\n')
    report = pkgaudit.scan(ZIP, config, rules_select=["X"])
    assert report.findings and all(f.rule_id == "X100" for f in report.findings)
    assert any(f.message == "sftp talks to %s." % RETIRED for f in report.findings)


def test_errors():
    with pytest.raises(pkgaudit.ReadError) as e:
        pkgaudit.scan("/nonexistent/package.zip")
    assert "/nonexistent/package.zip" in str(e.value)
    assert isinstance(e.value, OSError) and isinstance(e.value, pkgaudit.Error)
    with pytest.raises(pkgaudit.BadPackageError):
        pkgaudit.scan(b"PK\x03\x04 not really a zip")
    with pytest.raises(pkgaudit.UsageError, match="unknown option 'hosts_retierd'"):
        pkgaudit.scan(ZIP, hosts_retierd=["x"])
    with pytest.raises(pkgaudit.UsageError, match="limits.entries: expected a non-negative integer"):
        pkgaudit.scan(ZIP, limits_entries=-1)
    with pytest.raises(pkgaudit.UsageError):
        pkgaudit.scan(ZIP, hosts_retired=[1, 2])
    with pytest.raises(pkgaudit.ConfigError, match="cannot read the configuration file"):
        pkgaudit.scan(ZIP, "/nonexistent/pkgaudit.toml")
    assert issubclass(pkgaudit.InternalError, pkgaudit.Error)


def big_package():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as z:
        body = "".join("sudo systemctl restart dten-%d\nscp x dten@h%d.example.com:/in/\n" % (i, i) for i in range(200))
        for i in range(100):
            z.writestr("scripts/job-%03d.sh" % i, "#!/bin/bash\n" + body)
    return data.getvalue()


def test_scan_releases_the_gil():
    package = big_package()
    done = threading.Event()
    stamps = []

    def counter():
        n = 0
        while not done.is_set():
            n += 1
            if n % 1000 == 0:
                stamps.append(time.monotonic())

    t = threading.Thread(target=counter)
    t.start()
    start = time.monotonic()
    report = pkgaudit.scan(package, scan_jobs=1)
    end = time.monotonic()
    done.set()
    t.join()
    assert len(report.findings) >= 100
    assert end - start > 0.05, "the package must take measurable time to scan"
    # Holding the GIL, the scan would leave the other thread no turn at all
    # while it runs; only the edges (the switch interval before the call and
    # after it) could show ticks. Released, the thread ticks throughout.
    margin = (end - start) * 0.2
    inside = [s for s in stamps if start + margin < s < end - margin]
    assert len(inside) >= 50, "the other Python thread did not run during the scan: %d ticks" % len(inside)
