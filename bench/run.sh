#!/usr/bin/env bash
# The benchmark (not a test): generates packages of about 1,000, 10,000 and
# 50,000 files and prints, per size, the median of RUNS runs of wall time,
# CPU time, peak RSS and hypervisor steal for pkgaudit and its floors, and
# the ratios.
#   bench/run.sh BUILD_DIR [OUT.md]      (RUNS=5 SIZES="1000 10000 50000")
# ShellCheck takes minutes per run at the larger sizes: SHELLCHECK_MAX=N
# measures it only for packages of at most N files, SHELLCHECK_RUNS its runs.
set -euo pipefail
build=$(cd "$1" && pwd)
out=${2:-/dev/stdout}
runs=${RUNS:-5}
sizes=${SIZES:-"1000 10000 50000"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
measure() { "$build/bin/pkgaudit-measure" "$@"; }
cores=$(nproc)
{
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "pkgaudit $("$build/bin/pkgaudit" version | cut -d' ' -f2), $(shellcheck --version | sed -n 's/^version: /ShellCheck /p'), medians of $runs runs"
echo
for n in $sizes; do
  zip="$work/p$n.zip"
  "$build/bin/pkgaudit-bench-gen" "$n" "$zip"
  mkdir -p "$work/x$n"
  (cd "$work/x$n" && unzip -q "$zip")
  find "$work/x$n" -name '*.sh' -print0 > "$work/sh$n"
  shells=$(tr -cd '\0' < "$work/sh$n" | wc -c)
  bytes=$(du -sb "$work/x$n" | cut -f1)
  largest=$(find "$work/x$n" -type f -printf '%s\n' | sort -n | tail -1)
  # The default limits (10,000 entries, 400 MiB in all, 120 s) would leave
  # most of the largest package unaudited: raise them, and check nothing
  # was left out.
  limits="--max-entries $((2 * n)) --max-total-bytes $((2 * bytes)) --run-timeout-s 3600"
  if [[ $("$build/bin/pkgaudit" scan "$zip" --fail-on never $limits | grep -c 'PA102') != 0 ]]; then
    echo "bench: pkgaudit did not audit all of $zip (PA102)" >&2
    exit 1
  fi
  # One run measures every command once, in turn, and the medians are
  # taken per command: this machine's speed drifts over minutes, and a
  # command run five times in a row would meet a different machine than
  # the one next to it in the table.
  row() {
    case $1 in
      uz) measure 1 -- sh -c "unzip -p '$zip' > /dev/null" ;;
      pf) measure 1 -- "$build/bin/pkgaudit-parse-floor" "$zip" ;;
      j1) measure 1 -- "$build/bin/pkgaudit" scan "$zip" --jobs 1 --fail-on never $limits ;;
      jn) measure 1 -- "$build/bin/pkgaudit" scan "$zip" --jobs "$cores" --fail-on never $limits ;;
      s1) measure 1 -- "$build/bin/pkgaudit" scan "$zip" --jobs 1 --fail-on never $limits --format sarif --output "$work/o.sarif" ;;
      sn) measure 1 -- "$build/bin/pkgaudit" scan "$zip" --jobs "$cores" --fail-on never $limits --format sarif --output "$work/o.sarif" ;;
      # The same work with one rule that finds nothing: what findings cost.
      nf) measure 1 -- "$build/bin/pkgaudit" scan "$zip" --jobs 1 --fail-on never $limits --select PA104 ;;
    esac
  }
  rows="uz pf j1 jn s1 sn nf"
  for key in $rows; do : > "$work/$key"; done
  for _ in $(seq "$runs"); do
    for key in $rows; do row "$key" >> "$work/$key"; done
  done
  # The median of each column, as pkgaudit-measure takes it (the middle
  # value; the upper one of two); "-" when steal could not be read.
  medians() {
    for column in 1 2 3 4; do
      cut -d' ' -f"$column" "$1" | sort -n | awk '{v[NR] = $1} END {print v[int(NR / 2) + 1]}'
    done | paste -sd' '
  }
  read -r uz_w uz_c uz_r uz_s < <(medians "$work/uz")
  read -r pf_w pf_c pf_r pf_s < <(medians "$work/pf")
  read -r j1_w j1_c j1_r j1_s < <(medians "$work/j1")
  read -r jn_w jn_c jn_r jn_s < <(medians "$work/jn")
  read -r s1_w s1_c s1_r s1_s < <(medians "$work/s1")
  read -r sn_w sn_c sn_r sn_s < <(medians "$work/sn")
  read -r nf_w nf_c nf_r nf_s < <(medians "$work/nf")
  sc_w=- sc_c=- sc_r=- sc_s=-
  if (( n <= ${SHELLCHECK_MAX:-1000000} )); then
    # On every core, as pkgaudit's own row it is compared with: one
    # ShellCheck process takes one core, so a single process beside
    # pkgaudit on all of them would flatter pkgaudit by the number of cores.
    # Batches of 100 scripts keep the cores busy to the end.
    read -r sc_w sc_c sc_r sc_s < <(measure "${SHELLCHECK_RUNS:-$runs}" -- sh -c "xargs -0 -n 100 -P $cores shellcheck -f gcc < '$work/sh$n' > /dev/null || true")
  fi
  mib=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1048576}')
  findings=$("$build/bin/pkgaudit" scan "$zip" --fail-on never $limits | sed -n 's/^Findings: //p')
  echo "### $n files ($shells shell scripts, $mib MiB uncompressed, largest entry $(awk -v b="$largest" 'BEGIN {printf "%.1f", b / 1048576}') MiB; findings: $findings)"
  echo
  echo "| run | wall s | CPU s | peak RSS MiB | steal % |"
  echo "|---|---:|---:|---:|---:|"
  echo "| unzip -p (decompression floor) | $uz_w | $uz_c | $uz_r | $uz_s |"
  echo "| parse floor (decompress + tree-sitter) | $pf_w | $pf_c | $pf_r | $pf_s |"
  echo "| pkgaudit --jobs 1, text | $j1_w | $j1_c | $j1_r | $j1_s |"
  echo "| pkgaudit --jobs $cores, text | $jn_w | $jn_c | $jn_r | $jn_s |"
  echo "| pkgaudit --jobs 1, SARIF to a file | $s1_w | $s1_c | $s1_r | $s1_s |"
  echo "| pkgaudit --jobs $cores, SARIF to a file | $sn_w | $sn_c | $sn_r | $sn_s |"
  echo "| pkgaudit --jobs 1, text, only PA104 (no findings) | $nf_w | $nf_c | $nf_r | $nf_s |"
  echo "| ShellCheck -f gcc on the $shells scripts, $cores processes | $sc_w | $sc_c | $sc_r | $sc_s |"
  echo
  awk -v nf="$nf_w" -v nfr="$nf_r" -v j1="$j1_w" -v jn="$jn_w" -v j1c="$j1_c" -v scc="$sc_c" -v uz="$uz_w" -v pf="$pf_w" -v sc="$sc_w" -v rss="$j1_r" -v big="$largest" \
      -v mib="$mib" -v n="$n" 'BEGIN {
    printf "- pkgaudit / (decompress + parse floor): %.2f (target 1.5); with no findings: %.2f\n", j1 / (uz + pf), nf / (uz + pf)
    printf "- --jobs 1 / --jobs all: %.2f (target 1.7 on 2 cores)\n", j1 / jn
    if (sc == "-") printf "- ShellCheck / pkgaudit --jobs all: not measured at this size\n"
    else printf "- ShellCheck / pkgaudit --jobs all: %.1f (target 50); CPU time, ShellCheck / pkgaudit --jobs 1: %.1f\n", sc / jn, scc / j1c
    target = 2 * big / 1048576 + 64
    printf "- peak RSS (--jobs 1, text): %.1f MiB, %s the target of 2 x largest + 64 MiB = %.2f MiB; / largest entry: %.1f; with no findings: %.1f MiB\n", rss, rss < target ? "under" : "NOT under", target, rss / (big / 1048576), nfr
    printf "- cost: %.3f s per MiB, %.2f ms per file (--jobs 1)\n\n", j1 / mib, 1000 * j1 / n
  }'
  rm -rf "$work/x$n" "$zip"
done
} > "$out"
