#!/usr/bin/env python3
"""Does any part of pkgaudit grow faster than its input?

Each probe is a package built around one construct repeated N times (a
one-line script of N commands, N same-named units with drop-ins, a script
run from N cron lines, ...). It is audited at N and at 4N; a linear cost
takes about 4 times as long, a quadratic one about 16. Prints one line per
probe and exits 1 if any ratio is over 8. Not a test (timings are not
asserted in tests): a tool to run after a change to the model or a rule.

    python3 bench/scaling.py build/bin/pkgaudit [N]
"""
import os
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile

LIMITS = ["--max-entries", "1000000", "--max-total-bytes", "4000000000", "--max-entry-bytes", "500000000",
          "--max-parse-bytes", "500000000", "--max-crontab-bytes", "500000000", "--run-timeout-s", "3600"]


def probes(n):
    """name -> {path: text}"""
    p = {}
    p["one-line script of n commands"] = {
        "long.sh": "#!/bin/sh\n" + ";".join(f"sudo rm -rf /opt/x{i}" for i in range(n)) + "\n"}
    p["script of n commands"] = {"cmds.sh": "#!/bin/sh\n" + "".join(f"sudo cp /opt/a{i} /etc/b{i}\n" for i in range(n))}
    p["script of n suppressed lines"] = {
        "sup.sh": "#!/bin/sh\n# pkgaudit: ignore-file[PA201] top\n" +
                  "".join(f"sudo x{i}  # pkgaudit: ignore[PA201] r{i}\n" for i in range(n))}
    p["n heredocs"] = {"h.sh": "#!/bin/sh\n" + "".join(f"cat > /etc/f{i} <<EOF\nline {i}\nEOF\n" for i in range(n))}
    p["n SET NOT NULL before their check"] = {
        "nn.sql": "ALTER TABLE t ALTER COLUMN a SET NOT NULL;\n" * n +
                  "ALTER TABLE t ADD CONSTRAINT c CHECK (a IS NOT NULL) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c;\n"}
    p["n DDL statements"] = {
        "ddl.sql": "".join(f"CREATE INDEX i{i} ON t (c{i});\nALTER TABLE t ADD COLUMN c{i} int;\n" for i in range(n))}
    p["a script of 100 findings run from n cron lines"] = {
        "etc/cron.d/many": "".join(f"{i % 60} 3 * * * root /opt/pkg/run.sh {i}\n" for i in range(n)),
        "opt/pkg/run.sh": "#!/bin/sh\n" + "sudo ls\n" * 100}
    p["n same-named scripts sourcing each other"] = {
        f"a/d{i}/x.sh": f"#!/bin/sh\n. ../d{(i + 1) % n}/x.sh\n" for i in range(n)}
    units = {}
    for i in range(n):
        units[f"d{i}/lib/systemd/system/x.service"] = "[Unit]\nDescription=x\n[Service]\nExecStart=/opt/run.sh\n"
        units[f"d{i}/lib/systemd/system/x.service.d/o.conf"] = "[Service]\nEnvironment=A=1\n"
    p["n same-named units, each with a drop-in"] = units
    p["n entries of one name"] = {}  # written as duplicates below
    return p


def write_zip(path, files, duplicate_of=None, count=0):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in files.items():
                z.writestr(name, text)
            for i in range(count):
                z.writestr(duplicate_of, f"#!/bin/sh\necho {i}\n")


def audit_seconds(pkgaudit, package):
    start = time.monotonic()
    done = subprocess.run([pkgaudit, "scan", package, "--fail-on", "never", "--format", "sarif", "--output",
                           os.devnull] + LIMITS, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"scaling: {package}: pkgaudit exited {done.returncode}: {done.stderr.strip()}")
    return seconds


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    pkgaudit = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="pkgaudit-scaling-") as work:
        names = list(probes(1))
        print(f"{'probe':48} {'N=' + str(n):>10} {'N=' + str(4 * n):>10} {'ratio':>6}")
        for index, name in enumerate(names):
            seconds = []
            for size in (n, 4 * n):
                zip_path = os.path.join(work, f"p{index}-{size}.zip")
                if name == "n entries of one name":
                    write_zip(zip_path, {}, "opt/run.sh", size)
                else:
                    write_zip(zip_path, probes(size)[name])
                seconds.append(audit_seconds(pkgaudit, zip_path))
            ratio = seconds[1] / max(seconds[0], 1e-3)
            worst = max(worst, ratio)
            print(f"{name:48} {seconds[0]:9.2f}s {seconds[1]:9.2f}s {ratio:6.1f}")
    if worst > 8:
        print("scaling: a ratio over 8: something grows faster than its input")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
