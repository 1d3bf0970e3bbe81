"""The packet trace over telemetry (app/ifp_trace_tel.c) and icmpfpctl's
trace commands, end to end on build/tests/trace_fixture: two worker lcores
that take bursts of four known frames through lib/ifp_trace.h as the fast
path will (tests/ops/trace_fixture.c). trace add N arms N frames a worker
and then disarms; show trace prints each frame's summary, steps and end,
oldest first; the filters (dropped, src, port); trace clear; a bad filter
is refused before it reaches the daemon; the raw telemetry answers have the
shapes docs/icmpfpctl.md gives."""
import json
import os
import signal
import subprocess
import time

import pytest

from ifp_harness import BUILD, ROOT, eal_runtime_remove
from ifp_ops import telemetry, wait_for

CTL = os.path.join(ROOT, "scripts", "icmpfpctl.py")
FIXTURE = os.path.join(BUILD, "tests", "trace_fixture")
PREFIX = f"ifp-trace{os.getpid() % 10000}"
WORKERS = [1, 2]
# the four frames of every burst: (summary start, the ends it may have); the
# IPv4 echo comes twice, answered, then with a bad checksum
FRAMES = [
    ("ipv4 192.0.2.2 > 192.0.2.1 ttl 64 icmp 8/0 echo request",
     {("answered", "echo_reply"), ("dropped", "icmp_checksum")}),
    ("ipv6 2001:db8:1::2 > 2001:db8:1::1 hlim 64 icmp6 128/0 echo request",
     {("answered", "icmp6_echo_reply")}),
    ("ipv4 192.0.2.2 > 198.51.100.7 ttl 1 udp 40000 > 33434",
     {("ratelimited", "time_exceeded")}),
]
KEYS = {"frame", "time", "summary", "steps", "outcome", "lcore", "port", "queue", "wall_time"}


