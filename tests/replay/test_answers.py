"""Replay tests of issue 3: every rule of the design's "What a packet gets"
beyond echo and ARP. Captures made with scapy; answers decoded and their
checksums verified by scapy, never by icmpfp's own code."""
import os
import struct

import pytest
from scapy.all import (ICMP, IP, TCP, UDP, Ether, IPOption_LSRR, IPOption_RR,
                       IPOption_SSRR, IPOption_Timestamp, Raw, defragment, fragment)
from scapy.utils import checksum

from ifp_harness import (BASE_CONFIG, PEER, PEER_MAC, US, US2, US_MAC, assert_checksums_good,
                         at, echo, run_replay)

ROUTES = BASE_CONFIG + """
[routes]
198.51.100.0/24 = unreachable host
198.51.101.0/24 = unreachable net
198.51.102.0/24 = unreachable net-prohibited
198.51.103.0/24 = unreachable host-prohibited
192.0.2.128/25 = prohibited
203.0.113.0/24 = mtu 1400
10.0.0.0/8 = drop
"""

# 2026-11-21 12:00:01.234 UT
NOON = 1795262401.234
NOON_MS = (12 * 3600 + 1) * 1000 + 234


def udp(dst, ttl=64, size=20, **ip):
    return (Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=dst, ttl=ttl, **ip)
            / UDP(sport=40000, dport=33434) / Raw(b"p" * size))


def the_error(r, type_, code):
    (a,) = r.answers
    assert a[ICMP].type == type_ and a[ICMP].code == code, a.summary()
    assert a[Ether].dst == PEER_MAC and a[Ether].src == US_MAC
    assert a[IP].src == US, "errors come from the port's first address"
    assert a[IP].dst == PEER and a[IP].ttl == 64 and a[IP].proto == 1
    assert_checksums_good(a)
    return a


# --- local answers -----------------------------------------------------

def test_timestamp_reply_reads_the_capture_clock():
    q = at(Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US)
           / ICMP(type=13, id=9, seq=10, ts_ori=1234, ts_rx=0, ts_tx=0), NOON)
    r = run_replay([q])
    (a,) = r.answers
    assert a[ICMP].type == 14 and a[ICMP].code == 0
    assert (a[ICMP].id, a[ICMP].seq) == (9, 10)
    assert a[ICMP].ts_ori == 1234
    assert a[ICMP].ts_rx == NOON_MS and a[ICMP].ts_tx == NOON_MS
    assert a[IP].src == US and a[IP].dst == PEER
    assert_checksums_good(a)
    assert r.stats["answers"]["timestamp_reply"] == 1


def short_icmp(type_, n):
    """An ICMP message of type_ cut to n bytes, its checksum fixed."""
    raw = bytes(ICMP(type=type_, id=7, seq=8) / Raw(b"\x00" * 12))[:n]
    return Raw(raw[:2] + struct.pack("!H", checksum(raw[:2] + b"\0\0" + raw[4:])) + raw[4:])


@pytest.mark.parametrize("seg", [0, 44])
def test_requests_longer_than_their_type_get_the_standard_reply(seg):
    """RFC 1122 1.2.2: a timestamp request of 20 bytes or more and an address
    mask request of 12 or more are answered, with the standard 20- and
    12-byte replies (a mask request of 16 bytes was dropped as icmp_length)."""
    ts = at(Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US)
            / ICMP(type=13, id=9, seq=10, ts_ori=1234) / Raw(b"tail"), NOON)
    mask = (Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US2) / ICMP(type=17, id=1, seq=2)
            / Raw(b"\0" * 4))
    assert len(mask[ICMP]) == 16
    extra = ("--segment", str(seg)) if seg else ()
    r = run_replay([ts, mask], config=BASE_CONFIG + "[icmp]\naddress_mask = on\n", extra=extra)
    a, b = r.answers
    assert a[ICMP].type == 14 and a[IP].len == 20 + 20 and len(a) == 14 + 40
    assert a[ICMP].ts_ori == 1234 and a[ICMP].ts_rx == NOON_MS and Raw not in a
    assert b[ICMP].type == 18 and b[IP].len == 20 + 12 and b[ICMP].addr_mask == "255.255.255.0"
    for x in (a, b):
        assert_checksums_good(x)
    assert r.stats["answers"]["timestamp_reply"] == 1
    assert r.stats["answers"]["address_mask_reply"] == 1


