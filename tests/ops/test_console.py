"""--stats-period prints one aligned line per period under a header: rx/tx
Mpps, answers by kind (every kind of the table), drops, rate-limited,
cycles per packet and busy %."""
import os
import re
import time

from ifp_lab import Lab
from ifp_ops import settled_stats

NS = f"ifp4c{os.getpid() % 10000}"
N = 40


def test_stats_period_lines_are_aligned():
    with Lab(NS, stats_period=1) as lab:
        r = lab.sh("ping", "-c", str(N), "-i", "0.01", "-W", "2", "192.0.2.1")
        assert f"{N} received" in r.stdout, r.stdout
        st = settled_stats(lab.file_prefix, "echo_reply", N)
        time.sleep(2.2)
        lab.stop()
        out = lab.output()
    lines = out.splitlines()
    heads = [i for i, line in enumerate(lines) if line.split()[:2] == ["rx_Mpps", "tx_Mpps"]]
    assert heads, out
    head = lines[heads[0]]
    cols = head.split()
    assert cols[2:2 + len(st["answers"])] == list(st["answers"])
    assert cols[-4:] == ["dropped", "ratelimited", "cyc/pkt", "busy%"]
    rows = [line for line in lines[heads[0] + 1:]
            if re.match(r"^\s*\d+\.\d{3}\s+\d+\.\d{3}\s", line)]
    assert len(rows) >= 2, out
    for row in rows:
        # right-aligned under the header: same length, every field ends
        # where its column name ends
        assert len(row) == len(head), (head, row)
        ends_h = [m.end() for m in re.finditer(r"\S+", head)]
        ends_r = [m.end() for m in re.finditer(r"\S+", row)]
        assert ends_r == ends_h, (head, row)
    # the periods' echo replies add up to what was answered
    echo_col = cols.index("echo_reply")
    assert sum(int(row.split()[echo_col]) for row in rows) == N
