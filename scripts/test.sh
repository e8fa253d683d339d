#!/usr/bin/env bash
# Installs dependencies, builds everything with AddressSanitizer + UndefinedBehaviorSanitizer,
# runs the whole test suite, then builds the libFuzzer targets with clang and runs each briefly.
# FUZZ_SECONDS (default 20) sets the length of each fuzz run; 0 skips fuzzing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --test-dir build/asan --output-on-failure --timeout 900 -j2

FUZZ_SECONDS="${FUZZ_SECONDS:-20}"
if [ "$FUZZ_SECONDS" != "0" ] && ls fuzz/*.cmake >/dev/null 2>&1; then
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz
  fuzz_failed=0
  for target in build/fuzz/fuzz/*; do
    [ -f "$target" ] && [ -x "$target" ] || continue
    name="$(basename "$target")"
    corpus="fuzz/corpus/$name"
    work="build/fuzz/corpus-run/$name"
    mkdir -p "$work"
    seeds=()
    [ -d "$corpus" ] && seeds+=("$corpus")
    echo "fuzz: $name for ${FUZZ_SECONDS}s"
    if ! "$target" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=4096 -print_final_stats=0 \
        "$work" "${seeds[@]}" >"build/fuzz/$name.log" 2>&1; then
      echo "fuzz: $name FAILED"; tail -40 "build/fuzz/$name.log"; fuzz_failed=1
    fi
  done
  if [ "$fuzz_failed" -ne 0 ]; then exit 1; fi
fi
echo "all tests and fuzz runs passed"
