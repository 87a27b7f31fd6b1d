#!/usr/bin/env bash
# Installs pkgaudit into a fresh prefix and uses it as an outsider would:
# the docs' C and C++ examples built with find_package(pkgaudit) and with
# pkg-config, the Python example with the installed module, the docs'
# custom rules with the installed CLI. Every example is extracted verbatim
# from docs/library.md and README.md.
# Usage: run-install-test.sh SOURCE BUILD DTEN.zip WORK CMAKE CC PYTHON [EXTRA_FLAGS]
set -euo pipefail
src=$1 build=$2 zip=$3 work=$4 cmake=$5 cc=$6 python=$7 extra=${8:-}
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
examples=$work/examples
fail() { echo "install test: $*" >&2; exit 1; }

"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log"
names=$("$python" "$src/tests/install/extract-examples.py" "$examples" "$src/docs/library.md" "$src/README.md")
for wanted in audit.c audit.cpp audit.py pkgaudit.toml readme.c readme.cpp readme.py readme.toml; do
  [[ " $names " == *" $wanted "* ]] || fail "no example $wanted in the docs (found: $names)"
done
lib=$(find "$prefix" -name 'libpkgaudit.so' -print -quit)
[[ -n $lib ]] || fail "libpkgaudit.so not installed"
libdir=$(dirname "$lib")

echo "== CMake: find_package(pkgaudit)"
"$cmake" -S "$src/tests/install/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$prefix" \
  -DEXAMPLES_DIR="$examples" -DCMAKE_C_FLAGS="$extra" -DCMAKE_CXX_FLAGS="$extra" >"$work/consumer.log" ||
  { cat "$work/consumer.log"; fail "configuring the consumer failed"; }
"$cmake" --build "$work/consumer" >>"$work/consumer.log" 2>&1 || { cat "$work/consumer.log"; fail "building the consumer failed"; }

echo "== pkg-config"
flags=$(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs pkgaudit)
# shellcheck disable=SC2086  # word splitting of the flags is intended
"$cc" -std=c11 -Wall -Wextra -Werror $extra "$examples/audit.c" $flags -Wl,-rpath,"$libdir" -o "$work/audit_c_pc"

check_output() {  # NAME FILE: the story's retired SFTP host is an error the program reports
  grep -q "PA501" "$2" || { cat "$2"; fail "$1 did not report PA501"; }
  grep -q "sftp-old.partner.example.com" "$2" || { cat "$2"; fail "$1 did not name the retired host"; }
}
for program in "$work/consumer/audit_c" "$work/consumer/audit_cpp" "$work/audit_c_pc"; do
  set +e
  "$program" "$zip" >"$work/out.txt" 2>&1
  rc=$?
  set -e
  [[ $rc -eq 1 ]] || { cat "$work/out.txt"; fail "$program exited $rc, expected 1 (errors found)"; }
  check_output "$program" "$work/out.txt"
done
grep -q "^SARIF: [0-9]* bytes" "$work/out.txt" || fail "audit.c printed no SARIF size"
for program in "$work/consumer/readme_c" "$work/consumer/readme_cpp"; do
  "$program" "$zip" >"$work/out.txt" 2>&1 || { cat "$work/out.txt"; fail "$program failed"; }
  grep -q "^PA201 " "$work/out.txt" || { cat "$work/out.txt"; fail "$program did not list PA201"; }
done

echo "== Python"
export PYTHONPATH="$prefix/lib/python3/dist-packages"
"$src/tests/python/run-python.sh" "$python" "$examples/audit.py" "$zip" >"$work/py.txt" || { cat "$work/py.txt"; fail "audit.py failed"; }
check_output audit.py "$work/py.txt"
grep -q "^SARIF results: [1-9]" "$work/py.txt" || fail "audit.py printed no SARIF results"
(cd "$examples" && "$src/tests/python/run-python.sh" "$python" readme.py "$zip") >"$work/readme.txt" || { cat "$work/readme.txt"; fail "readme.py failed"; }
grep -q "PA501" "$work/readme.txt" || { cat "$work/readme.txt"; fail "readme.py did not report PA501"; }

echo "== custom rules from the docs, with the installed CLI"
"$prefix/bin/pkgaudit" rules --config "$examples/pkgaudit.toml" >"$work/rules.txt"
for id in X001 X002 X003 X004; do grep -q "^$id " "$work/rules.txt" || fail "pkgaudit rules does not list $id"; done
"$prefix/bin/pkgaudit" rules --config "$examples/readme.toml" | grep -q "^X001 " || fail "README's custom rule is not listed"
set +e
"$prefix/bin/pkgaudit" scan "$zip" --config "$examples/pkgaudit.toml" --select X --format json >"$work/custom.json"
rc=$?
set -e
[[ $rc -eq 0 || $rc -eq 1 ]] || fail "scan with the docs' custom rules exited $rc"
grep -q '"rule":"X004"' "$work/custom.json" || { cat "$work/custom.json"; fail "X004 (partner host) found nothing"; }
echo "install test: passed"
