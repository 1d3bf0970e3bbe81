#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# A benchmark port closer to a NIC than net_pcap: the frames a responder
# reads were written by another core, as a NIC's DMA leaves them.
#
#   generator: dpdk-testpmd --forward-mode=io, lcores 0@0,1@0, between
#              net_pcap0 (rx_pcap = 64 echo requests of SIZE bytes,
#              infinite_rx=1, TX dropped) and net_memif0 (role=server)
#   responder: icmpfp (its defaults, plus $ICMPFP_ARGS), or dpdk-testpmd
#              --forward-mode=icmpecho, lcores 0@0,1@1 (its worker alone on
#              CPU 1), on net_memif0 (role=client)
#
# Each round runs every responder once (order rotating) against a fresh
# generator. Figures: replies per second the generator receives (its port 1,
# memif, ipackets; /ethdev/stats on its telemetry socket, read SECONDS apart
# after a warm-up), the responder's cycles per packet (icmpfp: busy_cycles /
# rx and proc_cycles / rx; testpmd: --record-core-cycles) and instructions
# per reply (perf stat on the responder over the same interval).
#
#   bench/vs-memif.sh [-r ROUNDS] [-d SECONDS] [-o OUTDIR] [SIZE ...]
#
# Writes OUTDIR/vs-memif.tsv (default bench/results/memif/).
set -euo pipefail
umask 022
cd "$(dirname "$0")/.."
ROOT=$PWD

ROUNDS=3
DUR=4
WARM=2
OUT=$ROOT/bench/results/memif
while getopts "r:d:o:" o; do
    case $o in
    r) ROUNDS=$OPTARG ;;
    d) DUR=$OPTARG ;;
    o) OUT=$OPTARG ;;
    *) sed -n '2,22p' "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(64 98 1514)

PY=/usr/bin/python3
PERF=$(command -v perf || true)
ICMPFP=$ROOT/build/app/icmpfp
TESTPMD=$(command -v dpdk-testpmd)
[ -x "$ICMPFP" ] || { echo "build first: meson setup build && ninja -C build" >&2; exit 1; }
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/ifp-vs-memif.XXXXXX)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
    sleep 0.5
    for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

MEM=(--no-huge -m 512 --no-pci)
printf '[port 0]\naddress = 192.0.2.1/24\n' > "$WORK/icmpfp.ini"

gen_pcap() { $PY "$ROOT/bench/echo_pcap.py" "$1" "$2"; }

