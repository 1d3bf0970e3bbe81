"""Link Property Advertisements through icmpfp-replay (issue 12): a route
that follows modem 7 answers as the modem's LPAs say, on the capture's
clock (the hold timer included); malformed LPAs are counted and never
answered; two modems that share an ID behind different sources stay apart;
the answers to the neighbour questions advertising asks (ARP replies,
neighbour advertisements) are passed on, never answered.
LPAs are made by scripts/icmpfp-lpa.py's encoder, answers decoded by scapy
and their checksums checked by scapy and tshark."""
import os
import re
import tempfile

import pytest
from scapy.all import ARP, ICMP, IP, UDP, Ether, Raw, wrpcap
from scapy.layers.inet6 import ICMPv6ND_NA, ICMPv6NDOptDstLLAddr, IPv6

from ifp_harness import (BASE_CONFIG, CONFIG6, PEER, PEER6, PEER_MAC, US, US2, US6, US_MAC,
                         assert_checksums_good, at, run_replay, tshark_checksum_status)
from ifp_lpa import lpa, modem

SAT = "10.20.1.1"  # behind the satellite modem, 10.20.0.0/16
LISTEN = BASE_CONFIG + """
[routes]
10.20.0.0/16 = modem 7
[lpa]
listen = on
hold = 3
"""


def probe(t, ttl=64, size=100, df=False, dst=SAT):
    """A traceroute-style UDP probe towards the modem's prefix."""
    return at(Ether(dst=US_MAC, src=PEER_MAC)
              / IP(src=PEER, dst=dst, ttl=ttl, flags="DF" if df else 0)
              / UDP(sport=40000, dport=33434) / Raw(b"p" * (size - 28)), t)


def kinds(r):
    """(time, type, code, next-hop MTU) of each answer."""
    out = []
    for a in r.answers:
        assert a[IP].src == US and a[IP].dst == PEER and a[Ether].dst == PEER_MAC
        assert_checksums_good(a)
        mtu = a[ICMP].nexthopmtu if a[ICMP].type == 3 and a[ICMP].code == 4 else None
        out.append((round(float(a.time), 3), a[ICMP].type, a[ICMP].code, mtu))
    return out


def tshark_ok(answers):
    with tempfile.TemporaryDirectory() as d:
        wrpcap(os.path.join(d, "a.pcap"), answers)
        status = tshark_checksum_status(os.path.join(d, "a.pcap"))
    assert len(status) == len(answers)
    # the error's own IP header, then the quoted one: both verify
    assert all(set(s[0].split(",")) <= {"1", "2"} and s[1] == "1" for s in status), status


def test_a_route_follows_its_modem_up_down_and_silent_on_the_capture_clock():
    frames = [
        probe(1000.0),                              # never heard: 3/0
        at(lpa(modem(7, mtu=1200)), 1001.0),        # up, MTU 1200
        probe(1002.0, ttl=1),                       # 11/0
        probe(1002.1, size=1300, df=True),          # 3/4, MTU 1200
        probe(1002.2, size=1200, df=True),          # fits: transit
        probe(1002.3, size=1300),                   # may fragment: transit
        at(lpa(modem(7, up=False, mtu=1200)), 1003.0),  # down
        probe(1003.5, ttl=1),                       # 3/0, before the TTL
        at(lpa(modem(7, mtu=1200)), 1004.0),        # up again
        probe(1006.9, ttl=1),                       # 2.9 s of silence: 11/0
        probe(1007.0, ttl=1),                       # 3 s: silent, 3/0
        probe(1009.0, size=1300, df=True),          # still silent: 3/0
        at(lpa(modem(7, mtu=1400)), 1010.0),        # heard again, MTU 1400
        probe(1010.5, size=1300, df=True),          # fits now: transit
        probe(1010.6, size=1500, df=True),          # 3/4, MTU 1400
    ]
    r = run_replay(frames, config=LISTEN)
    assert kinds(r) == [
        (1000.0, 3, 0, None),
        (1002.0, 11, 0, None),
        (1002.1, 3, 4, 1200),
        (1003.5, 3, 0, None),
        (1006.9, 11, 0, None),
        (1007.0, 3, 0, None),
        (1009.0, 3, 0, None),
        (1010.6, 3, 4, 1400),
    ]
    tshark_ok(r.answers)
    assert r.stats["answers"]["unreachable_modem"] == 4
    assert r.stats["answers"]["time_exceeded"] == 2
    assert r.stats["answers"]["frag_needed"] == 2
    assert r.nonzero_drops() == {"lpa_heard": 4, "transit": 3}
    (m,) = r.stats["lpa"]["modems"]
    assert (m["source"], m["modem"], m["mtu"], m["count"]) == ("192.0.2.50", 7, 1400, 4)
    assert m["rate_out"] == [2000000, 1000000, 8000000]
    # every state change logged: modem, source, old and new state
    changes = re.findall(r"lpa: modem 7 from 192\.0\.2\.50 \(port 0\): (\w+) -> (\w+)",
                         r.stderr)
    assert changes == [("unheard", "up"), ("up", "down"), ("down", "up"),
                       ("up", "silent"), ("silent", "up")], r.stderr


