#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# A/B on one port: several responders, one after the other in rotating
# order, each on net_pcap replaying 64 echo requests of SIZE bytes
# (infinite_rx=1, TX dropped), as bench/vs-testpmd.sh runs them. For each
# run: TX Mpps from the port's telemetry (bench/ethdev_rate.py) and, for
# icmpfp and the calibration responder, busy and proc cycles a packet from
# their own counters. Every figure of one round shares the machine's mood:
# compare within a round.
#
#   bench/ab-port.sh [-r ROUNDS] [-d SECONDS] [-s SIZE] APP...
#
# APP: icmpecho | io (dpdk-testpmd), calib (build/bench/calib_responder),
# or the path of an icmpfp binary (two builds to compare, say). Extra
# environment for a binary: wrap it in a script that execs it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=/usr/bin/python3
ROUNDS=5 DUR=3 SIZE=98
while getopts "r:d:s:" o; do
    case $o in
    r) ROUNDS=$OPTARG ;;
    d) DUR=$OPTARG ;;
    s) SIZE=$OPTARG ;;
    *) sed -n '2,16p' "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
APPS=("$@")
[ ${#APPS[@]} -gt 0 ] || { sed -n '2,16p' "$0"; exit 2; }
WORK=$(mktemp -d /tmp/ifp-ab.XXXXXX)
PID=
cleanup() {
    [ -n "$PID" ] && kill -INT "$PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

$PY "$ROOT/bench/echo_pcap.py" "$SIZE" "$WORK/echo.pcap"
printf '[port 0]\naddress = 192.0.2.1/24\nprofile = pcap\n' > "$WORK/icmpfp.ini"
EAL=(-l 0-1 --no-huge -m 512 --no-pci)
echo "# bench/ab-port.sh -r $ROUNDS -d $DUR -s $SIZE ${APPS[*]}"
echo "# $(date -u +%FT%TZ)"
for ((r = 0; r < ROUNDS; r++)); do
    for ((k = 0; k < ${#APPS[@]}; k++)); do
        app=${APPS[$(((k + r) % ${#APPS[@]}))]}
        prefix=ifpab$$_$k
        vdev="net_pcap0,rx_pcap=$WORK/echo.pcap,infinite_rx=1"
        case $app in
        icmpecho | io)
            dpdk-testpmd "${EAL[@]}" --file-prefix "$prefix" --vdev "$vdev" -- \
                --forward-mode="$app" --total-num-mbufs=8192 --stats-period 60 \
                > "$WORK/log" 2>&1 < /dev/null &
            ;;
        calib)
            "$ROOT/build/bench/calib_responder" "${EAL[@]}" --file-prefix "$prefix" \
                --vdev "$vdev" > "$WORK/log" 2>&1 < /dev/null &
            ;;
        *)
            "$app" "${EAL[@]}" --file-prefix "$prefix" --vdev "$vdev" -- \
                -c "$WORK/icmpfp.ini" --drivers-conf "$ROOT/drivers-conf" \
                > "$WORK/log" 2>&1 < /dev/null &
            ;;
        esac
        PID=$!
        sleep 2
        read -r _ rate _ _ < <($PY "$ROOT/bench/ethdev_rate.py" "$prefix" "$DUR")
        kill -INT "$PID"
        wait "$PID" || true
        PID=
        rm -rf "/var/run/dpdk/$prefix"
        read -r busy proc < <($PY "$ROOT/bench/cycles.py" "$WORK/log") || true
        cyc=${busy:+busy $busy proc $proc}
        printf "round %d  %-40s %7.2f Mpps  %s\n" "$r" "$app" "$rate" "$cyc"
    done
done
