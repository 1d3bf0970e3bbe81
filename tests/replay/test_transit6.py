"""IPv6 transit through icmpfp-replay (issue 11): the IPv6 routes of
[routes] in rte_lpm6, each route code, the order route -> hop limit -> MTU,
Packet Too Big for 1281..9000-byte packets, the 1280-byte quote byte for
byte, the RFC 4443 2.4(e) rules (Packet Too Big about a group *is* sent),
RFC 4884 / 5837 on ICMPv6, the rate limits under a flood with Packet Too Big
never starved. Captures made with scapy; every answer decoded, and its
ICMPv6 checksum verified, by scapy and by tshark."""
import struct

import pytest
from scapy.all import UDP, Ether, Raw
from scapy.layers.inet6 import (ICMPv6DestUnreach, ICMPv6EchoRequest, ICMPv6PacketTooBig,
                                ICMPv6TimeExceeded, IPv6, IPv6ExtHdrFragment,
                                IPv6ExtHdrHopByHop, HBHOptUnknown)
from scapy.utils import checksum

from ifp_harness import (CONFIG6, PEER6, PEER_LL, PEER_MAC, US6, US_LL, US_MAC,
                         assert_icmp6_checksum_good, run_replay,
                         tshark_icmp6_checksum_status)

ROUTES6 = CONFIG6 + """
[routes]
2001:db8:dead::/48 = unreachable net
2001:db8:1::/48 = unreachable host
2001:db8:2::/48 = unreachable policy
2001:db8:3::/48 = unreachable reject
2001:db8:4::/48 = prohibited
2001:db8:5::/48 = unreachable net-prohibited
2001:db8:6::/48 = unreachable host-prohibited
2001:db8:beef::/48 = mtu 1400
2001:db8:beef:1280::/64 = mtu 1280
2001:db8:cafe::/48 = drop
ff0e::/16 = mtu 1280
198.51.100.0/24 = unreachable host
"""

NOWHERE = "2001:db8:9999::1"  # no route: drop, but hop limit 1 earns 3/0


def udp6(dst, hlim=64, size=64, src=PEER6, mac=US_MAC):
    """A traceroute-style UDP probe of size bytes of IPv6 (header included)."""
    assert size >= 48
    return (Ether(dst=mac, src=PEER_MAC) / IPv6(src=src, dst=dst, hlim=hlim)
            / UDP(sport=40000, dport=33434) / Raw(b"p" * (size - 48)))


def checked(answers):
    for a in answers:
        assert_icmp6_checksum_good(a)
    assert tshark_icmp6_checksum_status(answers) == ["1"] * len(answers)
    return answers


def the_error(r, layer, code, dst=PEER6, src=US6):
    (a,) = checked(r.answers)
    assert a[Ether].dst == PEER_MAC and a[Ether].src == US_MAC
    assert a[IPv6].src == src, "from the port's address of the source's scope"
    assert a[IPv6].dst == dst and a[IPv6].hlim == 64 and a[IPv6].nh == 58
    assert a[IPv6].tc == 0 and a[IPv6].fl == 0
    assert isinstance(a[IPv6].payload, layer), a.summary()
    assert a[IPv6].payload.code == code
    return a


# --- routes ------------------------------------------------------------------

@pytest.mark.parametrize("dst,code", [
    ("2001:db8:dead::1", 0),   # no route to destination
    ("2001:db8:1::1", 3),      # address unreachable
    ("2001:db8:2::1", 5),      # source address failed ingress/egress policy
    ("2001:db8:3::1", 6),      # reject route to destination
    ("2001:db8:4::1", 1),      # communication administratively prohibited
    ("2001:db8:5::1", 1),
    ("2001:db8:6::1", 1),
])
def test_each_route_code_gives_its_destination_unreachable(dst, code):
    q = udp6(dst)
    r = run_replay([q], config=ROUTES6)
    a = the_error(r, ICMPv6DestUnreach, code)
    assert bytes(a[ICMPv6DestUnreach])[4:8] == bytes(4), "unused"
    assert bytes(a[ICMPv6DestUnreach].payload) == bytes(q[IPv6]), "the whole packet quoted"
    assert r.stats["answers"]["icmp6_unreachable_route"] == 1


def test_the_route_error_comes_before_the_hop_limit():
    for hlim in (0, 1):
        the_error(run_replay([udp6("2001:db8:1::7", hlim=hlim)], config=ROUTES6),
                  ICMPv6DestUnreach, 3)