def test_hold_is_the_configured_number_of_seconds():
    cfg = LISTEN.replace("hold = 3", "hold = 10")
    r = run_replay([at(lpa(modem(7)), 100.0), probe(109.9, ttl=1), probe(110.0, ttl=1)],
                   config=cfg)
    assert [(t, c) for t, c, _, _ in kinds(r)] == [(109.9, 11), (110.0, 3)]


def test_an_lpa_is_never_answered_by_group_or_unicast():
    frames = [
        lpa(modem(7)),
        lpa(modem(8), dst=US2, mac=US_MAC),             # unicast to us
        lpa(modem(9) + modem(10), dst=US, mac=US_MAC),  # two blocks
    ]
    r = run_replay(frames, config=LISTEN)
    assert r.answers == []
    assert r.nonzero_drops() == {"lpa_heard": 3}
    assert sorted(m["modem"] for m in r.stats["lpa"]["modems"]) == [7, 8, 9, 10]


def test_other_udp_to_us_still_gets_port_unreachable():
    q = Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US) / UDP(dport=7576) / Raw(b"x")
    r = run_replay([q], config=LISTEN)
    (a,) = r.answers
    assert (a[ICMP].type, a[ICMP].code) == (3, 3)


def test_with_listen_off_nothing_is_heard():
    cfg = LISTEN.replace("listen = on", "listen = off")
    r = run_replay([probe(1.0), at(lpa(modem(7)), 2.0), probe(3.0, ttl=1),
                    at(lpa(modem(7), dst=US, mac=US_MAC), 4.0)], config=cfg)
    # the group's MAC is not ours; unicast UDP gets Port Unreachable, and
    # the route stays unreachable
    assert [(c[1], c[2]) for c in
            [(float(a.time), a[ICMP].type, a[ICMP].code) for a in r.answers]] == \
        [(3, 0), (3, 0), (3, 3)]
    assert r.nonzero_drops() == {"l2_other_mac": 1}
    assert r.stats["lpa"]["modems"] == []


def raw_lpa(payload, **kw):
    return lpa(payload, **kw)


MALFORMED = [
    (b"", "lpa_truncated"),
    (b"\x00\x01\x00", "lpa_truncated"),
    (modem(7) + b"\x00\x01", "lpa_truncated"),
    (b"\x00\x09\x00\x00", "lpa_block_length"),
    (b"\x00\x01\x00\x03", "lpa_block_length"),
    (modem(7)[:20], "lpa_block_length"),
    # a Rate Block that says 32 bytes, 28 of them there: the block length
    # is checked against the datagram's end to the byte
    (modem(7)[:28], "lpa_block_length"),
    (b"\x00\x01\x00\x1c" + modem(7)[4:28], "lpa_rate_length"),
    (b"\x00\x01\x00\x24" + modem(7)[4:] + b"\0\0\0\0", "lpa_rate_length"),
    (modem(7)[:8] + b"\0\0\0\0" + modem(7)[12:], "lpa_modem_id"),
    (modem(7) * 33, "lpa_too_many"),
]


@pytest.mark.parametrize("payload,reason", MALFORMED)
def test_a_malformed_lpa_is_counted_by_reason_and_unanswered(payload, reason):
    r = run_replay([lpa(payload), lpa(payload, dst=US, mac=US_MAC), probe(5000.0, ttl=1)],
                   config=LISTEN)
    assert r.nonzero_drops() == {reason: 2}
    assert r.stats["lpa"]["modems"] == []
    # the route still knows nothing of modem 7
    assert [(a[ICMP].type, a[ICMP].code) for a in r.answers] == [(3, 0)]


def test_bad_udp_checksum_or_length_is_counted_and_unanswered():
    good = lpa(modem(7))
    bad_sum = lpa(modem(7), chksum=0x1234)
    long_len = lpa(modem(7), len=8 + 33)
    short_len = lpa(modem(7), len=7)
    no_sum = lpa(modem(7), chksum=0)
    r = run_replay([good, bad_sum, long_len, short_len, no_sum], config=LISTEN)
    assert r.answers == []
    assert r.nonzero_drops() == {"lpa_heard": 2, "lpa_udp_checksum": 1,
                                 "lpa_udp_length": 2}


def test_unknown_blocks_are_skipped():
    other = b"\x00\x09\x00\x0cABCDEFGH"
    r = run_replay([at(lpa(other + modem(7, mtu=1300) + other), 1.0),
                    probe(2.0, size=1400, df=True)], config=LISTEN)
    assert [(a[ICMP].type, a[ICMP].code, a[ICMP].nexthopmtu) for a in r.answers] == \
        [(3, 4, 1300)]


