#!/usr/bin/env bash
# Set up (packages, build) and run every test suite of icmpfp:
#   unit    Criterion tests of lib/ and the config parser (no EAL, no root)
#   replay  scapy-made captures through build/app/icmpfp-replay, answers
#           checked by scapy and tshark
#   lab     real clients (ping, arping, ...) in a network namespace against a
#           live icmpfp on net_af_packet; needs root, fails without it
#   ops     the operator's view of a live icmpfp in the lab: dpdk-telemetry.py,
#           the Prometheus exporter (curl, promtool), dpdk-dumpcap (tshark),
#           SIGHUP reload under traffic; needs root
# The last line is "N passed, M failed"; the exit status is non-zero when
# anything failed.
#   scripts/test.sh [unit|replay|lab|ops ...]   (default: all)
set -uo pipefail
cd "$(dirname "$0")/.."

suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(unit replay lab ops)

scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

results=build/test-results
rm -rf "$results"
mkdir -p "$results"
PY=/usr/bin/python3

for s in "${suites[@]}"; do
    case "$s" in
    unit)
        for t in build/tests/test_*; do
            [ -f "$t" ] && [ -x "$t" ] || continue
            name=$(basename "$t")
            echo "== unit: $name"
            "$t" --jobs 2 --xml="$results/unit-$name.xml" 2>&1 | tail -n 3 ||
                echo "$name failed"
            [ -s "$results/unit-$name.xml" ] || echo "<crash name=\"$name\"/>" > "$results/unit-$name.xml"
        done
        ;;
    replay|lab|ops)
        echo "== $s"
        $PY -m pytest -q -p no:cacheprovider "tests/$s" --junitxml="$results/$s.xml" 2>&1 | tail -n 25
        [ -s "$results/$s.xml" ] || echo "<crash name=\"$s\"/>" > "$results/$s.xml"
        ;;
    *)
        echo "test.sh: unknown suite '$s' (unit, replay, lab, ops)" >&2
        exit 2
        ;;
    esac
done

$PY scripts/junit_sum.py "$results"/*.xml