def test_hop_limit_1_or_0_gets_time_exceeded_with_or_without_a_route():
    for dst in (NOWHERE, "2001:db8:cafe::1", "2001:db8:beef::1"):
        for hlim in (0, 1):
            q = udp6(dst, hlim=hlim, size=2000)
            r = run_replay([q], config=ROUTES6)
            a = the_error(r, ICMPv6TimeExceeded, 0)
            quoted = a[ICMPv6TimeExceeded].payload
            assert quoted.dst == dst and quoted.hlim == hlim
            assert r.stats["answers"]["icmp6_time_exceeded"] == 1


def test_transit_with_hops_left_is_dropped_as_transit():
    r = run_replay([udp6(NOWHERE, hlim=2), udp6("2001:db8:cafe::1"),
                    udp6("2001:db8:beef::1", size=1400)], config=ROUTES6)
    assert r.answers == [] and r.nonzero_drops() == {"transit": 3}


def test_an_ipv6_packet_never_matches_an_ipv4_route_nor_the_other_way():
    cfg = CONFIG6 + "[routes]\n0.0.0.0/0 = unreachable net\n::/0 = unreachable host\n"
    r = run_replay([udp6(NOWHERE)], config=cfg)
    the_error(r, ICMPv6DestUnreach, 3)
    cfg = CONFIG6 + "[routes]\n0.0.0.0/0 = unreachable net\n"
    r = run_replay([udp6(NOWHERE)], config=cfg)
    assert r.answers == [] and r.nonzero_drops() == {"transit": 1}


@pytest.mark.parametrize("default", ["unreachable net", "prohibited", "mtu 1280", "drop"])
def test_the_ipv6_default_route_is_an_ordinary_route(default):
    """::/0 (which rte_lpm6 cannot hold) matches what nothing longer does,
    with its own action; every more specific route still wins."""
    cfg = ROUTES6 + f"::/0 = {default}\n"
    r = run_replay([udp6(NOWHERE), udp6("2001:db8:1::1"), udp6("2001:db8:cafe::1", hlim=1),
                    udp6("2001:db8:9999::2", size=1300)], config=cfg)
    got = [(type(a[IPv6].payload).__name__, a[IPv6].payload.code,
            a[IPv6].payload.payload.dst) for a in checked(r.answers)]
    only_default = {
        "unreachable net": [("ICMPv6DestUnreach", 0, NOWHERE),
                            ("ICMPv6DestUnreach", 0, "2001:db8:9999::2")],
        "prohibited": [("ICMPv6DestUnreach", 1, NOWHERE),
                       ("ICMPv6DestUnreach", 1, "2001:db8:9999::2")],
        "mtu 1280": [("ICMPv6PacketTooBig", 0, "2001:db8:9999::2")],
        "drop": []}[default]
    more_specific = [("ICMPv6DestUnreach", 3, "2001:db8:1::1"),
                     ("ICMPv6TimeExceeded", 0, "2001:db8:cafe::1")]
    assert sorted(got) == sorted(only_default + more_specific), got
    assert r.stats["dropped"]["transit"] == 4 - len(got)


# --- Packet Too Big ----------------------------------------------------------

SIZES = [1281, 1399, 1400, 1401, 1500, 4000, 8000, 9000]


@pytest.mark.parametrize("mtu,dst", [(1280, "2001:db8:beef:1280::5"), (1400, "2001:db8:beef::5")])
def test_packet_too_big_carries_the_route_mtu_for_1281_to_9000_bytes(mtu, dst):
    pkts = [udp6(dst, size=n) for n in SIZES]
    r = run_replay(pkts, config=ROUTES6, step=0.01)
    bigger = [n for n in SIZES if n > mtu]
    assert len(r.answers) == len(bigger)
    assert r.stats["answers"]["icmp6_packet_too_big"] == len(bigger)
    assert r.stats["dropped"]["transit"] == len(SIZES) - len(bigger)
    for n, a in zip(bigger, checked(r.answers)):
        ptb = a[ICMPv6PacketTooBig]
        assert ptb.code == 0 and ptb.mtu == mtu
        assert a[IPv6].src == US6 and a[IPv6].dst == PEER6
        # RFC 4443 2.4(c): as much of the packet as fits in 1280 bytes
        assert len(bytes(a[IPv6])) == min(48 + n, 1280)
        assert a[IPv6].plen == min(8 + n, 1240)
        quoted = ptb.payload
        assert quoted.plen == n - 40 and quoted.dst == dst


def test_a_packet_of_exactly_the_mtu_passes():
    r = run_replay([udp6("2001:db8:beef::5", size=1400),
                    udp6("2001:db8:beef:1280::5", size=1280)], config=ROUTES6)
    assert r.answers == [] and r.nonzero_drops() == {"transit": 2}


