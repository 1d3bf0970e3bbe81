#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Instructions a packet over icmpfp's whole worker loop (RX, the fast path,
# TX, the loop itself) on the net_pcap port of bench/vs-testpmd.sh: callgrind
# counts only inside worker_main(), the packets are icmpfp's final rx.
# Deterministic where cycles are not (valgrind runs the AVX2 kernel: it has
# no AVX-512).
#
#   bench/worker-callgrind.sh [ICMPFP [SIZE [SECONDS]]]
#
# Prints "instructions rx instructions/pkt".
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ICMPFP=${1:-$ROOT/build/app/icmpfp}
SIZE=${2:-98}
DUR=${3:-20}
WORK=$(mktemp -d /tmp/ifp-worker-cg.XXXXXX)
prefix="ifpcg$$"
trap 'rm -rf "$WORK" "/var/run/dpdk/$prefix"' EXIT
/usr/bin/python3 "$ROOT/bench/echo_pcap.py" "$SIZE" "$WORK/echo$SIZE.pcap" >/dev/null
cat > "$WORK/icmpfp.ini" <<'INI'
[port 0]
address = 192.0.2.1/24
profile = pcap
INI
valgrind --tool=callgrind --toggle-collect=worker_main \
    --callgrind-out-file="$WORK/cg.out" \
    "$ICMPFP" -l 0-1 --no-huge -m 512 --no-pci --file-prefix "$prefix" \
    --vdev "net_pcap0,rx_pcap=$WORK/echo$SIZE.pcap,infinite_rx=1" -- \
    -c "$WORK/icmpfp.ini" > "$WORK/log" 2>&1 < /dev/null &
pid=$!
sleep "$DUR"
kill -INT "$pid"
wait "$pid" || true
ins=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$WORK/log")
rx=$(sed -n 's/^final counters: //p' "$WORK/log" |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["rx"])')
echo "$ins $rx $(awk -v i="$ins" -v r="$rx" 'BEGIN {printf "%.1f", i / r}')"
