"""[policy] (issue 21, docs/policy.md) through icmpfp-replay: each example
line of the issue does what it says, a rate rule answers its burst plus what
refills in the capture's time, `default = deny` with an allow list, a denied
LPA leaves the modem table alone; the counters add up in every run
(run_replay checks rx = answered + ratelimited + sum of dropped) and each
rule's counts say which rule decided."""
from scapy.all import ICMP, IP, UDP, Ether, Raw
from scapy.layers.inet6 import ICMPv6EchoReply, ICMPv6TimeExceeded, IPv6

from ifp_harness import (BASE_CONFIG, CONFIG6, PEER, PEER6, PEER_MAC, US, US2, US6,
                         US_MAC, assert_checksums_good, assert_icmp6_checksum_good,
                         at, echo, echo6, run_replay)
from ifp_lpa import lpa, modem

MONITOR = "192.0.2.77"     # inside the allowed /26 below
OUTSIDER = "192.0.2.200"
BAD6 = "2001:db8:bad::5"


def policy(rules, base=CONFIG6):
    return base + "[policy]\n" + rules


def counts(r):
    """(matched, denied, limited) of each rule in the file's order, then of
    the default (the last)."""
    return [(p["matched"], p["denied"], p["limited"]) for p in r.stats["policy"]]


def ts_request(src=PEER, dst=US):
    return (Ether(dst=US_MAC, src=PEER_MAC) / IP(src=src, dst=dst)
            / ICMP(type=13, id=7, seq=1) / Raw(b"\0" * 12))


def mask_request(src=PEER, dst=US):
    return (Ether(dst=US_MAC, src=PEER_MAC) / IP(src=src, dst=dst)
            / ICMP(type=17, id=7, seq=1) / Raw(b"\0" * 4))


def udp_probe(src=PEER, dst="198.18.0.1", ttl=1):
    return (Ether(dst=US_MAC, src=PEER_MAC) / IP(src=src, dst=dst, ttl=ttl)
            / UDP(sport=40000, dport=33434) / Raw(b"p" * 32))


def udp_probe6(src=PEER6, dst="2001:db8:98::1", hlim=1):
    return (Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=src, dst=dst, hlim=hlim)
            / UDP(sport=40000, dport=33434) / Raw(b"p" * 32))


ROUTES = """[routes]
0.0.0.0/0 = mtu 1500
2001:db8:98::/48 = mtu 1500
2001:db8:99::/48 = unreachable reject
"""


def test_no_policy_reports_no_rules_and_answers_as_before():
    r = run_replay([echo(), echo6()], config=CONFIG6)
    assert r.stats["policy"] == []
    assert len(r.answers) == 2
    assert r.dropped("policy_deny") == 0


def test_echo_allow_list_then_rate_then_deny_first_match_wins():
    # the first two lines, with a monitoring prefix that contains
    # our peer's neighbour: the monitor is answered however fast it asks,
    # the rest of the world within the rule's burst
    cfg = policy("""default = allow
192.0.2.64/26 echo = allow
0.0.0.0/0 echo = rate 1/s burst 2
""")
    frames = [echo(src=MONITOR, seq=i) for i in range(5)] + \
             [echo(src=OUTSIDER, seq=i) for i in range(5)]
    r = run_replay(frames, config=cfg)
    got = [(a[IP].dst, a[ICMP].seq) for a in r.answers]
    assert got == [(MONITOR, i) for i in range(5)] + [(OUTSIDER, 0), (OUTSIDER, 1)]
    for a in r.answers:
        assert a[ICMP].type == 0 and a[IP].src == US
        assert_checksums_good(a)
    assert r.stats["ratelimited"] == 3
    assert r.stats["ratelimited_by"]["echo_reply"] == 3
    assert counts(r)[0] == (5, 0, 0)
    assert counts(r)[1] == (5, 0, 3)