stop() {  # stop PID: SIGINT, then wait
    kill -INT "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# run APP SIZE ROUND: prints "replies_mpps cycles_per_pkt fastpath_cycles ins_per_reply"
run() {
    local app=$1 size=$2 r=$3 tag="$$_${app}_${size}_$r"
    local sock="$WORK/memif.$tag.sock" gpre="ifpmg$tag" rpre="ifpmr$tag"
    local glog="$WORK/gen.$tag.log" rlog="$WORK/resp.$tag.log"
    local gpid rpid perfpid= rate pkts ins ipp=nan cyc fp=-
    "$TESTPMD" --lcores '0@0,1@0' "${MEM[@]}" --file-prefix "$gpre" \
        --vdev "net_pcap0,rx_pcap=$WORK/echo$size.pcap,infinite_rx=1" \
        --vdev "net_memif0,role=server,socket=$sock" -- \
        --forward-mode=io --auto-start --total-num-mbufs=16384 --stats-period 60 \
        > "$glog" 2>&1 < /dev/null &
    gpid=$!
    PIDS=("$gpid")
    sleep 1
    case $app in
    icmpfp)
        "$ICMPFP" --lcores '0@0,1@1' "${MEM[@]}" --file-prefix "$rpre" \
            --vdev "net_memif0,role=client,socket=$sock" -- \
            -c "$WORK/icmpfp.ini" ${ICMPFP_ARGS:-} > "$rlog" 2>&1 < /dev/null &
        ;;
    icmpecho)
        "$TESTPMD" --lcores '0@0,1@1' "${MEM[@]}" --file-prefix "$rpre" \
            --vdev "net_memif0,role=client,socket=$sock" -- \
            --forward-mode=icmpecho --auto-start --record-core-cycles \
            --total-num-mbufs=16384 --stats-period 60 > "$rlog" 2>&1 < /dev/null &
        ;;
    esac
    rpid=$!
    PIDS=("$gpid" "$rpid")
    sleep "$WARM"
    if [ -n "$PERF" ]; then
        "$PERF" stat -e instructions -x, -o "$WORK/perf.txt" -p "$rpid" -- \
            sleep "$DUR" > /dev/null 2>&1 &
        perfpid=$!
    fi
    # replies as the generator receives them: its port 1 (memif)
    read -r rate _ pkts _ < <($PY "$ROOT/bench/ethdev_rate.py" "$gpre" "$DUR" 1)
    if [ -n "$perfpid" ]; then
        wait "$perfpid" || true
        ins=$(awk -F, '/instructions/ {print $1}' "$WORK/perf.txt")
        [[ "$ins" =~ ^[0-9]+$ ]] && [ "$pkts" -gt 0 ] &&
            ipp=$(awk -v i="$ins" -v p="$pkts" 'BEGIN {printf "%.0f", i / p}')
    fi
    stop "$rpid"
    stop "$gpid"
    PIDS=()
    rm -rf "/var/run/dpdk/$gpre" "/var/run/dpdk/$rpre" "$sock"
    case $app in
    icmpfp)
        read -r cyc fp < <($PY "$ROOT/bench/cycles.py" "$rlog")
        ;;
    *)
        cyc=$(sed -n 's/.*CPU cycles\/packet=\([0-9.]*\).*/\1/p' "$rlog" | tail -1)
        ;;
    esac
    echo "$rate ${cyc:-nan} ${fp:-nan} $ipp"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : "nan")}'; }

CMD="bench/vs-memif.sh -r $ROUNDS -d $DUR -o $OUT ${SIZES[*]}"
APPS=(icmpfp icmpecho)
TSV=$OUT/vs-memif.tsv
{
    echo "# command: ${ICMPFP_ARGS:+ICMPFP_ARGS='$ICMPFP_ARGS' }$CMD"
    echo "# $(date -u +%FT%TZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, DPDK $(dpkg-query -W -f='${Version}' dpdk 2>/dev/null || echo "?")"
    echo "# size	icmpfp_mpps	icmpecho_mpps	icmpfp/icmpecho	icmpfp_cyc	icmpecho_cyc	icmpfp_fastpath_cyc	icmpfp_ins	icmpecho_ins"
} > "$TSV"

for size in "${SIZES[@]}"; do
    gen_pcap "$size" "$WORK/echo$size.pcap"
    declare -A MPPS=() CYC=() FP=() INS=()
    for ((r = 0; r < ROUNDS; r++)); do
        for ((k = 0; k < 2; k++)); do
            app=${APPS[$(((k + r) % 2))]}
            read -r m c f i < <(run "$app" "$size" "$r")
            MPPS[$app]+="$m "
            CYC[$app]+="$c "
            FP[$app]+="$f "
            INS[$app]+="$i "
            echo "size $size round $r $app: $m Mpps replies, $c cycles/pkt, $i instructions/reply" >&2
        done
    done
    med() { tr ' ' '\n' <<< "$1" | grep -v '^$' | median; }
    a=$(med "${MPPS[icmpfp]}")
    b=$(med "${MPPS[icmpecho]}")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$a" "$b" \
        "$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')" \
        "$(med "${CYC[icmpfp]}")" "$(med "${CYC[icmpecho]}")" "$(med "${FP[icmpfp]}")" \
        "$(med "${INS[icmpfp]}")" "$(med "${INS[icmpecho]}")" >> "$TSV"
    unset MPPS CYC FP INS
done

echo
column -t -s $'\t' < <(grep -v '^# command' "$TSV" | sed 's/^# size/size/')
echo "wrote $TSV"