def test_timestamp_or_mask_too_short_or_turned_off_is_dropped():
    short = [Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US, proto=1) / short_icmp(13, 19),
             Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US, proto=1) / short_icmp(17, 11)]
    r = run_replay(short, config=BASE_CONFIG + "[icmp]\naddress_mask = on\n")
    assert r.answers == [] and r.nonzero_drops() == {"icmp_length": 2}
    ts = Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US) / ICMP(type=13)
    r = run_replay([ts], config=BASE_CONFIG + "[icmp]\ntimestamp = off\n")
    assert r.nonzero_drops() == {"icmp_disabled": 1}


def test_address_mask_reply_only_when_enabled():
    q = Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US2) / ICMP(type=17, id=1, seq=2, addr_mask="0.0.0.0")
    assert run_replay([q]).nonzero_drops() == {"icmp_disabled": 1}
    r = run_replay([q], config=BASE_CONFIG + "[icmp]\naddress_mask = on\n")
    (a,) = r.answers
    assert a[ICMP].type == 18 and a[ICMP].addr_mask == "255.255.255.0"
    assert a[IP].src == US2
    assert_checksums_good(a)


def probe_req(ctype, payload, local=1, version=2):
    obj = struct.pack("!HBB", 4 + len(payload), 3, ctype) + payload
    ext = bytes([version << 4, 0, 0, 0]) + obj
    ext = ext[:2] + struct.pack("!H", checksum(ext)) + ext[4:]
    hdr = bytes([42, 0, 0, 0, 0x12, 0x34, 7, local])
    msg = hdr[:2] + struct.pack("!H", checksum(hdr + ext)) + hdr[4:] + ext
    return Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US, proto=1) / Raw(msg)


PROBE_ON = BASE_CONFIG + "[icmp]\nextended_echo = on\n"


@pytest.mark.parametrize("req,code,bits", [
    (probe_req(1, b"replay0\x00"), 0, 0x06),             # by name: active, IPv4
    (probe_req(2, struct.pack("!I", 1)), 0, 0x06),      # by ifIndex (port 0 + 1)
    (probe_req(3, bytes([0, 1, 4, 0, 192, 0, 2, 9])), 0, 0x06),  # by address
    (probe_req(2, struct.pack("!I", 9)), 2, 0),          # no such interface
    (probe_req(1, b"eth7\x00\x00\x00\x00"), 2, 0),
    (probe_req(3, bytes([0, 2, 16, 0]) + bytes(16)), 2, 0),  # IPv6: none here
    (probe_req(2, struct.pack("!I", 1), local=0), 3, 0),  # proxy: no table entry
    (probe_req(2, struct.pack("!I", 1), version=1), 1, 0),  # malformed
    (probe_req(9, b"\x00\x00\x00\x00"), 1, 0),           # unknown C-Type
])
def test_extended_echo_answers_rfc8335_codes_and_bits(req, code, bits):
    r = run_replay([req], config=PROBE_ON)
    (a,) = r.answers
    body = bytes(a[IP].payload)
    assert body[0] == 43 and body[1] == code
    assert body[4:6] == b"\x12\x34" and body[6] == 7, "identifier and sequence kept"
    assert body[7] == bits
    assert checksum(body) == 0
    assert a[IP].src == US


def test_extended_echo_is_off_by_default():
    r = run_replay([probe_req(2, struct.pack("!I", 1))])
    assert r.nonzero_drops() == {"icmp_disabled": 1}


def test_udp_to_us_gets_port_unreachable_other_protocols_protocol_unreachable():
    r = run_replay([udp(US2)])
    a = the_error(r, 3, 3)
    assert a[IP].src == US  # P's first address, though US2 was addressed
    q = Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US, proto=47) / Raw(b"gre!" * 5)
    the_error(run_replay([q]), 3, 2)
    tcp = Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US) / TCP(dport=22)
    assert run_replay([tcp]).nonzero_drops() == {"tcp": 1}


