"""Route hits (issue 22): each [routes] line counts the frames it decided,
reported by icmpfp-replay as /icmpfp/routes gives them. A capture of
random transit probes of both families, its covering route per frame found
by Python's ipaddress (longest prefix, the defaults last), not by icmpfp."""
import ipaddress
import random

from scapy.all import ICMP, IP, UDP, Ether, ICMPv6EchoRequest, IPv6, Raw

from ifp_harness import CONFIG6, PEER, PEER6, PEER_MAC, US, US6, US_MAC, run_replay

ROUTES = [
    ("198.51.100.0/24", "unreachable host"),
    ("198.51.100.128/25", "mtu 1400"),
    ("203.0.113.0/24", "drop"),
    ("10.0.0.0/8", "mtu 1280"),
    ("0.0.0.0/0", "mtu 9000"),
    ("2001:db8:100::/48", "unreachable net"),
    ("2001:db8:100:7::/64", "mtu 1400"),
    ("2001:db8:200::/40", "drop"),
]
# 192.0.2.0/24 is the port's subnet; ::/0 has no route: those count nothing
DESTS = ["198.51.100.7", "198.51.100.200", "203.0.113.5", "10.1.2.3", "100.64.0.1",
         "2001:db8:100::5", "2001:db8:100:7::5", "2001:db8:2ff::1", "2001:db8:999::1"]


def config():
    text = CONFIG6 + "[routes]\n"
    lines = {}
    for prefix, action in ROUTES:
        lines[prefix] = text.count("\n") + 1
        text += f"{prefix} = {action}\n"
    return text, lines


def covering(dst):
    """The route that covers dst: the longest prefix of its family."""
    a = ipaddress.ip_address(dst)
    best = None
    for prefix, _ in ROUTES:
        n = ipaddress.ip_network(prefix)
        if n.version == a.version and a in n and (best is None or
                                                  n.prefixlen > best.prefixlen):
            best = n
    return str(best) if best else None


def probe(dst, ttl, size, l2_dst=US_MAC):
    if ":" in dst:
        return (Ether(dst=l2_dst, src=PEER_MAC) / IPv6(src=PEER6, dst=dst, hlim=ttl)
                / ICMPv6EchoRequest(id=1, seq=ttl) / Raw(b"x" * size))
    return (Ether(dst=l2_dst, src=PEER_MAC) / IP(src=PEER, dst=dst, ttl=ttl, flags="DF")
            / UDP(sport=40000, dport=33434) / Raw(b"x" * size))


def test_each_route_counts_the_frames_it_decided():
    text, lines = config()
    rnd = random.Random(22)
    frames, want = [], {p: 0 for p, _ in ROUTES}
    for _ in range(240):
        dst = rnd.choice(DESTS)
        frames.append(probe(dst, rnd.choice([1, 1, 2, 64]), rnd.choice([20, 1300, 1452])))
        if covering(dst):
            want[covering(dst)] += 1
    # decided before any route: echoes to us, a transit frame to the
    # link-layer broadcast (l2_bcast_transit), a link-local destination
    frames += [Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US) / ICMP(),
               Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=US6) / ICMPv6EchoRequest(),
               probe("198.51.100.7", 1, 20, l2_dst="ff:ff:ff:ff:ff:ff"),
               probe("fe80::5", 1, 20)]
    rnd.shuffle(frames)
    r = run_replay(frames, config=text)
    got = {x["prefix"]: x for x in r.stats["routes"]}
    assert [x["prefix"] for x in r.stats["routes"]] == [p for p, _ in ROUTES], "the file's order"
    for prefix, action in ROUTES:
        assert got[prefix]["line"] == lines[prefix]
        assert got[prefix]["action"] == action
        assert got[prefix]["hits"] == want[prefix], (prefix, got[prefix], want[prefix])
    assert all(want.values()), "every route was hit"
    assert r.stats["dropped"]["l2_bcast_transit"] == 1
    assert r.stats["dropped"]["ip6_dst_link_local"] == 1
    assert r.stats["answers"]["echo_reply"] == 1


def test_a_file_without_routes_reports_none():
    r = run_replay([probe("198.51.100.7", 1, 20)], config=CONFIG6)
    assert r.stats["routes"] == []
    assert r.stats["answers"]["time_exceeded"] == 1
