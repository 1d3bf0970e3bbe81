"""--stats-period prints one aligned line per period under a header that
fits a 120-column terminal: the time, rx/tx per second in the unit that
shows them (a lab's 40 pings a second are "40", not 0.000 Mpps), answers by
class (replies, errors,
ARP/ND), drops, rate-limited, cycles per packet and busy %. The answers by
kind are one telemetry command away; SIGINT still prints the final JSON."""
import os
import re
import time

from ifp_lab import Lab
from ifp_ops import settled_stats

NS = f"ifp4c{os.getpid() % 10000}"
N = 40


def rate(s):
    """ "40", "12.3k", "1.25M" as frames a second"""
    unit = {"k": 1e3, "M": 1e6}.get(s[-1], 1)
    return float(s.rstrip("kM")) * unit


def test_stats_period_lines_are_aligned():
    with Lab(NS, stats_period=1) as lab:
        r = lab.sh("ping", "-c", str(N), "-i", "0.01", "-W", "2", "192.0.2.1")
        assert f"{N} received" in r.stdout, r.stdout
        st = settled_stats(lab.file_prefix, "echo_reply", N)
        time.sleep(2.2)
        lab.stop()
        out = lab.output()
    # one start-up line says what runs: the file, the port and its
    # addresses, the routes of each family, the workers (issue 19)
    assert re.search(r"icmpfp: config \S+\.ini: port 0 192\.0\.2\.1/24 .*; routes \d+ IPv4, "
                     r"\d+ IPv6; running on 1 worker lcore; ", out), out[:3000]
    assert "1 queue pairs" not in out and "1 queue pair," in out
    lines = out.splitlines()
    heads = [i for i, line in enumerate(lines) if line.split()[:3] == ["time", "rx/s", "tx/s"]]
    assert heads, out
    head = lines[heads[0]]
    cols = head.split()
    assert cols == ["time", "rx/s", "tx/s", "replies", "errors", "arp/nd", "dropped",
                    "ratelimited", "cyc/pkt", "busy%"], head
    assert len(head) <= 120, head
    rows = [line for line in lines[heads[0] + 1:]
            if re.match(r"^\d\d:\d\d:\d\d\s+\d+(\.\d+[kM])?\s+\d+(\.\d+[kM])?\s", line)]
    assert len(rows) >= 2, out
    for row in rows:
        # right-aligned under the header: same length, every field ends
        # where its column name ends
        assert len(row) == len(head), (head, row)
        ends_h = [m.end() for m in re.finditer(r"\S+", head)]
        ends_r = [m.end() for m in re.finditer(r"\S+", row)]
        assert ends_r == ends_h, (head, row)
    # the periods' replies add up to the echo replies answered, the
    # periods' ARP/ND to the ARP replies
    assert sum(int(row.split()[cols.index("replies")]) for row in rows) == N
    assert sum(int(row.split()[cols.index("arp/nd")]) for row in rows) == st["answers"]["arp_reply"]
    assert sum(int(row.split()[cols.index("errors")]) for row in rows) == 0
    # at lab rates the rate reads in frames a second: over periods of about
    # a second, the rates add up to about the frames received
    rx = sum(rate(row.split()[cols.index("rx/s")]) for row in rows)
    assert 0.8 * st["rx"] <= rx <= 1.2 * st["rx"], (rx, st["rx"], rows)
    assert re.search(r"^final counters: \{", out, re.M), out