# --- transit -----------------------------------------------------------

@pytest.mark.parametrize("dst,code", [
    ("198.51.100.1", 1), ("198.51.101.1", 0), ("198.51.102.1", 9),
    ("198.51.103.1", 10), ("192.0.2.200", 13),
])
def test_route_actions_give_destination_unreachable_with_their_code(dst, code):
    r = run_replay([udp(dst)], config=ROUTES)
    a = the_error(r, 3, code)
    assert a[ICMP].payload.dst == dst  # the quote is the original datagram
    assert r.stats["answers"]["unreachable_route"] == 1


def test_the_route_error_comes_before_time_exceeded():
    the_error(run_replay([udp("198.51.100.1", ttl=1)], config=ROUTES), 3, 1)


def test_ttl_1_gets_time_exceeded_with_or_without_a_route():
    for dst in ("10.1.2.3", "100.64.0.1"):
        a = the_error(run_replay([udp(dst, ttl=1)], config=ROUTES), 11, 0)
        quoted = a[ICMP].payload
        assert quoted.dst == dst and quoted.ttl == 1
    r = run_replay([udp("10.1.2.3", ttl=0)], config=ROUTES)
    the_error(r, 11, 0)


def test_transit_with_ttl_left_is_dropped_as_transit():
    r = run_replay([udp("10.1.2.3", ttl=2), udp("100.64.0.1", ttl=64)], config=ROUTES)
    assert r.answers == [] and r.nonzero_drops() == {"transit": 2}


@pytest.mark.parametrize("default", ["unreachable net", "prohibited", "mtu 576", "drop"])
def test_the_default_route_is_an_ordinary_route(default):
    """0.0.0.0/0 (which rte_lpm cannot hold) matches what nothing longer
    does, with its own action; every more specific route still wins."""
    cfg = ROUTES + f"0.0.0.0/0 = {default}\n"
    r = run_replay([udp("100.64.0.1"), udp("198.51.100.1"), udp("203.0.113.9", ttl=1),
                    udp("100.64.0.2", size=600, flags="DF")], config=cfg)
    got = [(a[ICMP].type, a[ICMP].code, a[ICMP].payload.dst) for a in r.answers]
    only_default = {"unreachable net": [(3, 0, "100.64.0.1"), (3, 0, "100.64.0.2")],
                    "prohibited": [(3, 13, "100.64.0.1"), (3, 13, "100.64.0.2")],
                    "mtu 576": [(3, 4, "100.64.0.2")],
                    "drop": []}[default]
    more_specific = [(3, 1, "198.51.100.1"), (11, 0, "203.0.113.9")]
    assert sorted(got) == sorted(only_default + more_specific), got
    if default == "mtu 576":
        (fn,) = [a for a in r.answers if a[ICMP].code == 4]
        assert fn[ICMP].nexthopmtu == 576
    for a in r.answers:
        assert_checksums_good(a)
    assert r.stats["dropped"]["transit"] == 4 - len(got)


def test_frag_needed_carries_the_next_hop_mtu():
    big = udp("203.0.113.5", size=1472, flags="DF")
    a = the_error(run_replay([big], config=ROUTES), 3, 4)
    assert a[ICMP].nexthopmtu == 1400
    assert bytes(a[ICMP])[4:6] == b"\x00\x00", "unused"
    # without DF, or small enough, it is just transit
    r = run_replay([udp("203.0.113.5", size=1472), udp("203.0.113.5", size=1372, flags="DF")],
                   config=ROUTES)
    assert r.answers == [] and r.nonzero_drops() == {"transit": 2}
    # exactly M is fine
    r = run_replay([udp("203.0.113.5", size=1400 - 28, flags="DF")], config=ROUTES)
    assert r.answers == []


