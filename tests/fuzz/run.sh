#!/usr/bin/env bash
# Build tests/fuzz/fuzz_burst with clang (libFuzzer, ASan, UBSan) in
# build-fuzz/, write the seed corpus, fuzz for FUZZ_SECONDS (default 60).
# Prints "fuzz: N executions in S s, no finding" and exits 0, or leaves the
# crashing input in build-fuzz/artifacts/ and exits 1.
#   tests/fuzz/run.sh [extra libFuzzer flags]
# Reproduce a finding: build-fuzz/tests/fuzz/fuzz_burst build-fuzz/artifacts/crash-...
set -euo pipefail
cd "$(dirname "$0")/../.."

secs=${FUZZ_SECONDS:-60}
out=build-fuzz
if [ ! -f "$out/build.ninja" ]; then
    CC=clang meson setup "$out" -Dfuzz=true -Dtests=false \
        -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C "$out" tests/fuzz/fuzz_burst >/dev/null

rm -rf "$out/seeds" "$out/artifacts"
mkdir -p "$out/corpus" "$out/artifacts"
/usr/bin/python3 tests/fuzz/make_corpus.py "$out/seeds"

# every sanitizer report is fatal; leaks are checked too (no EAL here)
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:allocator_may_return_null=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
rc=0
"$out/tests/fuzz/fuzz_burst" -max_total_time="$secs" -print_final_stats=1 \
    -timeout=10 -rss_limit_mb=2048 -dict=tests/fuzz/icmpfp.dict \
    -artifact_prefix="$out/artifacts/" "$@" "$out/corpus" "$out/seeds" \
    >"$out/fuzz.log" 2>&1 || rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz.log" | tail -n 1)
if [ "$rc" -ne 0 ] || ls "$out"/artifacts/* >/dev/null 2>&1; then
    grep -E "ERROR|runtime error|fuzz_burst:|SUMMARY|Test unit written" "$out/fuzz.log" | head -n 20
    echo "fuzz: FINDING after ${runs:-?} executions (rc $rc); log in $out/fuzz.log"
    exit 1
fi
echo "fuzz: ${runs:-0} executions in ${secs} s, no finding; corpus $(ls "$out/corpus" | wc -l) inputs"
