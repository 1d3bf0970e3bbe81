#!/usr/bin/env bash
# The veth lab: a network namespace with a client, wired to icmpfp by a veth
# pair. icmpfp owns the host end through net_af_packet; that end has no
# address, so whatever answers the client is icmpfp, not the kernel.
#
#   scripts/lab.sh up [NS]     create the namespace and the veth pair
#   scripts/lab.sh down [NS]   remove them
#   scripts/lab.sh run [NS]    up, then icmpfp in the foreground (Ctrl-C stops)
#
# run starts at once when build/ and the packages the lab runs with are
# there (ICMPFP=PATH runs another icmpfp, an installed one); else it runs
# scripts/setup.sh first, which installs what every test needs and builds.
#
# Client 192.0.2.2/24 and 2001:db8:0:1::2/64 in namespace NS (default
# ifplab) on veth NS-c; icmpfp answers for 192.0.2.1 and 2001:db8:0:1::1
# (and its link-local, from its MAC) on veth NS-h, where the kernel has
# IPv6 disabled. Routes to 198.51.100.0/24, 203.0.113.0/24 (and more) and to
# 2001:db8:dead::/48, 2001:db8:beef::/48 (and more) go through icmpfp, for
# traceroute and tracepath in both families (scripts/lab.ini says what each
# gets).
set -euo pipefail
cd "$(dirname "$0")/.."

cmd=${1:-run}
NS=${2:-ifplab}
HOST_IF="${NS}-h"
CLIENT_IF="${NS}-c"
CLIENT_IP=192.0.2.2
ICMPFP_IP=192.0.2.1
CLIENT_IP6=2001:db8:0:1::2
ICMPFP_IP6=2001:db8:0:1::1

# what the lab itself runs with, and the clients its banner suggests
RUNTIME_PACKAGES=(dpdk iproute2 ethtool procps iputils-ping iputils-tracepath
    arping ndisc6 traceroute)

# build/ is there (brought up to date: no work when nothing changed) and
# so are the run-time packages: one dpkg-query, no apt
lab_ready() {
    [ -f build/build.ninja ] || return 1
    [ "$(dpkg-query -W -f='${Status}\n' "${RUNTIME_PACKAGES[@]}" 2>/dev/null |
        grep -c 'ok installed')" -eq ${#RUNTIME_PACKAGES[@]} ] || return 1
    ninja -C build >/dev/null
}

lab_down() {
    ip netns del "$NS" 2>/dev/null || true
    ip link del "$HOST_IF" 2>/dev/null || true
}

lab_up() {
    lab_down
    ip netns add "$NS"
    ip link add "$HOST_IF" type veth peer name "$CLIENT_IF"
    ip link set "$CLIENT_IF" netns "$NS"
    # the kernel must stay silent on icmpfp's end: no IPv6, no address
    sysctl -qw "net.ipv6.conf.${HOST_IF}.disable_ipv6=1"
    ip link set "$HOST_IF" up
    # the client speaks IPv6, without DAD so that nothing waits for it
    ip netns exec "$NS" sysctl -qw "net.ipv6.conf.${CLIENT_IF}.disable_ipv6=0"
    ip netns exec "$NS" sysctl -qw "net.ipv6.conf.${CLIENT_IF}.accept_dad=0"
    ip netns exec "$NS" sysctl -qw "net.ipv6.conf.${CLIENT_IF}.accept_ra=0"
    ip netns exec "$NS" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
    ip netns exec "$NS" ip addr add "$CLIENT_IP/24" dev "$CLIENT_IF"
    ip netns exec "$NS" ip -6 addr add "$CLIENT_IP6/64" dev "$CLIENT_IF" nodad
    ip netns exec "$NS" ip link set "$CLIENT_IF" up
    ip netns exec "$NS" ip link set lo up
    # the kernel computes checksums in software, so captures show real ones
    ip netns exec "$NS" ethtool -K "$CLIENT_IF" tx off >/dev/null 2>&1 || true
    ethtool -K "$HOST_IF" tx off >/dev/null 2>&1 || true
    ip netns exec "$NS" ip route add 198.18.0.0/15 via "$ICMPFP_IP"
    ip netns exec "$NS" ip route add 198.51.100.0/24 via "$ICMPFP_IP"
    ip netns exec "$NS" ip route add 203.0.113.0/24 via "$ICMPFP_IP"
    ip netns exec "$NS" ip route add 192.0.2.128/25 via "$ICMPFP_IP" 2>/dev/null || true
    for p in 2001:db8:cafe::/48 2001:db8:dead::/48 2001:db8:beef::/48 2001:db8:f00d::/48; do
        ip netns exec "$NS" ip -6 route add "$p" via "$ICMPFP_IP6"
    done
}

case "$cmd" in
up)
    lab_up
    echo "lab: namespace $NS, client $CLIENT_IP on $CLIENT_IF, icmpfp on $HOST_IF"
    ;;
down)
    lab_down
    ;;
run)
    [ "$(id -u)" -eq 0 ] || { echo "lab: needs root (namespaces, veth)" >&2; exit 1; }
    lab_ready || scripts/setup.sh
    lab_up
    # icmpfp gone, so is EAL's runtime directory it leaves behind
    trap 'lab_down; rm -rf "/var/run/dpdk/icmpfp-$NS"' EXIT
    cat <<MSG
lab: icmpfp answers for $ICMPFP_IP and $ICMPFP_IP6 on $HOST_IF. From another terminal:
    ip netns exec $NS ping -c 5 $ICMPFP_IP
    ip netns exec $NS ping -6 -c 5 $ICMPFP_IP6
    ip netns exec $NS ndisc6 $ICMPFP_IP6 $CLIENT_IF
    ip netns exec $NS arping -c 3 -I $CLIENT_IF $ICMPFP_IP
    ip netns exec $NS traceroute -6 -n 2001:db8:dead::1        # !N from a route
    ip netns exec $NS tracepath -6 -n 2001:db8:beef::1         # pmtu 1400
Watch it (docs/operations.md, man 8 icmpfp):
    echo /icmpfp/stats | dpdk-telemetry.py -f icmpfp-$NS
    scripts/icmpfp-exporter.py --file-prefix icmpfp-$NS   # then curl localhost:9848/metrics
    kill -HUP \$(pidof icmpfp)                           # reload scripts/lab.ini
Ctrl-C stops icmpfp and prints its final counters.
MSG
    # 512 MiB: lab.ini routes both families, a 64 MiB table each, and a
    # reload that changes a family's prefixes builds its new table beside
    # the running one (docs/operations.md, "Memory")
    "${ICMPFP:-build/app/icmpfp}" -l 0-1 --no-huge -m 512 --no-pci --file-prefix "icmpfp-$NS" \
        --vdev "net_af_packet0,iface=$HOST_IF,qpairs=1,qdisc_bypass=1,blocksz=8192,framesz=8192,framecnt=512" \
        -- -c scripts/lab.ini --stats-period "${STATS_PERIOD:-5}"
    ;;
*)
    echo "usage: $0 up|down|run [NS]" >&2
    exit 2
    ;;
esac