@pytest.fixture(scope="module")
def fixture():
    proc = subprocess.Popen([FIXTURE, "--lcores", "0@0,1@1,2@0", "--no-huge", "-m", "64",
                             "--no-pci", "--file-prefix", PREFIX,
                             "--log-level=lib.eal:warning"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        # EAL's lines, then ours; EOF if it exits
        out = ""
        while "trace_fixture running" not in out:
            line = proc.stdout.readline()
            assert line, f"trace_fixture exited {proc.wait()}:\n{out}"
            out += line
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            eal_runtime_remove(PREFIX)


def ctl(*args):
    return subprocess.run(["/usr/bin/python3", CTL, "-f", PREFIX, *args],
                          capture_output=True, text=True, timeout=30)


def records():
    r = ctl("--json", "show", "trace")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def settled(n):
    """The records once n are kept and nothing is armed."""
    def get():
        rs = records()
        left = telemetry(PREFIX, "/icmpfp/trace")[0]["left"]
        return rs if len(rs) == n and left == 0 else None
    return wait_for(get, 10, what=f"{n} records, disarmed")


def check_record(r):
    assert KEYS <= r.keys(), r
    assert r["lcore"] in WORKERS and r["queue"] == 0 and r["port"] in (0, 1), r
    assert r["steps"][0] == "l2: ours", r
    end = (r["outcome"], r.get("answer") or r.get("reason"))
    assert any(r["summary"].startswith(s) and end in ends for s, ends in FRAMES), r


def test_nothing_is_kept_before_arming(fixture):
    r = ctl("show", "trace")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "0 frames kept, 0 still armed", r.stdout


def test_trace_add_takes_n_frames_a_worker_then_disarms(fixture):
    r = ctl("trace", "add", "5")
    assert r.returncode == 0 and "tracing the next 5 frames" in r.stdout, r.stdout + r.stderr
    rs = settled(5 * len(WORKERS))
    for rec in rs:
        check_record(rec)
    assert sorted({rec["lcore"] for rec in rs}) == WORKERS
    # oldest first; a worker's frames in their order
    assert [float(rec["time"]) for rec in rs] == sorted(float(rec["time"]) for rec in rs)
    for w in WORKERS:
        frames = [rec["frame"] for rec in rs if rec["lcore"] == w]
        assert frames == sorted(frames) and len(frames) == 5, frames
    # the route and the limiter that decided the TTL 1 datagram
    ttl1 = [rec for rec in rs if "ttl 1 udp" in rec["summary"]]
    assert ttl1, rs
    assert ttl1[0]["route"] == "icmpfp.ini:19"
    assert ttl1[0]["steps"][-2:] == [
        "route: 198.51.100.0/24 (icmpfp.ini:19) unreachable host", "ratelimit: per-source"]
    # the readable blocks: summary, steps, end
    text = ctl("show", "trace").stdout
    assert text.count("\nframe ") + text.startswith("frame ") == 5 * len(WORKERS), text
    assert "  => answered echo_reply" in text and "  => dropped icmp_checksum" in text, text
    assert text.rstrip().endswith(f"{5 * len(WORKERS)} frames kept, 0 still armed"), text


def test_trace_clear_forgets_the_records(fixture):
    r = ctl("trace", "clear")
    assert r.returncode == 0, r.stderr
    assert records() == []


def test_the_dropped_filter_keeps_only_drops(fixture):
    ctl("trace", "clear")
    assert ctl("trace", "add", "3", "dropped").returncode == 0
    rs = settled(3 * len(WORKERS))
    assert {(rec["outcome"], rec["reason"]) for rec in rs} == {("dropped", "icmp_checksum")}


def test_the_src_and_port_filters(fixture):
    ctl("trace", "clear")
    assert ctl("trace", "add", "2", "src", "2001:db8:1::/48").returncode == 0
    rs = settled(2 * len(WORKERS))
    assert all(rec["summary"].startswith("ipv6 2001:db8:1::2 ") for rec in rs), rs
    ctl("trace", "clear")
    assert ctl("trace", "add", "4", "port", "1", "src", "192.0.2.0/24").returncode == 0
    rs = settled(4 * len(WORKERS))
    assert {rec["port"] for rec in rs} == {1}, rs
    assert all(rec["summary"].startswith("ipv4 192.0.2.2 ") for rec in rs), rs


def test_the_telemetry_answers_have_their_documented_shapes(fixture):
    ctl("trace", "clear")
    arm, = telemetry(PREFIX, "/icmpfp/trace,1,port=0")
    assert arm == {"armed": 1, "filter": "port=0", "lcores": WORKERS}, arm
    settled(len(WORKERS))
    idx, = telemetry(PREFIX, "/icmpfp/trace")
    assert idx.keys() == {"left", "filter", "records"} and idx["left"] == 0, idx
    lcore, rid = idx["records"][0].split("/")
    rec, gone, bad = telemetry(PREFIX, f"/icmpfp/trace_record,{lcore},{rid}",
                               "/icmpfp/trace_record,1,999999", "/icmpfp/trace,x")
    assert KEYS <= rec.keys() and isinstance(rec["steps"], list), rec
    assert gone is None and bad is None
    cleared, = telemetry(PREFIX, "/icmpfp/trace,clear")
    assert cleared == {"cleared": len(WORKERS)}


def test_trace_add_zero_disarms(fixture):
    ctl("trace", "clear")
    assert ctl("trace", "add", "100000", "dropped").returncode == 0
    assert ctl("trace", "add", "0").returncode == 0
    assert telemetry(PREFIX, "/icmpfp/trace")[0]["left"] == 0
    n = len(records())
    time.sleep(0.1)
    assert len(records()) == n


def test_a_bad_filter_is_refused_with_the_reason(fixture):
    for args, why in ((["src", "nonsense"], "src nonsense"), (["port", "x"], "port x"),
                      (["dst", "192.0.2.1"], "'dst'")):
        r = ctl("trace", "add", "2", *args)
        assert r.returncode == 1 and why in r.stderr, r.stderr


def test_show_trace_file_reads_the_json_lines_replay_writes(tmp_path):
    """lib/ifp_trace.c's JSON (what icmpfp-replay --trace writes, one object
    a line), parsed by Python and read back by icmpfpctl show trace --file."""
    out = subprocess.run([FIXTURE, "--jsonl"], capture_output=True, text=True,
                         timeout=30, check=True).stdout
    recs = [json.loads(line) for line in out.splitlines()]
    assert [r["frame"] for r in recs] == list(range(1, 9))
    for r in recs:
        assert {"frame", "time", "summary", "steps", "outcome"} <= r.keys(), r
        assert not {"lcore", "port", "queue", "wall_time"} & r.keys(), r
        assert isinstance(r["time"], float)
        r["lcore"], r["port"], r["queue"] = 1, 0, 0  # what check_record asks of a live one
        r["wall_time"] = ""
        check_record(r)
    assert recs[3]["route"] == "icmpfp.ini:19"
    r = subprocess.run(["/usr/bin/python3", CTL, "show", "trace", "--file", "-"], input=out,
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("  => ") == 8 and r.stdout.rstrip().endswith("8 frames"), r.stdout
    assert "  => ratelimited time_exceeded" in r.stdout
    r = subprocess.run(["/usr/bin/python3", CTL, "--json", "show", "trace", "--file", "-"],
                       input=out, capture_output=True, text=True, timeout=30)
    assert json.loads(r.stdout) == [json.loads(line) for line in out.splitlines()]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(out.splitlines()[0] + "\n{not json\n")
    r = subprocess.run(["/usr/bin/python3", CTL, "show", "trace", "--file", str(bad)],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 1 and f"{bad}:2: not a JSON object" in r.stderr, r.stderr


def test_a_reader_that_stops_early_ends_show_trace_quietly(tmp_path):
    """icmpfpctl show trace | head: the pipe closes and icmpfpctl ends as
    other filters do (SIGPIPE), not with a Python traceback."""
    out = subprocess.run([FIXTURE, "--jsonl"], capture_output=True, text=True,
                         timeout=30, check=True).stdout
    f = tmp_path / "many.jsonl"
    f.write_text(out * 2000)
    r = subprocess.run(f"/usr/bin/python3 {CTL} show trace --file {f} | head -n 1",
                       shell=True, capture_output=True, text=True, timeout=60)
    assert r.stdout.startswith("frame "), r.stdout
    assert r.stderr == "", r.stderr