def test_a_rate_rule_answers_its_burst_plus_what_refills_in_the_capture_time():
    # 10/s, burst 3: 40 requests over 2 s of capture time are answered 3 +
    # 2 s x 10/s = 23 times (give or take the one token in flight)
    cfg = policy("0.0.0.0/0 echo = rate 10/s burst 3\n")
    frames = [at(echo(seq=i), 1000.0 + i * 0.05) for i in range(41)]
    r = run_replay(frames, config=cfg)
    n = len(r.answers)
    assert 22 <= n <= 24, n
    assert r.stats["ratelimited"] == 41 - n
    assert counts(r)[0] == (41, 0, 41 - n)
    # at once, only the burst
    r = run_replay([echo(seq=i) for i in range(10)], config=cfg, step=0.0)
    assert len(r.answers) == 3 and r.stats["ratelimited"] == 7


def test_timestamp_and_address_mask_denied_echo_still_answered():
    cfg = policy("0.0.0.0/0 timestamp,address-mask = deny\n").replace(
        "[port 0]\n", "[port 0]\n") + ""
    cfg = cfg.replace("[policy]", "[icmp]\ntimestamp = on\naddress_mask = on\n[policy]")
    r = run_replay([ts_request(), mask_request(), echo()], config=cfg)
    assert [a[ICMP].type for a in r.answers] == [0]
    assert r.dropped("policy_deny") == 2
    # and without the rule both are answered: the deny is what stops them
    cfg2 = cfg.replace("0.0.0.0/0 timestamp,address-mask = deny\n", "")
    r = run_replay([ts_request(), mask_request(), echo()], config=cfg2)
    assert sorted(a[ICMP].type for a in r.answers) == [0, 14, 18]


def test_to_matches_only_frames_to_that_address():
    # 10.0.0.0/8 to 192.0.2.9 * = deny: pings to US2 refused, to US answered
    base = CONFIG6.replace("[port 0]\n", "[port 0]\n") + "[routes]\n10.0.0.0/8 = drop\n"
    cfg = base.replace("address = 192.0.2.1/24, 192.0.2.9/24",
                       "address = 192.0.2.1/24, 192.0.2.9/24, 10.1.0.1/16") + \
        "[policy]\n10.0.0.0/8 to 192.0.2.9 * = deny\n"
    src = "10.1.2.3"
    r = run_replay([echo(src=src, dst=US2), echo(src=src, dst=US), echo(dst=US2)],
                   config=cfg)
    assert [(a[IP].src, a[IP].dst) for a in r.answers] == [(US, src), (US2, PEER)]
    assert r.dropped("policy_deny") == 1


def test_traceroute_invisible_v6_errors_denied_v4_still_sent():
    # ::/0 time-exceeded,unreachable = deny: IPv6 hop 1 is silent, IPv4 not
    cfg = policy("::/0 time-exceeded,unreachable = deny\n", base=CONFIG6 + ROUTES)
    r = run_replay([udp_probe6(), udp_probe(), udp_probe6(dst="2001:db8:99::1", hlim=5), echo6()], config=cfg)
    assert [a.haslayer(IPv6) for a in r.answers] == [False, True]
    assert r.answers[0][ICMP].type == 11
    assert ICMPv6EchoReply in r.answers[1]
    assert_icmp6_checksum_good(r.answers[1])
    assert r.dropped("policy_deny") == 2
    assert counts(r)[0] == (2, 2, 0)
    # the same capture without the rule: both IPv6 errors are sent
    r = run_replay([udp_probe6(), udp_probe(), udp_probe6(dst="2001:db8:99::1", hlim=5), echo6()],
                   config=CONFIG6 + ROUTES)
    assert sum(ICMPv6TimeExceeded in a for a in r.answers) == 1
    assert len(r.answers) == 4


def test_an_abusive_48_gets_nothing_but_neighbours_are_left_alone():
    cfg = policy("2001:db8:bad::/48 * = deny\n").replace(
        "address6 = 2001:db8:0:1::1/64, 2001:db8:0:1::9/64",
        "address6 = 2001:db8:0:1::1/64, 2001:db8:0:1::9/64, 2001:db8:bad::1/64")
    r = run_replay([echo6(src=BAD6), echo6()], config=cfg)
    assert [a[IPv6].dst for a in r.answers] == [PEER6]
    assert r.dropped("policy_deny") == 1


