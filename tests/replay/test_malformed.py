"""The malformed-input catalog (issue 5): every frame of it, replayed alone,
gets no answer and exactly one count of its named drop reason, and the
counters add up (rx = answered + ratelimited + sum of dropped). Then the
whole catalog at once, in bursts of every size; odd-length ICMP that is
well formed is answered; and the echo rate limit on capture time.

The catalog itself is ifp_frames.catalog(); frames whose answer is an
ICMP error, and options and reassembly, are in test_malformed_errors.py."""
import collections

import pytest
from scapy.all import ICMP, IP, Raw

from ifp_frames import ETH_ARP, ETH_IPV4, arp, catalog, echo_frame, eth, icmp, ipv4
from ifp_harness import (BASE_CONFIG, PEER, US, assert_checksums_good,
                         run_replay)

CATALOG = catalog()


def frames(raw_frames):
    return [Raw(load=f) for f in raw_frames]


@pytest.mark.parametrize("name,frame,reason,seg,conf", CATALOG,
                         ids=[c[0] for c in CATALOG])
def test_catalog_frame_is_dropped_once_by_name(name, frame, reason, seg, conf):
    extra = ["--segment", str(seg)] if seg else []
    r = run_replay(frames([frame]), config=BASE_CONFIG + conf, extra=extra)
    assert r.answers == []
    assert r.stats["rx"] == 1
    assert r.stats["answered"] == 0 and r.stats["ratelimited"] == 0
    assert r.nonzero_drops() == {reason: 1}
    assert r.stats["mbufs_in_use"] == 0


def test_every_reason_of_the_catalog_exists():
    r = run_replay(frames([echo_frame()]))
    for _, _, reason, _, _ in CATALOG:
        assert reason in r.stats["dropped"], reason


@pytest.mark.parametrize("burst", [1, 7, 32, 64])
def test_the_whole_catalog_in_one_capture_adds_up(burst):
    """Unsegmented entries of the same config together, amid good echoes:
    each reason counted as often as the catalog names it, every echo
    answered."""
    bad = [c for c in CATALOG if c[3] is None and c[4] == ""]
    pkts, want = [], collections.Counter()
    for i, (_, frame, reason, _, _) in enumerate(bad):
        pkts.append(frame)
        want[reason] += 1
        if i % 3 == 0:
            pkts.append(echo_frame(data=b"good %d" % i))
    r = run_replay(frames(pkts), extra=["--burst", str(burst)])
    assert r.nonzero_drops() == dict(want)
    n_echo = len(pkts) - len(bad)
    assert r.stats["answers"]["echo_reply"] == n_echo == len(r.answers)
    for a in r.answers:
        assert a[ICMP].type == 0
        assert_checksums_good(a)


@pytest.mark.parametrize("n", [1, 9, 33, 201, 1001])
def test_odd_length_echo_that_is_well_formed_is_answered(n):
    q = echo_frame(data=bytes(i % 256 for i in range(n)))
    r = run_replay(frames([q]))
    (a,) = r.answers
    assert a[IP].len == 20 + 8 + n
    assert bytes(a[ICMP].payload) == bytes(i % 256 for i in range(n))
    assert_checksums_good(a)


def test_odd_length_echo_split_over_odd_segments_is_answered():
    q = echo_frame(data=bytes(range(251)) * 3)
    flat = run_replay(frames([q]))
    seg = run_replay(frames([q]), extra=["--segment", "101"])
    assert [bytes(p) for p in seg.answers] == [bytes(p) for p in flat.answers]
    assert_checksums_good(seg.answers[0])


def test_answers_are_never_larger_than_their_trigger():
    """No amplification by echo or ARP: the answer is the request turned
    around, padding trimmed (errors: test_malformed_errors.py)."""
    reqs = [echo_frame(data=b"x" * n) for n in (0, 1, 18, 100, 1472)]
    reqs += [eth(arp(), ETH_ARP, dst="ff:ff:ff:ff:ff:ff") + b"\0" * 18]
    reqs += [eth(ipv4(icmp(data=b"")), ETH_IPV4) + b"\0" * 18]
    r = run_replay(frames(reqs))
    assert len(r.answers) == len(reqs)
    for q, a in zip(reqs, r.answers):
        assert len(bytes(a)) <= len(q)


# The echo limit, on the capture's clock (the error limits wait for the
# errors of issue 3: test_malformed_errors.py).

def test_an_echo_flood_gets_at_most_rate_plus_burst_per_second():
    cfg = BASE_CONFIG + "[ratelimit]\necho_per_sec = 100\n"
    reqs = [Raw(load=echo_frame(data=b"%d" % i)) for i in range(10000)]
    r = run_replay(reqs, config=cfg, start=2000.0, step=1.0 / 10000)
    # 100/s with a burst of a tenth of it
    assert 100 <= r.stats["answered"] <= 100 + 10
    assert r.stats["ratelimited"] == 10000 - r.stats["answered"]
    assert r.stats["ratelimited_by"]["echo_reply"] == r.stats["ratelimited"]
    assert len(r.answers) == r.stats["answered"]


def test_echo_limit_is_reproducible_from_capture_times():
    cfg = BASE_CONFIG + "[ratelimit]\necho_per_sec = 50\n"
    reqs = [Raw(load=echo_frame(data=b"%d" % i)) for i in range(3000)]
    a = run_replay(reqs, config=cfg, start=5000.0, step=0.001)
    b = run_replay(reqs, config=cfg, start=5000.0, step=0.001)
    assert a.stats == b.stats
    assert [bytes(p) for p in a.answers] == [bytes(p) for p in b.answers]
    # 3 s at 50/s, plus the burst of 5
    assert 150 <= a.stats["answered"] <= 155


def test_echo_is_unlimited_by_default_and_not_limited_by_error_limits():
    cfg = BASE_CONFIG + ("[ratelimit]\nerrors_per_sec = 1\nerrors_burst = 1\n"
                         "per_source_per_sec = 1\nper_source_burst = 3\n")
    reqs = [Raw(load=echo_frame(data=b"%d" % i, src=PEER)) for i in range(5000)]
    r = run_replay(reqs, config=cfg, step=1e-6)
    assert r.stats["answered"] == 5000
    assert r.stats["ratelimited"] == 0
    assert all(a[IP].dst == PEER and a[IP].src == US for a in r.answers[:10])
