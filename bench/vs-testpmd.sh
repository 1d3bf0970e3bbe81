#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# icmpfp against dpdk-testpmd (--forward-mode=io and icmpecho) on the same
# virtual port: net_pcap replaying 64 echo requests with infinite_rx=1 and
# no TX capture (net_pcap then drops what is sent: the port costs the same
# to all three). Same lcores, same memory, same EAL options; the three run
# one after the other, the order rotating round by round, and each figure is
# the median over the rounds.
#
#   bench/vs-testpmd.sh [-r ROUNDS] [-d SECONDS] [-o OUTDIR] [SIZE ...]
#
# Mpps: TX packets per second from each process's own /ethdev/stats on its
# telemetry socket (bench/ethdev_rate.py), read SECONDS apart after a warm-up.
# instructions/pkt: perf stat on each process over the same interval (when
# perf is installed), the one figure the neighbours' load does not move.
# cycles/pkt: testpmd's --record-core-cycles ("CPU cycles/packet", whole run,
# cycles of polls that got packets, RX to TX), icmpfp's busy_cycles / rx
# (the same under load: every cycle between polls that got packets) and its
# fast path alone, proc_cycles / rx.
# Frames are addressed to the broadcast MAC: net_pcap's MAC changes from run
# to run and testpmd's icmpecho does not look at it, icmpfp accepts
# broadcast (design, step 1); the IP destination is icmpfp's address.
# ICMPFP_ARGS: more icmpfp options (e.g. ICMPFP_ARGS=--echo-x8).
# CALIB=1: a fourth contender, build/bench/calib_responder (issue 14's
# calibration: RX, both checksums by rte_raw_cksum(), swap, TX), in the same
# rotation; its Mpps, ratio to icmpecho and busy cycles go in three more
# columns.
# Writes OUTDIR/vs-testpmd.tsv and OUTDIR/vs-testpmd.png (gnuplot).
set -euo pipefail
umask 022
cd "$(dirname "$0")/.."
ROOT=$PWD

ROUNDS=3
DUR=4
WARM=2
OUT=$ROOT/bench/results
while getopts "r:d:o:" o; do
    case $o in
    r) ROUNDS=$OPTARG ;;
    d) DUR=$OPTARG ;;
    o) OUT=$OPTARG ;;
    *) sed -n '2,20p' "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(64 98 128 256 512 1024 1514)

PY=/usr/bin/python3
# instructions per packet (perf stat on the process over the same interval):
# unlike Mpps and cycles it does not move when the neighbours are busy
PERF=$(command -v perf || true)
ICMPFP=$ROOT/build/app/icmpfp
CALIB_BIN=$ROOT/build/bench/calib_responder
TESTPMD=$(command -v dpdk-testpmd)
[ -x "$ICMPFP" ] || { echo "build first: meson setup build && ninja -C build" >&2; exit 1; }
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/ifp-vs-testpmd.XXXXXX)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

EAL=(-l 0-1 --no-huge -m 512 --no-pci --force-max-simd-bitwidth=512)
cat > "$WORK/icmpfp.ini" <<'EOF'
[port 0]
address = 192.0.2.1/24
profile = pcap
EOF

# 64 echo requests of SIZE bytes (no FCS), ids and payloads all different
gen_pcap() { $PY "$ROOT/bench/echo_pcap.py" "$1" "$2"; }

# run APP SIZE ROUND: prints "mpps cycles_per_pkt fastpath_cycles"
run() {
    local app=$1 size=$2 r=$3 prefix="ifpvs$$_${app}_${size}_$r"
    local vdev="net_pcap0,rx_pcap=$WORK/echo$size.pcap,infinite_rx=1"
    local log="$WORK/$app.$size.$r.log" pid rate cyc fp ipp=nan perfpid=
    local pkts ins
    case $app in
    icmpfp)
        "$ICMPFP" "${EAL[@]}" --file-prefix "$prefix" --vdev "$vdev" -- \
            -c "$WORK/icmpfp.ini" ${ICMPFP_ARGS:-} > "$log" 2>&1 < /dev/null &
        ;;
    calib)
        "$CALIB_BIN" "${EAL[@]}" --file-prefix "$prefix" --vdev "$vdev" \
            > "$log" 2>&1 < /dev/null &
        ;;
    icmpecho|io)
        "$TESTPMD" "${EAL[@]}" --file-prefix "$prefix" --vdev "$vdev" -- \
            --forward-mode="$app" --record-core-cycles --total-num-mbufs=8192 \
            --stats-period 60 > "$log" 2>&1 < /dev/null &
        ;;
    esac
    pid=$!
    PIDS=("$pid")
    sleep "$WARM"
    if [ -n "$PERF" ]; then
        "$PERF" stat -e instructions -x, -o "$WORK/perf.txt" -p "$pid" -- \
            sleep "$DUR" > /dev/null 2>&1 &
        perfpid=$!
    fi
    read -r _ rate _ pkts < <($PY "$ROOT/bench/ethdev_rate.py" "$prefix" "$DUR")
    if [ -n "$perfpid" ]; then
        wait "$perfpid" || true
        ins=$(awk -F, '/instructions/ {print $1}' "$WORK/perf.txt")
        [[ "$ins" =~ ^[0-9]+$ ]] && [ "$pkts" -gt 0 ] &&
            ipp=$(awk -v i="$ins" -v p="$pkts" 'BEGIN {printf "%.0f", i / p}')
    fi
    kill -INT "$pid"
    wait "$pid" || true
    PIDS=()
    # EAL leaves its runtime directory behind; each run has its own prefix
    rm -rf "/var/run/dpdk/$prefix" "${XDG_RUNTIME_DIR:-/tmp}/dpdk/$prefix"
    case $app in
    icmpfp | calib)
        read -r cyc fp < <($PY "$ROOT/bench/cycles.py" "$log")
        ;;
    *)
        cyc=$(sed -n 's/.*CPU cycles\/packet=\([0-9.]*\).*/\1/p' "$log" | tail -1)
        fp=-
        ;;
    esac
    echo "$rate ${cyc:-nan} ${fp:-nan} $ipp"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : "nan")}'; }

