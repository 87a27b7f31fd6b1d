#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each, seeded from the fixtures.
# A crash, a sanitizer report, a leak, a timeout (one input over 10 s) or
# running out of memory (2 GiB) stops it with the reproducer saved in
# BUILD/fuzz-work/artifacts/.
# Usage: run-fuzzers.sh BUILD SECONDS
set -euo pipefail
build=$1 seconds=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$build/fuzz-work
bin=$build/bin
tree=$build/fixtures/Full-upgrade-package-dten
rm -rf "$work/seeds"
mkdir -p "$work/artifacts" "$work/seeds"

seed_dir() {  # NAME FILES...: a seed directory of copies
  local dir=$work/seeds/$1
  shift
  mkdir -p "$dir"
  local f n=0
  for f in "$@"; do
    [[ -f $f ]] || continue
    n=$((n + 1))
    cp "$f" "$dir/seed-$n"
  done
}
shopt -s nullglob globstar
seed_dir shell "$src"/fixtures/rules/PA2*/**/*.sh "$src"/fixtures/rules/PA5*/**/*.sh "$src"/fixtures/rules/PA7*/**/*.sh \
  "$src"/fixtures/custom-rules/*/package/**/*.sh "$tree"/**/*.sh "$tree"/DEBIAN/*
seed_dir crontab "$src"/fixtures/rules/PA304/* "$src"/fixtures/rules/PA305/* "$tree"/etc/cron.d/*
seed_dir unit "$src"/fixtures/rules/PA30[123]/**/*.service "$src"/fixtures/rules/PA30[123]/**/*.timer \
  "$src"/fixtures/rules/PA30[123]/**/*.conf "$tree"/systemd/*
seed_dir sql "$src"/fixtures/rules/PA40*/**/*.sql "$tree"/sql/*
seed_dir zip "$build"/fixtures/*.zip
# Small zips of fixture directories, so mutations start from many shapes.
i=0
for dir in "$src"/fixtures/rules/PA10* "$src"/fixtures/rules/PA201 "$src"/fixtures/rules/PA304 "$src"/fixtures/rules/PA401; do
  i=$((i + 1))
  "$bin/pkgaudit-mkzip" "$work/seeds/zip/fixture-$i.zip" "$dir" >/dev/null 2>&1 || true
done
mkdir -p "$work/seeds/signature"
{
  printf '\n--\n\n--\n\n--\n'
  cat "$tree/SHA256SUMS"
  printf '\n--\n'
  cat "$tree/SHA256SUMS.p7s"
} >"$work/seeds/signature/dten"
printf 'Manifest-Version: 1.0\n\nName: install.sh\nSHA-256-Digest: AAAA\n\n--\nSignature-Version: 1.0\n' \
  >"$work/seeds/signature/jar"

export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$src/tests/fuzz/ubsan.supp"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
declare -A seeds=([zip_source]=zip [pipeline]=zip [shell]=shell [crontab]=crontab [unit]=unit [sql]=sql
                  [signature]=signature)
failed=()
for name in zip_source shell crontab unit sql signature pipeline; do
  corpus=$work/corpus/$name
  mkdir -p "$corpus"
  echo "== fuzz_$name for ${seconds}s"
  if ! "$bin/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
      -print_final_stats=1 -artifact_prefix="$work/artifacts/$name-" \
      "$corpus" "$work/seeds/${seeds[$name]}" >"$work/$name.log" 2>&1; then
    failed+=("$name")
    tail -40 "$work/$name.log"
  else
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$work/$name.log" | tr '\n' ' '
    echo
  fi
done
if ((${#failed[@]})); then
  echo "fuzzers with findings: ${failed[*]} (reproducers in $work/artifacts/)" >&2
  exit 1
fi
echo "fuzzers: no findings"
