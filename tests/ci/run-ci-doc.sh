#!/usr/bin/env bash
# Runs every command line marked `# ci-command` in docs/ci.md, word for
# word, in a workspace laid out as the examples expect: the bundled package
# as vendor/package.zip, its unpacked tree as vendor/package, a
# pkgaudit.toml, and pkgaudit at build/bin/pkgaudit. Each must exit 0 or 1
# (never 2), and every SARIF it writes must be valid JSON with results.
#   run-ci-doc.sh SOURCE_DIR PKGAUDIT ZIP TREE WORKDIR
set -euo pipefail
src=$1 cli=$2 zip=$3 tree=$4 work=$5
rm -rf "$work"
mkdir -p "$work/vendor" "$work/build/bin" "$work/.pkgaudit"
cp "$zip" "$work/vendor/package.zip"
cp -r "$tree" "$work/vendor/package"
ln -s "$cli" "$work/build/bin/pkgaudit"
cat > "$work/pkgaudit.toml" <<TOML
[target]
units-file = "$src/fixtures/Full-upgrade-package-dten.host-units.txt"
[hosts]
retired = ["sftp-old.partner.example.com"]
TOML
cd "$work"
commands=$(grep -A1 '# ci-command' "$src/docs/ci.md" | grep -v -e '# ci-command' -e '^--$' |
  sed -E 's/^[[:space:]]*(- )?(run: )?//')
[[ -n $commands ]] || { echo "no ci-command lines found in docs/ci.md"; exit 1; }
# The baseline must exist before the gate uses it: run the writer first.
ordered=$(grep -- '--write-baseline' <<<"$commands"; grep -v -- '--write-baseline' <<<"$commands")
count=0
while IFS= read -r line; do
  [[ -n $line ]] || continue
  echo "+ $line"
  set +e
  eval "$line" > out.txt 2> err.txt
  rc=$?
  set -e
  if [[ $rc -ne 0 && $rc -ne 1 ]]; then
    echo "FAIL: exit $rc"; cat err.txt; exit 1
  fi
  count=$((count + 1))
done <<<"$ordered"
for sarif in pkgaudit.sarif gl-pkgaudit.sarif .pkgaudit/baseline.sarif; do
  [[ -s $sarif ]] || { echo "FAIL: $sarif was not written"; exit 1; }
  grep -q '"results":\[{' "$sarif" || { echo "FAIL: $sarif has no results"; exit 1; }
done
echo "$count passed, 0 failed"