CMD="bench/vs-testpmd.sh -r $ROUNDS -d $DUR -o $OUT ${SIZES[*]}"
APPS=(icmpfp icmpecho io)
HDR="# size	icmpfp_mpps	icmpecho_mpps	io_mpps	icmpfp_cyc	icmpecho_cyc	io_cyc	icmpfp_fastpath_cyc	fp/icmpecho	fp/io	icmpfp_ins	icmpecho_ins	io_ins"
if [ "${CALIB:-0}" = 1 ]; then
    [ -x "$CALIB_BIN" ] || { echo "build first: ninja -C build" >&2; exit 1; }
    APPS+=(calib)
    CMD="CALIB=1 $CMD"
    HDR+="	calib_mpps	calib/icmpecho	calib_cyc"
fi
TSV=$OUT/vs-testpmd.tsv
{
    echo "# command: $CMD"
    echo "# $(date -u +%FT%TZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, DPDK $(dpkg-query -W -f='${Version}' dpdk 2>/dev/null || echo "?")"
    echo "$HDR"
} > "$TSV"

declare -A MED_M=()
for size in "${SIZES[@]}"; do
    gen_pcap "$size" "$WORK/echo$size.pcap"
    declare -A MPPS=() CYC=() FP=() INS=()
    for ((r = 0; r < ROUNDS; r++)); do
        for ((k = 0; k < ${#APPS[@]}; k++)); do
            app=${APPS[$(((k + r) % ${#APPS[@]}))]}
            run "$app" "$size" "$r" > "$WORK/res"
            read -r m c f i < "$WORK/res"
            MPPS[$app]+="$m "
            CYC[$app]+="$c "
            FP[$app]+="$f "
            INS[$app]+="$i "
            echo "size $size round $r $app: $m Mpps, $c cycles/pkt, $i instructions/pkt" >&2
        done
    done
    line="$size"
    for app in "${APPS[@]}"; do
        MED_M[$app]=$(tr ' ' '\n' <<< "${MPPS[$app]}" | grep -v '^$' | median)
    done
    for app in icmpfp icmpecho io; do
        line+="	${MED_M[$app]}"
    done
    for app in icmpfp icmpecho io; do
        line+="	$(tr ' ' '\n' <<< "${CYC[$app]}" | grep -v '^$' | median)"
    done
    line+="	$(tr ' ' '\n' <<< "${FP[icmpfp]}" | grep -v '^$' | median)"
    line+="	$(awk -v a="${MED_M[icmpfp]}" -v b="${MED_M[icmpecho]}" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')"
    line+="	$(awk -v a="${MED_M[icmpfp]}" -v b="${MED_M[io]}" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')"
    for app in icmpfp icmpecho io; do
        line+="	$(tr ' ' '\n' <<< "${INS[$app]}" | grep -v '^$' | median)"
    done
    if [ "${CALIB:-0}" = 1 ]; then
        line+="	${MED_M[calib]}"
        line+="	$(awk -v a="${MED_M[calib]}" -v b="${MED_M[icmpecho]}" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')"
        line+="	$(tr ' ' '\n' <<< "${CYC[calib]}" | grep -v '^$' | median)"
    fi
    echo "$line" >> "$TSV"
    unset MPPS CYC FP INS
done

echo
echo "# command: $CMD"
column -t -s $'\t' < <(grep -v '^# command' "$TSV" | sed 's/^# size/size/')

gnuplot <<EOF
set terminal pngcairo size 900,540 font ",11"
set output "$OUT/vs-testpmd.png"
set title "Echo on net\\\\_pcap (infinite\\\\_rx, TX dropped), lcores 0-1, median of $ROUNDS runs"
set xlabel "frame size (bytes)"
set ylabel "Mpps (TX)"
set logscale x 2
set xtics (64, 98, 128, 256, 512, 1024, 1514)
set grid
set key top right
plot "$TSV" using 1:2 with linespoints lw 2 title "icmpfp (checksums verified)", \
     "" using 1:3 with linespoints lw 2 title "testpmd icmpecho", \
     "" using 1:4 with linespoints lw 2 dt 2 title "testpmd io (port ceiling)"
EOF
echo "wrote $TSV and $OUT/vs-testpmd.png"
