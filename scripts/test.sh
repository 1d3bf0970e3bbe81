#!/usr/bin/env bash
# Set up (packages, build) and run every test suite of icmpfp:
#   shape   the shape of the tree: lib/'s headers form a ladder, the docs
#           name every config key, answer kind and drop reason
#   unit    Criterion tests of lib/ and the config parser (no EAL, no root)
#   replay  scapy-made captures through build/app/icmpfp-replay, answers
#           checked by scapy and tshark
#   lab     real clients (ping, arping, ...) in a network namespace against a
#           live icmpfp on net_af_packet; needs root, fails without it
#   ops     the operator's view of a live icmpfp in the lab: dpdk-telemetry.py,
#           the Prometheus exporter (curl, promtool), dpdk-dumpcap (tshark),
#           SIGHUP reload under traffic; needs root
#   install `meson install --destdir` (FHS paths, the installed profiles, no
#           path into this tree), the man pages (groff -ww, man -l), and the
#           Debian package: dpkg-buildpackage, lintian, dpkg -i, the
#           installed icmpfp on the veth lab, dpkg -r / -P; needs root
#   asan    the unit and replay suites, and a short soak, against an ASan +
#           UBSan build (-Dsanitize_all=true) in build-asan/; any sanitizer
#           report fails
#   fuzz    the libFuzzer target tests/fuzz/fuzz_burst (clang, ASan, UBSan)
#           in build-fuzz/ for FUZZ_SECONDS (default 60)
#   soak    icmpfp on a net_pcap port replaying a hostile mix for
#           SOAK_SECONDS (default 40): no leak, counters add up, RSS flat
# The last line is "N passed, M failed"; the exit status is non-zero when
# anything failed.
#   scripts/test.sh [shape|unit|replay|lab|ops|install ...]   (default: all)
set -uo pipefail
cd "$(dirname "$0")/.."

suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(shape unit replay lab ops install asan fuzz soak)

scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

results=build/test-results
rm -rf "$results"
mkdir -p "$results"
PY=/usr/bin/python3

# run_unit BUILD_DIR PREFIX: every Criterion test binary of BUILD_DIR
run_unit() {
    for t in "$1"/tests/test_*; do
        [ -f "$t" ] && [ -x "$t" ] || continue
        name=$(basename "$t")
        echo "== $2: $name"
        "$t" --jobs 2 --xml="$results/$2-$name.xml" 2>&1 | tail -n 3 ||
            echo "$name failed"
        [ -s "$results/$2-$name.xml" ] || echo "<crash name=\"$name\"/>" > "$results/$2-$name.xml"
    done
}

# junit_one NAME STATUS MESSAGE: a one-test report for a suite that is not
# pytest or Criterion
junit_one() {
    local fail=0 body=""
    if [ "$2" -ne 0 ]; then
        fail=1
        body="<failure message=\"exit status $2\"/>"
    fi
    printf '<testsuite name="%s" tests="1" failures="%d"><testcase name="%s" classname="%s">%s<system-out>%s</system-out></testcase></testsuite>\n' \
        "$1" "$fail" "$1" "$1" "$body" "$(echo "$3" | sed 's/[<>&]/_/g')" > "$results/$1.xml"
}

for s in "${suites[@]}"; do
    case "$s" in
    unit)
        run_unit build unit
        ;;
    shape|replay|lab|ops|install)
        echo "== $s"
        $PY -m pytest -q -p no:cacheprovider "tests/$s" --junitxml="$results/$s.xml" 2>&1 | tail -n 25
        [ -s "$results/$s.xml" ] || echo "<crash name=\"$s\"/>" > "$results/$s.xml"
        ;;
    asan)
        echo "== asan: build-asan (ASan + UBSan)"
        if [ ! -f build-asan/build.ninja ]; then
            meson setup build-asan -Dsanitize_all=true -Dbuildtype=debugoptimized >/dev/null
        fi
        if ! ninja -C build-asan >/dev/null; then
            echo "<crash name=\"asan-build\"/>" > "$results/asan-build.xml"
            continue
        fi
        # Leak checking stays on: DPDK 22.11's EAL (--no-huge) frees or
        # keeps reachable all it allocates once rte_eal_cleanup() runs.
        export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
        export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
        run_unit build-asan asan-unit
        IFP_BUILD="$PWD/build-asan" SOAK_SECONDS=${ASAN_SOAK_SECONDS:-15} \
            $PY -m pytest -q -p no:cacheprovider tests/replay tests/soak \
            --junitxml="$results/asan-replay.xml" 2>&1 | tail -n 15
        [ -s "$results/asan-replay.xml" ] || echo "<crash name=\"asan-replay\"/>" > "$results/asan-replay.xml"
        unset ASAN_OPTIONS UBSAN_OPTIONS
        ;;
    fuzz)
        echo "== fuzz"
        rc=0
        out=$(bash tests/fuzz/run.sh 2>&1) || rc=$?
        echo "$out" | tail -n 22
        junit_one fuzz "$rc" "$(echo "$out" | tail -n 1)"
        ;;
    soak)
        echo "== soak"
        $PY -m pytest -q -s -p no:cacheprovider tests/soak --junitxml="$results/soak.xml" 2>&1 |
            grep -v "^WARNING: .*linktypes" | tail -n 15
        [ -s "$results/soak.xml" ] || echo "<crash name=\"soak\"/>" > "$results/soak.xml"
        ;;
    *)
        echo "test.sh: unknown suite '$s' (shape, unit, replay, lab, ops, install, asan, fuzz, soak)" >&2
        exit 2
        ;;
    esac
done

$PY scripts/junit_sum.py "$results"/*.xml