def test_an_error_about_a_1200_byte_datagram_is_exactly_576_bytes_of_ip():
    q = udp("10.9.9.9", ttl=1, size=1200 - 28)
    r = run_replay([q], config=ROUTES)
    a = the_error(r, 11, 0)
    assert a[IP].len == 576 and len(bytes(a[IP])) == 576
    assert bytes(a[ICMP].payload) == bytes(Ether(bytes(q))[IP])[:576 - 28], "quoted byte for byte"


# --- never answer with an error -----------------------------------------

@pytest.mark.parametrize("pkt,reason", [
    (lambda: Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst="10.1.1.1", ttl=1) / ICMP(type=11), "noerr_icmp_error"),
    (lambda: Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst="10.1.1.1", ttl=1) / ICMP(type=3, code=3), "noerr_icmp_error"),
    (lambda: Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst="10.1.1.1", ttl=1, frag=100) / Raw(b"x" * 20), "noerr_fragment"),
    (lambda: Ether(dst="ff:ff:ff:ff:ff:ff", src=PEER_MAC) / IP(src=PEER, dst="10.1.1.1", ttl=1) / UDP(), "l2_bcast_transit"),
    (lambda: Ether(dst=US_MAC, src=PEER_MAC) / IP(src="192.0.2.255", dst="10.1.1.1", ttl=1) / UDP(), "noerr_source"),
    (lambda: Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst="192.0.2.255") / UDP(), "ip_dst_broadcast"),
    (lambda: Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst="239.1.1.1", ttl=1) / UDP(), "ip_dst_multicast"),
    (lambda: Ether(dst="ff:ff:ff:ff:ff:ff", src=PEER_MAC) / IP(src=PEER, dst=US) / UDP(), "noerr_broadcast"),
    (lambda: Ether(dst=US_MAC, src=PEER_MAC) / IP(src="127.0.0.1", dst="10.1.1.1", ttl=1) / UDP(), "ip_martian_src"),
])
def test_no_error_is_ever_sent_about_these(pkt, reason):
    r = run_replay([pkt()], config=ROUTES)
    assert r.answers == [] and r.nonzero_drops() == {reason: 1}


def test_echo_in_transit_with_ttl_1_does_get_time_exceeded():
    q = Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst="10.1.1.1", ttl=1) / ICMP(type=8)
    the_error(run_replay([q], config=ROUTES), 11, 0)


# --- RFC 4884 / RFC 5837 ------------------------------------------------

def test_extensions_carry_rfc4884_length_padding_and_an_rfc5837_object():
    cfg = ROUTES + "[icmp]\nextensions = on\n"
    q = udp("10.1.1.1", ttl=1, size=12)
    a = the_error(run_replay([q], config=cfg), 11, 0)
    body = bytes(a[IP].payload)
    orig = bytes(Ether(bytes(q))[IP])
    assert body[5] == 32, "length: 128 octets in 32-bit words"
    assert body[8:8 + len(orig)] == orig
    assert body[8 + len(orig):8 + 128] == bytes(128 - len(orig)), "zero padded to 128"
    ext = body[8 + 128:]
    assert ext[0] >> 4 == 2 and checksum(ext) == 0, "extension header: version 2, checksum"
    olen, cls, ctype = struct.unpack("!HBB", ext[4:8])
    assert olen == len(ext) - 4 and cls == 2 and ctype == 0x0f
    ifindex, afi = struct.unpack("!IH", ext[8:14])
    assert ifindex == 1 and afi == 1 and ext[16:20] == bytes([192, 0, 2, 1])
    nlen = ext[20]
    assert ext[21:21 + nlen - 1].rstrip(b"\0") == b"replay0" and nlen % 4 == 0
    assert struct.unpack("!I", ext[20 + nlen:24 + nlen]) == (1500,)
    assert a[IP].len == 20 + len(body) <= 576


