"""The catalog and rate-limit replays that involve ICMP errors, IP options
and reassembly. They expect the design's behaviour (../shared/design.md):
- malformed IP options earn Parameter Problem (12/0) with the pointer at the
  offending octet; source-route options are dropped as ip_source_route;
- with reassembly on, fragments with overlapping or out-of-range offsets,
  and fragments that never complete, get no answer, are counted under
  fragment reasons of their own (the names are not fixed yet: any reason
  starting with FRAG_REASON_PREFIX), and leave no mbuf behind;
- the error rate limits of issue 5 on capture time: 10,000 TTL-1 probes
  from one source in 1 s get at most per_source_per_sec + per_source_burst
  Time Exceeded, from 10,000 sources at most errors_per_sec + errors_burst;
  a traceroute's three probes are all answered; echo is unaffected; Frag
  Needed is not starved by the Time Exceeded of the same source;
- an error is at most 576 bytes of IP and amplifies only tiny datagrams
  (README, "Hostile traffic").
"""
import pytest
from scapy.all import ICMP, IP, Raw

from ifp_frames import echo_frame, eth, icmp, ipv4
from ifp_harness import BASE_CONFIG, PEER, US, assert_checksums_good, run_replay


FRAG_REASON_PREFIX = "ip_frag"
TRANSIT = "198.18.0.1"  # no route: TTL 1 earns Time Exceeded
MTU_ROUTES = "[routes]\n203.0.113.0/24 = mtu 1400\n"


def frames(raw):
    return [Raw(load=f) for f in raw]


def only_icmp(r, type_):
    return [a for a in r.answers if ICMP in a and a[ICMP].type == type_]


def assert_parameter_problem(r, original, pointer):
    (a,) = r.answers
    assert a[IP].dst == PEER and a[ICMP].type == 12 and a[ICMP].code == 0
    assert a[ICMP].ptr in pointer
    assert a[IP].len <= 576
    # RFC 792 / RFC 1812 4.3.2.3: the quote starts with the original header
    quote = bytes(a[ICMP].payload)
    assert quote[:20] == original[14:34]
    assert_checksums_good(a)


# -- IP options -------------------------------------------------------------

def test_option_running_past_the_header_earns_parameter_problem():
    # IHL 6: four option bytes, a record route claiming 8
    q = eth(ipv4(icmp(), options=bytes([7, 8, 4, 0])))
    r = run_replay(frames([q]))
    # the option's type octet (Linux) or its length octet
    assert_parameter_problem(r, q, pointer=(20, 21))


def test_option_length_below_two_earns_parameter_problem():
    q = eth(ipv4(icmp(), options=bytes([68, 1, 0, 0])))
    r = run_replay(frames([q]))
    assert_parameter_problem(r, q, pointer=(20, 21))


def test_record_route_pointer_below_four_earns_parameter_problem():
    q = eth(ipv4(icmp(), options=bytes([7, 7, 3, 0, 0, 0, 0, 0])))
    r = run_replay(frames([q]))
    assert_parameter_problem(r, q, pointer=(22,))


def test_source_route_options_are_dropped_and_counted():
    for opt in (bytes([0x83, 7, 4, 192, 0, 2, 1, 0]),   # LSRR
                bytes([0x89, 7, 4, 192, 0, 2, 1, 0])):  # SSRR
        r = run_replay(frames([eth(ipv4(icmp(), options=opt))]))
        assert r.answers == []
        assert r.nonzero_drops() == {"ip_source_route": 1}


def test_short_timestamp_request_is_dropped_as_icmp_length():
    q = eth(ipv4(icmp(type_=13, data=b"\0" * 11)))  # 19 bytes, RFC 792 says 20
    r = run_replay(frames([q]))
    assert r.answers == []
    assert r.nonzero_drops() == {"icmp_length": 1}


def test_odd_length_timestamp_request_gets_the_20_byte_reply():
    q = eth(ipv4(icmp(type_=13, data=b"\0" * 13)))  # 21 bytes: liberal, RFC 1122 1.2.2
    r = run_replay(frames([q]))
    (a,) = r.answers
    assert a[ICMP].type == 14 and a[IP].len == 40


@pytest.mark.parametrize("type_,data,seg,cfg", [
    (13, b"\0" * 12, 46, ""),                        # split inside the timestamps
    (13, b"\0" * 12, 43, ""),
    (17, b"\0" * 4, 44, "[icmp]\naddress_mask = on\n"),  # inside the mask
])
def test_a_request_split_over_segments_gets_a_good_answer_or_none(type_, data, seg, cfg):
    """Found by the fuzz target on main: with the ICMP message split over
    mbuf segments, the timestamp and mask handlers wrote past the first
    segment's data and the reply left with a bad ICMP checksum."""
    q = eth(ipv4(icmp(type_=type_, rest=b"\x12\x34\x00\x01", data=data)))
    r = run_replay(frames([q]), config=BASE_CONFIG + cfg, extra=["--segment", str(seg)])
    if r.answers:
        (a,) = r.answers
        assert a[ICMP].type == type_ + 1
        assert_checksums_good(a)
    else:
        assert r.nonzero_drops() == {"l2_split_header": 1}


# -- fragments, reassembly on -----------------------------------------------

def frag(payload, off8, mf, ident=0x77):
    return eth(ipv4(payload, frag=(0x2000 if mf else 0) | off8, ident=ident))


