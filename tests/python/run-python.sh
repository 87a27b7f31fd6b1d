#!/bin/sh
# Runs Python for the tests; in the sanitizer build the runtimes are
# preloaded (PKGAUDIT_SANITIZER_PRELOAD) and CPython's exit-time
# allocations are not reported as leaks.
if [ -n "${PKGAUDIT_SANITIZER_PRELOAD:-}" ]; then
  LD_PRELOAD=$PKGAUDIT_SANITIZER_PRELOAD
  ASAN_OPTIONS=detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}
  export LD_PRELOAD ASAN_OPTIONS
fi
exec "$@"