def test_extensions_on_frag_needed_and_unreachable_keep_their_fields():
    cfg = ROUTES + "[icmp]\nextensions = on\n"
    a = the_error(run_replay([udp("203.0.113.5", size=1472, flags="DF")], config=cfg), 3, 4)
    body = bytes(a[IP].payload)
    assert body[5] == 32 and struct.unpack("!H", body[6:8]) == (1400,)
    a = the_error(run_replay([udp("198.51.100.9")], config=cfg), 3, 1)
    assert bytes(a[IP].payload)[5] == 32


# --- IP options ---------------------------------------------------------

def test_record_route_is_updated_in_the_echo_reply():
    q = echo(options=[IPOption_RR(routers=["0.0.0.0"] * 4, pointer=4)])
    (a,) = run_replay([q]).answers
    rr = a[IP].options[0]
    assert rr.option == 7 and rr.pointer == 8 and rr.routers[0] == US
    assert a[ICMP].type == 0
    assert_checksums_good(a)


@pytest.mark.parametrize("opt,recorded", [
    (bytes([7, 3, 4, 0]), False),                 # no room at all: left as it is
    (bytes([7, 7, 4, 0, 0, 0, 0, 0]), True),      # room for exactly one address
    (bytes([7, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 0]), False),  # full: left as it is
])
def test_record_route_at_its_edges_is_recorded_only_where_an_address_fits(opt, recorded):
    q = Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US, options=opt) / ICMP()
    (a,) = run_replay([q]).answers
    assert a[ICMP].type == 0
    raw = bytes(a[IP])[20:a[IP].ihl * 4]
    if recorded:
        assert raw[2] == 8 and raw[3:7] == bytes(map(int, US.split(".")))
    else:
        assert raw == opt
    assert_checksums_good(a)


def test_a_record_route_pointer_short_of_an_address_earns_parameter_problem_at_it():
    # pointer 6 of length 8: 3 octets left, an address needs 4
    q = Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US,
                                             options=bytes([7, 8, 6, 0, 0, 0, 0, 0])) / ICMP()
    a = the_error(run_replay([q]), 12, 0)
    assert a[ICMP].ptr == 22, "the pointer octet of the option at 20"


def test_timestamp_option_is_stamped_with_the_capture_clock():
    q = at(echo(options=[IPOption_Timestamp(flg=0, pointer=5, timestamp=[0, 0])]), NOON)
    (a,) = run_replay([q]).answers
    raw = bytes(a[IP])[20:a[IP].ihl * 4]
    assert raw[0] == 68 and raw[2] == 9
    assert struct.unpack("!I", raw[4:8]) == (NOON_MS,)
    assert_checksums_good(a)


@pytest.mark.parametrize("addr,stamped", [(US, True), ("198.51.100.7", False)])
def test_a_prespecified_timestamp_is_stamped_only_where_our_address_is_next(addr, stamped):
    """RFC 791 flag 3: the sender names who stamps."""
    a4 = bytes(map(int, addr.split(".")))
    opt = bytes([68, 12, 5, 3]) + a4 + bytes(4)
    q = at(Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US, options=opt) / ICMP(), NOON)
    (a,) = run_replay([q]).answers
    raw = bytes(a[IP])[20:a[IP].ihl * 4]
    if stamped:
        assert raw[:8] == bytes([68, 12, 13, 3]) + a4
        assert struct.unpack("!I", raw[8:12]) == (NOON_MS,)
    else:
        assert raw == opt
    assert_checksums_good(a)


@pytest.mark.parametrize("opt", [IPOption_LSRR(routers=[US2]), IPOption_SSRR(routers=[US2])])
def test_source_routed_datagrams_are_dropped(opt):
    r = run_replay([echo(options=[opt])])
    assert r.answers == [] and r.nonzero_drops() == {"ip_source_route": 1}


def test_a_malformed_option_earns_parameter_problem_at_the_octet():
    q = echo(options=[IPOption_RR(routers=["0.0.0.0"] * 2, pointer=2)])
    a = the_error(run_replay([q]), 12, 0)
    assert a[ICMP].ptr == 22, "the pointer octet of the option at 20"
    bad_len = Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US, ihl=7, options=b"\x07\x30\x04\x00\x00\x00\x00\x00") / ICMP()
    a = the_error(run_replay([bad_len]), 12, 0)
    assert a[ICMP].ptr == 21