def assert_fragments_dropped(r, n):
    assert r.answers == []
    drops = r.nonzero_drops()
    assert sum(drops.values()) == n == r.stats["rx"]
    assert all(k.startswith(FRAG_REASON_PREFIX) for k in drops), drops
    assert r.stats["mbufs_in_use"] == 0


def test_overlapping_fragments_are_not_reassembled():
    msg = icmp(data=bytes(range(64)))  # 72 bytes
    pkts = [frag(msg[:48], 0, True), frag(msg[40:], 5, False)]  # 40..48 twice
    r = run_replay(frames(pkts))
    assert_fragments_dropped(r, 2)


def test_fragment_past_65535_is_dropped():
    r = run_replay(frames([frag(b"\0" * 16, 0x1FFF, False)]))
    assert_fragments_dropped(r, 1)


def test_fragments_that_never_complete_are_dropped_and_freed():
    msg = icmp(data=bytes(200))
    pkts = [frag(msg[:64], 0, True, ident=i) for i in range(500)]
    r = run_replay(frames(pkts))
    assert_fragments_dropped(r, 500)


def test_a_fragmented_echo_is_reassembled_and_answered():
    msg = icmp(data=bytes(range(200)))
    pkts = [frag(msg[:104], 0, True), frag(msg[104:], 13, False)]
    r = run_replay(frames(pkts))
    assert r.stats["answers"]["echo_reply"] == 1
    assert sum(r.nonzero_drops().values()) == 1  # the fragment that fed it


# -- error rate limits on capture time --------------------------------------

def probe(src=PEER, dst=TRANSIT, ttl=1, data=b"traceroute", **kw):
    return eth(ipv4(b"\x82\x9a\x82\x9b\x00\x12\x00\x00" + data, src=src, dst=dst,
                    proto=17, ttl=ttl, **kw))


def test_ttl1_flood_from_one_source_is_limited_per_source():
    r = run_replay(frames([probe() for _ in range(10000)]), step=1.0 / 10000)
    te = only_icmp(r, 11)
    assert 0 < len(te) <= 100 + 5
    assert r.stats["ratelimited"] == 10000 - len(te)


def test_ttl1_flood_from_many_sources_is_limited_globally():
    pkts = [probe(src="10.%d.%d.%d" % (i >> 16, (i >> 8) & 255, i & 255))
            for i in range(1, 10001)]
    r = run_replay(frames(pkts), step=1.0 / 10000)
    te = only_icmp(r, 11)
    assert 1000 <= len(te) <= 1000 + 50


def test_the_three_probes_of_a_traceroute_hop_are_answered():
    pkts = [probe(data=b"hop %d" % i) for i in range(3)]
    r = run_replay(frames(pkts), step=0.0)
    assert len(only_icmp(r, 11)) == 3


def test_echo_is_unaffected_by_the_error_limits():
    pkts = []
    for i in range(3000):
        pkts.append(probe())
        if i % 10 == 0:
            pkts.append(echo_frame(data=b"%d" % i))
    r = run_replay(frames(pkts), step=1e-5)
    assert r.stats["answers"]["echo_reply"] == 300
    assert r.stats["ratelimited_by"]["echo_reply"] == 0


def test_frag_needed_is_not_starved_by_time_exceeded_of_the_same_source():
    big = eth(ipv4(bytes(1480 - 20), dst="203.0.113.5", proto=17, ttl=64,
                   frag=0x4000))  # DF, 1480 > mtu 1400
    pkts = [probe() for _ in range(200)] + [big] * 3
    r = run_replay(frames(pkts), config=BASE_CONFIG + MTU_ROUTES, step=0.0)
    fn = [a for a in only_icmp(r, 3) if a[ICMP].code == 4]
    assert len(fn) == 3
    assert fn[0][ICMP].nexthopmtu == 1400


# -- amplification -----------------------------------------------------------

@pytest.mark.parametrize("ext", ["off", "on"])
def test_errors_about_tiny_datagrams_stay_within_576_bytes(ext):
    cfg = BASE_CONFIG + f"[icmp]\nextensions = {ext}\n"
    tiny = eth(ipv4(b"", dst=TRANSIT, proto=253, ttl=1))  # 20 bytes of IP
    big = eth(ipv4(bytes(1480), dst=TRANSIT, proto=17, ttl=1))
    r = run_replay(frames([tiny, big]), config=cfg, step=0.01)
    (a_tiny, a_big) = only_icmp(r, 11)
    assert a_tiny[IP].len <= 576 and a_big[IP].len <= 576
    assert a_big[IP].len < 1500
    # the README's worst case: 20 bytes of IP in, 48 out without
    # extensions (ratio 2.4)
    if ext == "off":
        assert a_tiny[IP].len == 20 + 8 + 20
    for a in (a_tiny, a_big):
        assert a[IP].src == US
        assert_checksums_good(a)


def test_a_frame_cut_by_the_port_is_counted_as_rx_truncated():
    """A capture (or af_packet's framesz) that cut a frame is not a sender's
    bad length: the reason names the cause. A frame shorter than the cut
    whose datagram claims more is still ip_total_length."""
    big = echo_frame(data=b"x" * 1400)
    liar = echo_frame(data=b"y" * 100)[:120]  # cut by its sender
    r = run_replay(frames([big, liar]), snaplen=1000)
    assert r.answers == []
    assert r.nonzero_drops() == {"rx_truncated": 1, "ip_total_length": 1}
