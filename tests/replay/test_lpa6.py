"""IPv6 routes that follow a modem's Link Property Advertisements, through
icmpfp-replay (issue 12's IPv6 half, with issue 11's IPv6 transit): a
`prefix = modem ID` route on an IPv6 prefix answers 1/0 while the modem is
down, silent past hold or never heard; while it is up, hop limit 1 gets
3/0 and a packet longer than max(the modem's MTU, 1280) Packet Too Big with
that MTU; the hold timer runs on the capture's clock. The modem is heard
over IPv4 or IPv6 alike. LPAs are made by scripts/icmpfp-lpa.py's encoder,
answers decoded by scapy and their ICMPv6 checksums checked by scapy and
tshark."""
from scapy.all import UDP, Ether, Raw
from scapy.layers.inet6 import (ICMPv6DestUnreach, ICMPv6PacketTooBig, ICMPv6TimeExceeded,
                                IPv6)

from ifp_harness import (CONFIG6, PEER6, PEER_LL, PEER_MAC, US6, US_MAC,
                         assert_icmp6_checksum_good, at, run_replay,
                         tshark_icmp6_checksum_status)
from ifp_lpa import lpa, modem

SAT6 = "2001:db8:5a7::1"  # behind the satellite modem, 2001:db8:5a7::/48
LISTEN6 = CONFIG6 + """
[routes]
2001:db8:5a7::/48 = modem 7
10.20.0.0/16 = modem 7
[lpa]
listen = on
hold = 3
"""


def probe6(t, hlim=64, size=100, dst=SAT6):
    """A traceroute-style UDP probe of size bytes of IPv6 towards the
    modem's prefix."""
    return at(Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=dst, hlim=hlim)
              / UDP(sport=40000, dport=33434) / Raw(b"p" * (size - 48)), t)


def lpa6(payload, t, src=PEER_LL):
    """An LPA over IPv6 to ff02::2."""
    return at(Ether(bytes(Ether(dst="33:33:00:00:00:02", src=PEER_MAC)
                          / IPv6(src=src, dst="ff02::2", hlim=1)
                          / UDP(sport=7575, dport=7575) / Raw(payload))), t)


NAMES = {ICMPv6DestUnreach: "1", ICMPv6TimeExceeded: "3", ICMPv6PacketTooBig: "2"}


def kinds(r):
    """(time, type/code, MTU) of each answer, all checked."""
    out = []
    for a in r.answers:
        assert a[IPv6].src == US6 and a[IPv6].dst == PEER6 and a[Ether].dst == PEER_MAC
        assert_icmp6_checksum_good(a)
        layer = type(a[IPv6].payload)
        mtu = a[ICMPv6PacketTooBig].mtu if layer is ICMPv6PacketTooBig else None
        out.append((round(float(a.time), 3), f"{NAMES[layer]}/{a[IPv6].payload.code}", mtu))
    if r.answers:
        assert tshark_icmp6_checksum_status(r.answers) == ["1"] * len(r.answers)
    return out