def test_an_error_about_a_big_packet_quotes_1232_bytes_byte_for_byte():
    q = udp6(NOWHERE, hlim=1, size=3000)
    r = run_replay([q], config=ROUTES6)
    a = the_error(r, ICMPv6TimeExceeded, 0)
    assert len(bytes(a[IPv6])) == 1280 and a[IPv6].plen == 1240
    assert bytes(a[ICMPv6TimeExceeded])[8:] == bytes(q[IPv6])[:1232]
    # and the same for Packet Too Big
    q = udp6("2001:db8:beef::9", size=3000)
    a = checked(run_replay([q], config=ROUTES6).answers)[0]
    assert bytes(a[ICMPv6PacketTooBig])[8:] == bytes(q[IPv6])[:1232]


def test_packet_too_big_about_a_group_is_sent_and_nothing_else_is():
    """RFC 4443 2.4(e.3): the one error that may answer a packet to a
    group (multicast PMTU discovery, RFC 8201); every other outcome for a
    group is ip6_dst_multicast, and a group of link-local scope is never
    routed."""
    pkts = [udp6("ff0e::1:2", size=1500),             # Packet Too Big
            udp6("ff0e::1:2", size=1500, hlim=1),     # no Time Exceeded
            udp6("ff0e::1:2", size=200),              # fits: dropped
            udp6("ff05::2", size=1500, hlim=1),       # no route, hop limit 1
            udp6("ff02::99", size=1500)]              # link-local scope
    r = run_replay(pkts, config=ROUTES6 + "::/0 = unreachable net\n")
    (a,) = checked(r.answers)
    assert a[ICMPv6PacketTooBig].mtu == 1280 and a[IPv6].src == US6
    assert a[ICMPv6PacketTooBig].payload.dst == "ff0e::1:2"
    assert r.nonzero_drops() == {"ip6_dst_multicast": 4}


# --- never an error ------------------------------------------------------------

def frag6(dst, offset, hlim=1):
    return (Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=dst, hlim=hlim)
            / IPv6ExtHdrFragment(nh=17, offset=offset, m=1, id=7) / Raw(b"f" * 64))


@pytest.mark.parametrize("pkt,reason", [
    (lambda: Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=NOWHERE, hlim=1)
     / ICMPv6TimeExceeded() / IPv6(src=NOWHERE, dst=PEER6), "noerr_icmp_error"),
    (lambda: Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst="2001:db8:dead::1")
     / ICMPv6DestUnreach() / IPv6(src=NOWHERE, dst=PEER6), "noerr_icmp_error"),
    (lambda: Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst="2001:db8:beef::1")
     / IPv6ExtHdrHopByHop() / ICMPv6PacketTooBig(mtu=1280) / Raw(b"q" * 1500),
     "noerr_icmp_error"),
    (lambda: frag6(NOWHERE, offset=100), "noerr_fragment"),
    # only the offset's top bit set (32768 octets): still not the first
    (lambda: frag6(NOWHERE, offset=0x1000), "noerr_fragment"),
    (lambda: frag6("2001:db8:dead::1", offset=8, hlim=64), "noerr_fragment"),
    (lambda: udp6("ff0e::7", hlim=1), "ip6_dst_multicast"),
    (lambda: udp6(NOWHERE, hlim=1, mac="33:33:00:00:00:01"), "l2_bcast_transit"),
    (lambda: udp6("fe80::99", hlim=1), "ip6_dst_link_local"),
    (lambda: udp6(NOWHERE, hlim=1, src="::"), "noerr_source"),
])
def test_no_error_is_ever_sent_about_these(pkt, reason):
    r = run_replay([pkt()], config=ROUTES6)
    assert r.answers == [] and r.nonzero_drops() == {reason: 1}


def test_a_first_fragment_and_an_echo_in_transit_do_get_errors():
    r = run_replay([frag6(NOWHERE, offset=0)], config=ROUTES6)
    a = the_error(r, ICMPv6TimeExceeded, 0)
    assert IPv6ExtHdrFragment in a[ICMPv6TimeExceeded].payload
    q = (Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=NOWHERE, hlim=1)
         / ICMPv6EchoRequest(id=7, seq=1))
    the_error(run_replay([q], config=ROUTES6), ICMPv6TimeExceeded, 0)


def test_transit_headers_are_not_walked_an_unknown_option_still_gets_time_exceeded():
    q = (Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=NOWHERE, hlim=1)
         / IPv6ExtHdrHopByHop(options=[HBHOptUnknown(otype=0x85, optdata=b"\0\0\0\0")])
         / UDP(dport=33434))
    the_error(run_replay([q], config=ROUTES6), ICMPv6TimeExceeded, 0)


def test_an_error_to_a_link_local_source_comes_from_our_link_local():
    r = run_replay([udp6("2001:db8:dead::1", src=PEER_LL)], config=ROUTES6)
    the_error(r, ICMPv6DestUnreach, 0, dst=PEER_LL, src=US_LL)


