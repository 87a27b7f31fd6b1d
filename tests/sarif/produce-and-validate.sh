#!/usr/bin/env bash
# Produces the SARIF a user would upload (the dten zip, its unpacked tree,
# and a package with hostile names) and validates each.
#   produce-and-validate.sh PKGAUDIT MKZIP ZIP TREE WORKDIR
set -euo pipefail
cli=$1 mkzip=$2 zip=$3 tree=$4 work=$5
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
units="$here/../../fixtures/Full-upgrade-package-dten.host-units.txt"
"$cli" scan "$zip" --units-file "$units" --retired-host sftp-old.partner.example.com --format sarif --fail-on never --output "$work/dten-zip.sarif"
"$cli" scan "$tree" --units-file "$units" --retired-host sftp-old.partner.example.com --format sarif --fail-on never --output "$work/dten-tree.sarif"
"$mkzip" "$work/hostile.zip" \
  --text '../../etc/cron.d/evil' '* * * * * root sh -c "sudo id"' \
  --text 'docs/read'$'\u202e''me.txt.sh' 'sudo id' \
  --text 'scripts/esc'$'\x1b''[31mred.sh' 'sudo ls # caf'$'\xe9' \
  --text 'scripts/ünïcode.sh' 'echo "Größe"; sudo id' \
  --text 'scripts/latin1-'$'\xff''.sh' 'sudo id'
"$cli" scan "$work/hostile.zip" --format sarif --fail-on never --output "$work/hostile.sarif"
# A name with a NUL byte (written byte by byte) and an archive nested in another.
"$mkzip" --raw "$work/nul.zip" --text-nul 'install.sh' '.txt' 'sudo id' --text 'ok.sh' 'echo ok'
"$cli" scan "$work/nul.zip" --format sarif --fail-on never --output "$work/nul.sarif"
"$mkzip" "$work/inner.zip" --text 'scripts/inner.sh' 'sudo id'
"$mkzip" "$work/nested.zip" --file 'lib/plugins.zip' "$work/inner.zip" --text 'top.sh' 'sudo ls'
"$cli" scan "$work/nested.zip" --format sarif --fail-on never --output "$work/nested.sarif"
grep -q 'lib/plugins.zip%21/scripts/inner.sh' "$work/nested.sarif"  # '!' percent-encoded in the URI
# The workflow's SARIF: suppressions, a baseline with every state, a
# category and a source root.
mkdir -p "$work/wf"
printf '#!/bin/sh\nsudo a  # pkgaudit: ignore[PA201] reviewed\nsudo b\nsudo c\n' > "$work/wf/up.sh"
"$cli" scan "$work/wf" --write-baseline "$work/wf-base.sarif" --fail-on never > /dev/null
printf '#!/bin/sh\nsudo a  # pkgaudit: ignore[PA201] reviewed\nsudo c\nsudo d\nls  # pkgaudit: ignore[PA201] stale\n' > "$work/wf/up.sh"
"$cli" scan "$work/wf" --baseline "$work/wf-base.sarif" --format sarif --category vendor/dten \
  --source-root "$work/wf" --fail-on never --output "$work/workflow.sarif"
# Custom rules (docs/library.md): descriptors with no helpUri of ours.
printf '[[custom-rules]]\nid = "X001"\nname = "partner-host"\nmessage = "{tool} talks to {host}"\nhost = ["*.partner.example.com"]\n' \
  > "$work/custom.toml"
"$cli" scan "$zip" --config "$work/custom.toml" --format sarif --fail-on never --output "$work/custom.sarif"
grep -q '"ruleId": *"X001"' "$work/custom.sarif"
"$here/validate-sarif.sh" "$work/multitool" "$work/dten-zip.sarif" "$work/dten-tree.sarif" "$work/hostile.sarif" \
  "$work/wf-base.sarif" "$work/workflow.sarif" "$work/custom.sarif" "$work/nul.sarif" "$work/nested.sarif"
