#!/usr/bin/env bash
# Signature verification, end to end: a test PKI generated here with OpenSSL
# (nothing committed), packages signed in every form pkgaudit knows, and for
# each case the PA6xx findings pkgaudit must report. Every JAR-style verdict
# is cross-checked with `jarsigner -verify -strict`, every detached CMS
# verdict with `openssl cms -verify -binary`.
#   run-signing-cases.sh PKGAUDIT MKZIP WORKDIR
set -uo pipefail
cli=$1 mkzip=$2 work=$3
rm -rf "$work"
mkdir -p "$work/pki"
cd "$work/pki" || exit 1

quiet() { "$@" >/dev/null 2>&1 || { echo "setup failed: $*" >&2; "$@"; exit 1; }; }

cat > ext.cnf <<'CNF'
[ca]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[leaf]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[tls]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
CNF
# root -> intermediate -> leaf (code signing); an unrelated root; weak and bad leaves.
quiet openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.crt -days 3650 -subj "/CN=Test Root" \
  -extensions ca -config ext.cnf
quiet openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.crt -days 3650 -subj "/CN=Other Root" \
  -extensions ca -config ext.cnf
quiet openssl req -newkey rsa:2048 -nodes -keyout ca.key -out ca.csr -subj "/CN=Test Intermediate"
quiet openssl x509 -req -in ca.csr -CA root.crt -CAkey root.key -CAcreateserial -out ca.crt -days 1825 \
  -extfile ext.cnf -extensions ca
leaf() {  # name key-spec extensions days [digest]
  quiet openssl req -newkey "$2" -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$1"
  quiet openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$1.crt" -days "$4" \
    -extfile ext.cnf -extensions "$3" "-${5:-sha256}"
}
leaf signer rsa:2048 leaf 365
leaf rsa1024 rsa:1024 leaf 365
leaf tls rsa:2048 tls 365
leaf sha1signed rsa:2048 leaf 365 sha1
# An expired leaf: valid for one day, checked a year later with --verify-time.
leaf expired rsa:2048 leaf 1
later=$(( $(date +%s) + 400 * 86400 ))
keytool -importcert -noprompt -alias root -file root.crt -keystore trust.jks -storepass changeit >/dev/null 2>&1
cd "$work" || exit 1

passed=0 failed=0
fail() { echo "FAIL $case: $*"; failed=$((failed + 1)); }

# A package tree for each case.
new_tree() {
  rm -rf "$work/$1"
  mkdir -p "$work/$1/scripts"
  printf '#!/bin/sh\necho upgrade\n' > "$work/$1/scripts/upgrade.sh"
  printf 'DTEN 5.0\r\nline two\r\n' > "$work/$1/README.txt"
}

b64digest() { openssl dgst "-$1" -binary | openssl base64 -A; }

# JAR-style: MANIFEST.MF with per-entry digests, SIGNER.SF over it, SIGNER.RSA (CMS, detached) over the .SF.
jar_sign() {  # tree signer-name [manifest-alg: sha256|sha1] [cms-digest] [certfile]
  local tree=$1 who=$2 alg=${3:-sha256} md=${4:-sha256} certfile=${5-$work/pki/ca.crt}
  local label; [[ $alg == sha1 ]] && label=SHA1 || label=SHA-256
  mkdir -p "$tree/META-INF"
  { printf 'Manifest-Version: 1.0\r\nCreated-By: pkgaudit tests\r\n\r\n'
    (cd "$tree" && find . -type f ! -path './META-INF/*' -printf '%P\n' | LC_ALL=C sort) | while read -r f; do
      printf 'Name: %s\r\n%s-Digest: %s\r\n\r\n' "$f" "$label" "$(b64digest "$alg" < "$tree/$f")"
    done
  } > "$tree/META-INF/MANIFEST.MF"
  { printf 'Signature-Version: 1.0\r\n%s-Digest-Manifest: %s\r\nCreated-By: pkgaudit tests\r\n\r\n' "$label" \
      "$(b64digest "$alg" < "$tree/META-INF/MANIFEST.MF")"
    # One section per entry: the digest of that entry's manifest section.
    (cd "$tree" && find . -type f ! -path './META-INF/*' -printf '%P\n' | LC_ALL=C sort) | while read -r f; do
      printf 'Name: %s\r\n%s-Digest: %s\r\n\r\n' "$f" "$label" \
        "$(printf 'Name: %s\r\n%s-Digest: %s\r\n\r\n' "$f" "$label" "$(b64digest "$alg" < "$tree/$f")" | b64digest "$alg")"
    done
  } > "$tree/META-INF/SIGNER.SF"
  openssl cms -sign -binary -in "$tree/META-INF/SIGNER.SF" -signer "$work/pki/$who.crt" -inkey "$work/pki/$who.key" \
    ${certfile:+-certfile "$certfile"} -md "$md" -outform DER -out "$tree/META-INF/SIGNER.RSA" 2>/dev/null
}