# --- RFC 4884 / RFC 5837 ---------------------------------------------------------

def ext_checked(a, orig, layer):
    """The RFC 4884 layout of ICMPv6 error a about orig: the length in
    64-bit words in the first octet after the checksum, the packet padded
    to 128 bytes, the extension structure and its RFC 5837 object."""
    body = bytes(a[layer])
    assert body[4] == 128 // 8, "length: 128 octets in 64-bit words"
    assert body[5:8] == bytes(3)
    n = min(len(orig), 128)
    assert body[8:8 + n] == orig[:n]
    assert body[8 + n:8 + 128] == bytes(128 - n), "zero padded to 128"
    ext = body[8 + 128:]
    assert ext[0] >> 4 == 2 and ext[1] == 0 and checksum(ext) == 0, "version 2, checksum"
    olen, cls, ctype = struct.unpack("!HBB", ext[4:8])
    assert olen == len(ext) - 4 and cls == 2 and ctype == 0x0f, "incoming, all four"
    ifindex, afi = struct.unpack("!IH", ext[8:14])
    assert ifindex == 1 and afi == 2 and ext[14:16] == bytes(2)
    assert ext[16:32] == bytes(IPv6(src=US6))[8:24], "the error's source"
    nlen = ext[32]
    assert nlen % 4 == 0 and ext[33:32 + nlen].rstrip(b"\0") == b"replay0"
    assert struct.unpack("!I", ext[32 + nlen:36 + nlen]) == (1500,)
    assert len(ext) == 36 + nlen
    return body


def test_extensions_carry_the_rfc4884_length_in_64_bit_words_and_an_rfc5837_object():
    cfg = ROUTES6 + "[icmp6]\nextensions = on\n"
    short = udp6(NOWHERE, hlim=1, size=60)
    long_ = udp6("2001:db8:1::1", size=1000)
    r = run_replay([short, long_], config=cfg)
    te, du = checked(r.answers)
    ext_checked(te, bytes(short[IPv6]), ICMPv6TimeExceeded)
    ext_checked(du, bytes(long_[IPv6]), ICMPv6DestUnreach)
    assert du[ICMPv6DestUnreach].code == 3


def test_packet_too_big_carries_no_extension():
    cfg = ROUTES6 + "[icmp6]\nextensions = on\n"
    q = udp6("2001:db8:beef::1", size=1500)
    (a,) = checked(run_replay([q], config=cfg).answers)
    assert a[ICMPv6PacketTooBig].mtu == 1400
    assert len(bytes(a[IPv6])) == 1280, "the plain 1280-byte quote"


# --- rate limits ------------------------------------------------------------------

def of_type(r, layer):
    return [a for a in r.answers if layer in a]


def test_a_hop_limit_1_flood_from_one_64_is_limited_per_source():
    pkts = [udp6(NOWHERE, hlim=1, src=f"{PEER6[:-1]}{i % 7 + 2:x}") for i in range(10000)]
    r = run_replay(pkts, config=ROUTES6, step=1.0 / 10000)
    te = of_type(r, ICMPv6TimeExceeded)
    assert 0 < len(te) <= 100 + 5
    assert r.stats["ratelimited"] == 10000 - len(te)
    assert r.stats["ratelimited_by"]["icmp6_time_exceeded"] == 10000 - len(te)


def test_a_hop_limit_1_flood_from_many_64s_is_limited_globally():
    pkts = [udp6(NOWHERE, hlim=1, src=f"2001:db8:{i >> 16:x}:{i & 0xffff:x}::1")
            for i in range(1, 10001)]
    r = run_replay(pkts, config=ROUTES6, step=1.0 / 10000)
    te = of_type(r, ICMPv6TimeExceeded)
    assert 1000 <= len(te) <= 1000 + 50


def test_packet_too_big_is_not_starved_by_other_errors_of_the_same_source():
    pkts = ([udp6(NOWHERE, hlim=1) for _ in range(200)]
            + [udp6("2001:db8:dead::1") for _ in range(200)]
            + [udp6("2001:db8:beef::1", size=1500)] * 3)
    r = run_replay(pkts, config=ROUTES6, step=0.0)
    assert len(of_type(r, ICMPv6TimeExceeded)) + len(of_type(r, ICMPv6DestUnreach)) == 5
    ptb = of_type(r, ICMPv6PacketTooBig)
    assert len(ptb) == 3 and ptb[0][ICMPv6PacketTooBig].mtu == 1400
    # its own bucket is a per-source one like the others: a flood of
    # Packet Too Big is limited too
    r = run_replay([udp6("2001:db8:beef::1", size=1500)] * 1000, config=ROUTES6,
                   step=1.0 / 1000)
    assert 0 < len(r.answers) <= 100 + 5
