#!/usr/bin/env bash
# Validates SARIF files with the SARIF Multitool using the SARIF and GitHub
# rule sets; fails on any error or warning. The Multitool comes from npm and
# is installed into the build tree the first time.
#
#   validate-sarif.sh TOOL_DIR FILE.sarif...
set -euo pipefail
tool_dir=$1
shift
mt="$tool_dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [[ ! -x $mt ]]; then
  mkdir -p "$tool_dir"
  npm install --silent --no-audit --no-fund --prefix "$tool_dir" @microsoft/sarif-multitool-linux >/dev/null
fi
status=0
for f in "$@"; do
  out=$(mktemp --suffix=.sarif)
  rm -f "$out"
  # Called directly: the npm wrapper passes arguments through a shell, which
  # would split "Sarif;Gh" at the semicolon.
  log=$("$mt" validate --rule-kind "Sarif;Gh" --output "$out" "$f" 2>&1) || true
  rm -f "$out"
  problems=$(grep -E ': (error|warning) ' <<<"$log" || true)
  if [[ -n $problems ]] || ! grep -q 'Analysis completed successfully' <<<"$log"; then
    echo "FAIL $f"
    echo "$log"
    status=1
  else
    echo "ok   $f: zero errors, zero warnings"
  fi
done
exit $status