def test_default_deny_with_an_allow_list():
    cfg = policy("""default = deny
192.0.2.64/26 * = allow
2001:db8:0:1::/64 echo = allow
""")
    r = run_replay([echo(src=MONITOR), echo(src=OUTSIDER), echo6(), echo6(src=BAD6)],
                   config=cfg)
    assert [a[IP].dst if IP in a else a[IPv6].dst for a in r.answers] == [MONITOR, PEER6]
    assert r.dropped("policy_deny") == 2
    assert counts(r)[-1] == (2, 2, 0)


LPA_CFG = BASE_CONFIG + """
[routes]
10.20.0.0/16 = modem 7
[lpa]
listen = on
[policy]
10.9.0.0/16 lpa = allow
0.0.0.0/0 lpa = deny
"""


def test_a_denied_lpa_leaves_the_modem_table_alone():
    probe = (Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst="10.20.1.1", ttl=1)
             / UDP(sport=40000, dport=33434) / Raw(b"p" * 32))
    # from 192.0.2.50 (not the modems' prefix): the "up" LPA is dropped, the
    # route's modem is still never heard of: 3/0, not 11/0
    r = run_replay([at(lpa(modem(7)), 1000.0), at(probe, 1000.5)], config=LPA_CFG)
    assert [(a[ICMP].type, a[ICMP].code) for a in r.answers] == [(3, 0)]
    assert r.dropped("policy_deny") == 1
    assert r.dropped("lpa_heard") == 0
    assert r.stats["lpa"]["modems"] == []
    # from the modems' prefix it is heard: the modem is up, hop 1 is 11/0
    r = run_replay([at(lpa(modem(7), src="10.9.0.7"), 1000.0), at(probe, 1000.5)],
                   config=LPA_CFG)
    assert [(a[ICMP].type, a[ICMP].code) for a in r.answers] == [(11, 0)]
    assert r.dropped("lpa_heard") == 1 and r.dropped("policy_deny") == 0


def test_the_example_file_is_read_by_the_replay():
    import os
    from ifp_harness import ROOT
    with open(os.path.join(ROOT, "examples", "policy-edge.ini")) as f:
        cfg = f.read()
    # port 0 of the example is 192.0.2.9 with the MAC the replay gives it
    bad = echo(src="203.0.113.5", dst="192.0.2.9", mac="02:00:00:00:00:01")
    good = echo(src="198.51.100.3", dst="192.0.2.9", mac="02:00:00:00:00:01")
    ts = ts_request(src="198.18.5.5", dst="192.0.2.9")
    ts[Ether].dst = "02:00:00:00:00:01"
    r = run_replay([bad, good, ts], config=cfg.replace("[port 0]\n",
                                                       "[port 0]\nmac = 02:00:00:00:00:01\n"))
    assert [a[IP].dst for a in r.answers] == ["198.51.100.3"]
    assert r.dropped("policy_deny") == 1 + (r.stats["dropped"]["icmp_disabled"] == 0)


def test_check_prints_the_rules_and_both_programs_refuse_at_file_line(tmp_path):
    import subprocess
    from ifp_harness import ICMPFP, REPLAY
    good = tmp_path / "good.ini"
    good.write_text(policy("default = deny\n192.0.2.64/26 echo = rate 10/s\n"))
    r = subprocess.run([ICMPFP, "--check", "-c", str(good)], capture_output=True,
                       text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    n = CONFIG6.count("\n") + 2
    assert "[policy]\ndefault = deny\n" in r.stdout
    assert f"{n + 1}: 192.0.2.64/26 echo = rate 10/s burst 1\n" in r.stdout, r.stdout
    bad = tmp_path / "bad.ini"
    # line 2 of the section: `to` an address the box does not have
    bad.write_text(policy("192.0.2.0/24 echo = allow\n10.0.0.0/8 to 192.0.2.77 * = deny\n"))
    want = f"{bad}:{n + 1}: to 192.0.2.77 is not an address of this box"
    r = subprocess.run([ICMPFP, "--check", "-c", str(bad)], capture_output=True,
                       text=True, timeout=30)
    assert r.returncode != 0 and want in r.stderr, r.stderr
    r = subprocess.run([REPLAY, "-c", str(bad), "/dev/null", "/dev/null"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 1 and want in r.stderr, r.stderr