zip_tree() { "$mkzip" "$2" "$1"; }

# Runs pkgaudit, keeps the PA6 rule ids it reported (sorted, unique).
pa6() {
  "$cli" scan "$@" --select PA6 --format json --fail-on never 2>&1 |
    grep -o '"rule":"PA60[0-9]"' | sed 's/"rule":"//; s/"//' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

expect() {  # expected-ids actual-ids
  if [[ "$2" == "$1" ]]; then passed=$((passed + 1)); else fail "expected PA6 findings '$1', got '$2'"; fi
}

# jarsigner's verdict: the JAR verifies strictly against the test root.
# With -keystore, -strict also flags signers that are not themselves keystore
# aliases (exit bit 32): keystore bookkeeping, not the signature, so ignored.
jar_ok() {
  local out rc
  out=$(jarsigner -verify -strict -keystore "$work/pki/trust.jks" -storepass changeit "$1" 2>&1)
  rc=$?
  (( (rc & ~32) == 0 )) && grep -q 'jar verified' <<<"$out"
}
# The verdicts compared: verified, or not (tampered, unsigned entries,
# untrusted or invalid chain). A weak key (PA604) is a warning for jarsigner
# too; SHA-1 or MD5 manifest digests are disabled algorithms, for which
# jarsigner treats the JAR as unsigned.
cross_jar() {  # zip expected-verdict(ok|bad) pkgaudit-ids
  local verdict=bad
  jar_ok "$1" && verdict=ok
  local ours=ok
  grep -qE 'PA601|PA603|PA605|PA606' <<<"$3" && ours=bad
  "$cli" scan "$1" "${trust[@]}" --select PA604 --quiet --fail-on never | grep -qE '(SHA1|MD5)-Digest' && ours=bad
  if [[ $verdict == "$2" && $ours == "$2" ]]; then passed=$((passed + 1)); else fail "jarsigner says $verdict, pkgaudit $ours"; fi
}

trust=(--trust-store "$work/pki/root.crt")

case=jar-valid
new_tree $case; jar_sign "$work/$case" signer; zip_tree "$work/$case" $case.zip
ids=$(pa6 $case.zip "${trust[@]}"); expect "" "$ids"; cross_jar $case.zip ok "$ids"

case=jar-untrusted-root
ids=$(pa6 jar-valid.zip --trust-store "$work/pki/other.crt"); expect "PA601" "$ids"
keytool -importcert -noprompt -alias other -file "$work/pki/other.crt" -keystore "$work/pki/other.jks" -storepass changeit >/dev/null 2>&1
out=$(jarsigner -verify -strict -keystore "$work/pki/other.jks" -storepass changeit jar-valid.zip 2>&1)
(( ($? & ~32) != 0 )) && passed=$((passed + 1)) || fail "jarsigner trusts a chain to an unrelated root: $out"
[[ $(pa6 jar-valid.zip) == PA601 ]] && passed=$((passed + 1)) || fail "default trust store trusts the test root"

case=jar-missing-intermediate
new_tree $case; jar_sign "$work/$case" signer sha256 sha256 ""; zip_tree "$work/$case" $case.zip
ids=$(pa6 $case.zip "${trust[@]}"); expect "PA601" "$ids"; cross_jar $case.zip bad "$ids"
case=jar-missing-intermediate-fixed
ids=$(pa6 jar-missing-intermediate.zip "${trust[@]}" --extra-chain "$work/pki/ca.crt"); expect "" "$ids"

case=jar-entry-modified
new_tree $case; jar_sign "$work/$case" signer; printf 'tampered\n' >> "$work/$case/scripts/upgrade.sh"
zip_tree "$work/$case" $case.zip
ids=$(pa6 $case.zip "${trust[@]}"); expect "PA603" "$ids"; cross_jar $case.zip bad "$ids"
"$cli" scan $case.zip "${trust[@]}" --select PA603 --quiet --fail-on never | grep -q 'scripts/upgrade.sh does not match' &&
  passed=$((passed + 1)) || fail "PA603 does not name the entry"

case=jar-entry-added
new_tree $case; jar_sign "$work/$case" signer; printf 'sudo rm -rf /\n' > "$work/$case/scripts/extra.sh"
zip_tree "$work/$case" $case.zip
ids=$(pa6 $case.zip "${trust[@]}"); expect "PA606" "$ids"; cross_jar $case.zip bad "$ids"

case=jar-sha1-manifest
new_tree $case; jar_sign "$work/$case" signer sha1; zip_tree "$work/$case" $case.zip
ids=$(pa6 $case.zip "${trust[@]}"); expect "PA604" "$ids"; cross_jar $case.zip bad "$ids"

case=jar-rsa1024
new_tree $case; jar_sign "$work/$case" rsa1024; zip_tree "$work/$case" $case.zip
ids=$(pa6 $case.zip "${trust[@]}"); expect "PA604" "$ids"; cross_jar $case.zip ok "$ids"

# jarsigner verifies at the current time only, where this leaf is still
# valid: this case is checked at a later --verify-time, without a cross-check.
case=jar-expired
new_tree $case; jar_sign "$work/$case" expired; zip_tree "$work/$case" $case.zip
ids=$(pa6 $case.zip "${trust[@]}" --verify-time $later); expect "PA605" "$ids"
[[ -z $(pa6 $case.zip "${trust[@]}") ]] && passed=$((passed + 1)) || fail "valid today, but reported"

case=jar-no-code-signing
new_tree $case; jar_sign "$work/$case" tls; zip_tree "$work/$case" $case.zip
ids=$(pa6 $case.zip "${trust[@]}"); expect "PA605" "$ids"; cross_jar $case.zip bad "$ids"

case=unsigned
new_tree $case; zip_tree "$work/$case" $case.zip
expect "PA602" "$(pa6 $case.zip --require-signature)"
"$cli" scan $case.zip --select PA602 --format json --fail-on never | grep -q '"level":"note"' &&
  passed=$((passed + 1)) || fail "without --require-signature PA602 is a note"

# Detached CMS over the whole zip, beside it.
cms_ok() { openssl cms -verify -binary -purpose any -inform DER -in "$1" -content "$2" -CAfile "$work/pki/root.crt" \
  -certfile "$work/pki/ca.crt" -out /dev/null >/dev/null 2>&1; }
case=detached-valid
new_tree $case; zip_tree "$work/$case" $case.zip
openssl cms -sign -binary -in $case.zip -signer pki/signer.crt -inkey pki/signer.key -certfile pki/ca.crt -outform DER \
  -out $case.zip.p7s 2>/dev/null
ids=$(pa6 $case.zip "${trust[@]}"); expect "" "$ids"
cms_ok $case.zip.p7s $case.zip && passed=$((passed + 1)) || fail "openssl cms -verify disagrees"
case=detached-tampered
cp detached-valid.zip $case.zip; cp detached-valid.zip.p7s $case.zip.p7s; printf 'x' >> $case.zip
ids=$(pa6 $case.zip "${trust[@]}"); expect "PA603" "$ids"
cms_ok $case.zip.p7s $case.zip && fail "openssl cms -verify accepted a tampered zip" || passed=$((passed + 1))
case=detached-root-inside-cms
new_tree $case; zip_tree "$work/$case" $case.zip
cat pki/ca.crt pki/root.crt > pki/with-root.pem
openssl cms -sign -binary -in $case.zip -signer pki/signer.crt -inkey pki/signer.key -certfile pki/with-root.pem \
  -outform DER -out $case.zip.p7s 2>/dev/null
ids=$(pa6 $case.zip --trust-store "$work/pki/other.crt"); expect "PA601" "$ids"
openssl cms -verify -binary -purpose any -inform DER -in $case.zip.p7s -content $case.zip -CAfile "$work/pki/other.crt" \
  -out /dev/null >/dev/null 2>&1 && fail "openssl cms -verify trusted a root shipped in the signature" || passed=$((passed + 1))

# A signed SHA256SUMS inside the package.
sums_sign() {  # tree
  (cd "$1" && find . -type f ! -name 'SHA256SUMS*' -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum) > "$1/SHA256SUMS.tmp"
  mv "$1/SHA256SUMS.tmp" "$1/SHA256SUMS"
  openssl cms -sign -binary -in "$1/SHA256SUMS" -signer pki/signer.crt -inkey pki/signer.key -certfile pki/ca.crt \
    -outform DER -out "$1/SHA256SUMS.p7s" 2>/dev/null
}
case=sums-valid
new_tree $case; sums_sign "$work/$case"; zip_tree "$work/$case" $case.zip
ids=$(pa6 $case.zip "${trust[@]}"); expect "" "$ids"
cms_ok "$work/$case/SHA256SUMS.p7s" "$work/$case/SHA256SUMS" && passed=$((passed + 1)) || fail "openssl cms -verify disagrees"
case=sums-tampered
new_tree $case; sums_sign "$work/$case"; printf 'echo more\n' >> "$work/$case/scripts/upgrade.sh"; zip_tree "$work/$case" $case.zip
ids=$(pa6 $case.zip "${trust[@]}"); expect "PA603" "$ids"
case=sums-list-tampered
new_tree $case; sums_sign "$work/$case"; printf '0000000000000000000000000000000000000000000000000000000000000000  x\n' >> "$work/$case/SHA256SUMS"
zip_tree "$work/$case" $case.zip
ids=$(pa6 $case.zip "${trust[@]}"); expect "PA603" "$ids"
cms_ok "$work/$case/SHA256SUMS.p7s" "$work/$case/SHA256SUMS" && fail "openssl accepted a changed list" || passed=$((passed + 1))
case=sums-unlisted
new_tree $case; sums_sign "$work/$case"; printf 'new\n' > "$work/$case/scripts/new.sh"; zip_tree "$work/$case" $case.zip
ids=$(pa6 $case.zip "${trust[@]}"); expect "PA606" "$ids"
case=sums-crlf-to-lf
new_tree $case; sums_sign "$work/$case"; sed -i 's/\r$//' "$work/$case/README.txt"; zip_tree "$work/$case" $case.zip
ids=$(pa6 $case.zip "${trust[@]}"); expect "PA603" "$ids"
case=sums-nested-archive
# An archive inside the package is covered by its own digest; its entries
# are covered through it.
new_tree $case; mkdir -p "$work/$case-inner/bin" "$work/$case/lib"; printf '#!/bin/sh\necho plugin\n' > "$work/$case-inner/bin/plugin.sh"
"$mkzip" "$work/$case/lib/plugins.zip" "$work/$case-inner" >/dev/null
sums_sign "$work/$case"; zip_tree "$work/$case" $case.zip
ids=$(pa6 $case.zip "${trust[@]}"); expect "" "$ids"
case=sums-sha1-signature
new_tree $case
(cd "$work/$case" && find . -type f ! -name 'SHA256SUMS*' -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum) > "$work/$case/SHA256SUMS.tmp"
mv "$work/$case/SHA256SUMS.tmp" "$work/$case/SHA256SUMS"
openssl cms -sign -binary -md sha1 -in "$work/$case/SHA256SUMS" -signer pki/signer.crt -inkey pki/signer.key \
  -certfile pki/ca.crt -outform DER -out "$work/$case/SHA256SUMS.p7s" 2>/dev/null
zip_tree "$work/$case" $case.zip
ids=$(pa6 $case.zip "${trust[@]}"); expect "PA604" "$ids"

case=summary
"$cli" scan sums-valid.zip "${trust[@]}" --fail-on never | grep -q 'Signature: signed checksum list SHA256SUMS' &&
  passed=$((passed + 1)) || fail "the text report has no signing summary"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