# --- fragments ----------------------------------------------------------

def frags(size=4000, mtu=1500, ident=77, **kw):
    p = IP(src=PEER, dst=US, id=ident, **kw) / ICMP(id=3, seq=4) / Raw(os.urandom(size))
    return p, [Ether(dst=US_MAC, src=PEER_MAC) / f for f in fragment(p, mtu - 20)]


def test_a_fragmented_echo_is_reassembled_and_its_reply_leaves_in_fragments():
    p, fs = frags()
    r = run_replay(fs)
    assert r.stats["answers"]["echo_reply"] == 1 and r.stats["answered"] == 1
    assert r.dropped("ip_frag_reasm") == len(fs) - 1
    assert len(r.answers) == 3
    for f in r.answers:
        assert len(f[IP]) <= 1500 and f[IP].src == US
        assert_checksums_good(f)
    whole = defragment([f[IP] for f in r.answers])[0]
    whole = IP(bytes(whole))
    assert whole[ICMP].type == 0 and bytes(whole[ICMP].payload) == bytes(p[ICMP].payload)
    assert checksum(bytes(whole[ICMP])) == 0


def test_fragments_in_any_order_and_one_burst_reassemble():
    p, fs = frags(size=3000)
    fs = list(reversed(fs))
    for f in fs:
        f._ifp_time = 50.0  # one instant: one burst
    r = run_replay(fs)
    assert r.stats["answers"]["echo_reply"] == 1


def test_reassembly_off_drops_fragments_by_name():
    _, fs = frags()
    r = run_replay(fs, config=BASE_CONFIG + "[icmp]\nreassembly = off\n")
    assert r.answers == [] and r.nonzero_drops() == {"ip_fragment": len(fs)}


def test_fragments_that_never_complete_are_counted_and_freed():
    fs = []
    for i in range(300):  # more datagrams than the table holds
        _, f = frags(size=3000, ident=i)
        fs.append(f[0])
    r = run_replay(fs)  # replay exits non-zero on any leaked mbuf
    assert r.answers == [] and r.nonzero_drops() == {"ip_frag_reasm": 300}


def test_overlapping_and_duplicate_fragments_do_not_crash_or_leak():
    _, fs = frags(size=3000)
    evil = [fs[0], fs[0], fs[1]]
    o = fs[1].copy()
    o[IP].frag -= 10
    del o[IP].chksum
    evil += [o, fs[-1], fs[-1]]
    r = run_replay(evil)
    assert r.stats["rx"] == len(evil)


def test_a_reply_to_a_small_fragmented_datagram_needs_no_fragments():
    p, fs = frags(size=1000, mtu=576)
    r = run_replay(fs)
    (a,) = r.answers
    assert a[ICMP].type == 0 and bytes(a[ICMP].payload) == bytes(p[ICMP].payload)
    assert_checksums_good(a)


def test_udp_reassembled_gets_port_unreachable_quoting_the_whole_header():
    p = IP(src=PEER, dst=US, id=5) / UDP(sport=1, dport=2) / Raw(os.urandom(3000))
    fs = [Ether(dst=US_MAC, src=PEER_MAC) / f for f in fragment(p, 1480)]
    a = the_error(run_replay(fs), 3, 3)
    assert a[IP].len == 576
    quoted = a[ICMP].payload
    assert quoted.len == len(p) and quoted.frag == 0


def test_a_config_with_only_a_default_route_loads_and_a_bad_route_names_its_line():
    r = run_replay([udp("100.64.0.1")], config=BASE_CONFIG + "[routes]\n0.0.0.0/0 = unreachable host\n")
    the_error(r, 3, 1)
    r = run_replay([udp("100.64.0.1")], expect_rc=1,
                   config=BASE_CONFIG + "[routes]\n0.0.0.0/0 = drop\n0.0.0.0/1 = mtu 9\n")
    assert r.stderr.strip().endswith("icmpfp.ini:7: mtu '9' must be 68 to 65535"), r.stderr