def test_an_ipv6_route_follows_its_modem_up_down_and_silent_on_the_capture_clock():
    frames = [
        probe6(1000.0),                             # never heard: 1/0
        at(lpa(modem(7, mtu=1400)), 1001.0),        # up, MTU 1400 (heard over IPv4)
        probe6(1002.0, hlim=1),                     # 3/0
        probe6(1002.1, size=1500),                  # 2/0, MTU 1400
        probe6(1002.2, size=1400),                  # fits: transit
        at(lpa(modem(7, up=False, mtu=1400)), 1003.0),  # down
        probe6(1003.5, hlim=1),                     # 1/0, before the hop limit
        probe6(1003.6, size=1500),                  # 1/0
        at(lpa(modem(7, mtu=1400)), 1004.0),        # up again
        probe6(1006.9, hlim=1),                     # 2.9 s of silence: 3/0
        probe6(1007.0, hlim=1),                     # 3 s: silent, 1/0
        probe6(1009.0, size=1500),                  # still silent: 1/0
        lpa6(modem(7, mtu=9000), 1010.0),           # heard again, over IPv6
        probe6(1010.5, size=8000),                  # fits now: transit
        probe6(1010.6, size=9000),                  # exactly the MTU: transit
    ]
    r = run_replay(frames, config=LISTEN6)
    assert kinds(r) == [
        (1000.0, "1/0", None),
        (1002.0, "3/0", None),
        (1002.1, "2/0", 1400),
        (1003.5, "1/0", None),
        (1003.6, "1/0", None),
        (1006.9, "3/0", None),
        (1007.0, "1/0", None),
        (1009.0, "1/0", None),
    ]
    assert r.stats["answers"]["icmp6_unreachable_modem"] == 5
    assert r.stats["answers"]["icmp6_time_exceeded"] == 2
    assert r.stats["answers"]["icmp6_packet_too_big"] == 1
    # the IPv4 kinds are the IPv4 routes'
    assert r.stats["answers"]["unreachable_modem"] == 0
    assert r.nonzero_drops() == {"lpa_heard": 4, "transit": 3}
    modems = sorted((m["source"], m["state"]) for m in r.stats["lpa"]["modems"])
    assert modems == [("192.0.2.50", "silent"), (PEER_LL, "up")]


def test_a_modem_mtu_below_1280_is_1280_for_ipv6_and_none_is_none():
    """RFC 8200 5: a link that cannot carry 1280 octets fragments below
    IPv6, so IPv6 sees 1280; a modem that gives no MTU (0) says nothing, and
    earns no Packet Too Big at all. The same modem's IPv4 route uses its
    MTU as it is."""
    from scapy.all import ICMP, IP
    frames = [
        at(lpa(modem(7, mtu=1200)), 1.0),
        probe6(2.0, size=1281),                     # 2/0 with 1280
        probe6(2.1, size=1280),                     # fits
        at(Ether(dst=US_MAC, src=PEER_MAC) / IP(src="192.0.2.2", dst="10.20.1.1", flags="DF")
           / UDP(dport=33434) / Raw(b"x" * 1250), 2.2),   # 3/4 with 1200
        at(lpa(modem(7, mtu=0)), 3.0),
        probe6(4.0, size=9000),                     # no MTU given: transit
    ]
    r = run_replay(frames, config=LISTEN6)
    six = [a for a in r.answers if IPv6 in a]
    four = [a for a in r.answers if ICMP in a]
    assert [(a[ICMPv6PacketTooBig].mtu, round(float(a.time), 1)) for a in six] == [(1280, 2.0)]
    assert [(a[ICMP].type, a[ICMP].code, a[ICMP].nexthopmtu) for a in four] == [(3, 4, 1200)]
    assert r.nonzero_drops() == {"lpa_heard": 2, "transit": 2}


def test_hold_is_the_configured_number_of_seconds_for_ipv6_routes_too():
    cfg = LISTEN6.replace("hold = 3", "hold = 10")
    r = run_replay([lpa6(modem(7), 100.0), probe6(109.9, hlim=1), probe6(110.0, hlim=1)],
                   config=cfg)
    assert [k for _, k, _ in kinds(r)] == ["3/0", "1/0"]


def test_a_group_behind_a_modem_earns_only_packet_too_big():
    cfg = LISTEN6.replace("2001:db8:5a7::/48 = modem 7", "ff0e::/16 = modem 7")
    frames = [probe6(1.0, dst="ff0e::5", size=1500),           # down: nothing
              at(lpa(modem(7, mtu=1400)), 2.0),
              probe6(3.0, dst="ff0e::5", size=1500),           # 2/0, 1400
              probe6(3.1, dst="ff0e::5", hlim=1)]              # nothing
    r = run_replay(frames, config=cfg)
    assert [(k, m) for _, k, m in kinds(r)] == [("2/0", 1400)]
    assert r.nonzero_drops() == {"lpa_heard": 1, "ip6_dst_multicast": 2}