def test_two_modems_with_one_id_from_two_sources_are_kept_apart():
    frames = [
        at(lpa(modem(7, mtu=1400), src="192.0.2.50"), 1.0),
        at(lpa(modem(7, up=False, mtu=1200), src="192.0.2.60"), 1.1),
        probe(2.0, ttl=1),                     # one is up: the net is reachable
        at(lpa(modem(7, mtu=1200), src="192.0.2.60"), 3.0),
        probe(3.5, size=1300, df=True),        # both up: the smaller MTU
        at(lpa(modem(7, up=False, mtu=1400), src="192.0.2.50"), 4.0),
        probe(4.5, size=1300, df=True),        # .60 still up: its MTU
        at(lpa(modem(7, up=False, mtu=1200), src="192.0.2.60"), 5.0),
        probe(5.5, ttl=1),                     # both down
    ]
    r = run_replay(frames, config=LISTEN)
    assert [(t, c, code, mtu) for t, c, code, mtu in kinds(r)] == [
        (2.0, 11, 0, None), (3.5, 3, 4, 1200), (4.5, 3, 4, 1200), (5.5, 3, 0, None)]
    modems = {m["source"]: m for m in r.stats["lpa"]["modems"]}
    assert set(modems) == {"192.0.2.50", "192.0.2.60"}
    assert all(m["modem"] == 7 and m["state"] == "down" for m in modems.values())
    assert modems["192.0.2.50"]["mtu"] == 1400 and modems["192.0.2.60"]["mtu"] == 1200
    assert modems["192.0.2.50"]["count"] == 2 and modems["192.0.2.60"]["count"] == 3
    assert "modem 7 from 192.0.2.60 (port 0): unheard -> down" in r.stderr


def test_an_lpa_for_another_modem_changes_nothing_for_this_route():
    r = run_replay([at(lpa(modem(8)), 1.0), probe(2.0, ttl=1)], config=LISTEN)
    assert [(a[ICMP].type, a[ICMP].code) for a in r.answers] == [(3, 0)]


def test_a_flapping_modem_cannot_flood_the_log():
    flaps = [at(lpa(modem(7, up=bool(i % 2))), 1000 + i * 0.01) for i in range(300)]
    r = run_replay(flaps + [probe(1003.5, ttl=1)], config=LISTEN)
    assert r.nonzero_drops() == {"lpa_heard": 300}
    # every change takes effect: the last LPA said up
    assert [(a[ICMP].type, a[ICMP].code) for a in r.answers] == [(11, 0)]
    assert r.stats["lpa"]["modems"][0]["changes"] == 300
    # 20 a second are logged, the rest summed up
    logged = re.findall(r"lpa: modem 7 from", r.stderr)
    assert len(logged) == 3 * 20, r.stderr
    assert re.findall(r"lpa: (\d+) more state changes not logged", r.stderr) == ["80", "80"]


# --- the neighbours of unicast advertise_to destinations -----------------------------

ADVERTISE = CONFIG6 + f"""
[lpa]
advertise = on
advertise_to = 224.0.0.2, {PEER}, ff02::2, {PEER6}
"""
PEER_NEW_MAC = "02:aa:bb:cc:dd:ee"


def na(target=PEER6, dst=US6, mac=US_MAC, hlim=255, code=0, S=1, lladdr=PEER_NEW_MAC):
    """A neighbour advertisement from target about itself (RFC 4861 4.4)."""
    p = (Ether(dst=mac, src=PEER_MAC) / IPv6(src=target, dst=dst, hlim=hlim)
         / ICMPv6ND_NA(tgt=target, R=0, S=S, O=1, code=code))
    return p / ICMPv6NDOptDstLLAddr(lladdr=lladdr) if lladdr else p


def test_the_answers_to_the_neighbour_questions_of_advertising_are_passed_on_never_answered():
    frames = [
        na(),                                           # passed on
        Ether(dst=US_MAC, src=PEER_MAC) / ARP(op=2, hwsrc=PEER_NEW_MAC, psrc=PEER,
                                              hwdst=US_MAC, pdst=US),  # passed on
        na(target="2001:db8:0:1::77"),                  # not a destination of ours
        na(dst="ff02::1", mac="33:33:00:00:00:01", S=0),  # unsolicited
        na(lladdr=None),                                # nothing to learn
        na(hlim=64),                                    # not from on-link
        na(code=1),
    ]
    r = run_replay(frames, config=ADVERTISE)
    assert r.answers == []
    assert r.nonzero_drops() == {"lpa_neighbour": 2, "nd_to_us": 3, "nd_hop_limit": 1,
                                 "nd_code": 1}


def test_without_advertise_a_neighbour_advertisement_is_only_counted():
    r = run_replay([na()], config=ADVERTISE.replace("advertise = on", "advertise = off"))
    assert r.answers == []
    assert r.nonzero_drops() == {"nd_to_us": 1}
