"""icmpfpctl against a real icmpfp (one Lab for every check, to keep CI
short): --json show stats is /icmpfp/stats, show errors lists the
icmp_checksum drops hping3 --badcksum caused, clear makes the shows count
from zero while /icmpfp/stats never falls, show runtime / ports / config /
lpa, a refused reload prints FILE:LINE: reason and the daemon keeps
answering, watch draws under tmux and leaves on q; trace add, a ping and
show trace give the echo and its answer, a bad checksum traced as dropped
icmp_checksum; and the clear errors:
no daemon, a DPDK process that is not icmpfp, not root, a command this
icmpfp lacks."""
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time

import pytest

from ifp_harness import ROOT
from ifp_lab import Lab, loss
from ifp_ops import tel1, wait_for

NS = f"ifp4q{os.getpid() % 10000}"
US = "192.0.2.1"
CTL = os.path.join(ROOT, "scripts", "icmpfpctl.py")
N_BAD = 5


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    d = tmp_path_factory.mktemp("ctl")
    conf = d / "icmpfp.ini"
    shutil.copy(os.path.join(ROOT, "scripts", "lab.ini"), conf)
    with Lab(NS, config=str(conf)) as lab:
        lab.conf = conf
        lab.mark_dir = d / "marks"
        yield lab


def ctl(lab, *args, prefix=None, user=None, timeout=30):
    env = dict(os.environ, ICMPFPCTL_MARK_DIR=str(lab.mark_dir))
    cmd = ["/usr/bin/python3", CTL, "-f", prefix or lab.file_prefix, *args]
    if user:
        cmd = ["runuser", "-u", user, "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)


def drops(lab):
    return tel1(lab.file_prefix, "/icmpfp/drops")


def badcksum(lab, n):
    """n echo requests with a bad ICMP checksum; icmpfp counts each."""
    before = drops(lab)["icmp_checksum"]
    lab.sh("hping3", "--icmp", "--badcksum", "-c", str(n), "-i", "u20000", US, timeout=30)
    wait_for(lambda: drops(lab)["icmp_checksum"] == before + n, 5,
             what=f"{n} more icmp_checksum drops")


def test_json_show_stats_is_icmpfp_stats(lab):
    r = lab.sh("ping", "-c", "5", "-i", "0.05", "-W", "2", US)
    assert loss(r.stdout) == (5, 5), r.stdout
    # compare with a read that two /icmpfp/stats around it agree on (the
    # client's kernel may send a frame between the reads); the cycles move
    # on every poll: between the two
    cycles = {"busy_cycles", "idle_cycles", "proc_cycles", "cycles_per_packet",
              "busy_percent"}
    for _ in range(20):
        a = tel1(lab.file_prefix, "/icmpfp/stats")
        r = ctl(lab, "--json", "show", "stats")
        b = tel1(lab.file_prefix, "/icmpfp/stats")
        assert r.returncode == 0, r.stderr
        j = json.loads(r.stdout)
        if all(a[k] == b[k] for k in a.keys() - cycles):
            assert j.keys() == a.keys()
            assert {k: j[k] for k in a.keys() - cycles} == \
                {k: a[k] for k in a.keys() - cycles}
            for k in ("busy_cycles", "idle_cycles", "proc_cycles"):
                assert a[k] <= j[k] <= b[k], k
            return
        time.sleep(0.1)
    raise AssertionError("/icmpfp/stats never held still over an icmpfpctl run")


def test_show_stats_gives_totals_and_rates(lab):
    r = ctl(lab, "-i", "0.2", "show", "stats")
    assert r.returncode == 0, r.stderr
    assert re.search(r"^answered\s+\d+\s+[\d.]+$", r.stdout, re.M), r.stdout
    assert re.search(r"^echo_reply\s+\d+", r.stdout, re.M), r.stdout


def test_show_errors_lists_the_bad_checksums_largest_first(lab):
    badcksum(lab, N_BAD)
    r = ctl(lab, "show", "errors")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["Count", "Reason"], r.stdout
    counts = [(int(c), reason) for c, reason in (ln.split() for ln in lines[1:])]
    assert (drops(lab)["icmp_checksum"], "icmp_checksum") in counts, r.stdout
    assert [c for c, _ in counts] == sorted((c for c, _ in counts), reverse=True)
    assert all(c > 0 for c, _ in counts)
    j = json.loads(ctl(lab, "--json", "show", "errors").stdout)
    assert j["icmp_checksum"] == drops(lab)["icmp_checksum"]


def test_clear_counts_the_shows_from_zero_and_the_daemon_never_falls(lab):
    before = tel1(lab.file_prefix, "/icmpfp/stats")
    r = ctl(lab, "clear")
    assert r.returncode == 0, r.stderr
    j = json.loads(ctl(lab, "--json", "show", "errors").stdout)
    assert "icmp_checksum" not in j, j
    badcksum(lab, 3)
    j = json.loads(ctl(lab, "--json", "show", "errors").stdout)
    assert j["icmp_checksum"] == 3, j
    after = tel1(lab.file_prefix, "/icmpfp/stats")
    for k in ("rx", "dropped", "answered"):
        assert after[k] >= before[k], (k, before, after)
    assert drops(lab)["icmp_checksum"] >= N_BAD + 3
    s = json.loads(ctl(lab, "--json", "show", "stats").stdout)
    assert s["dropped"] < after["dropped"], (s, after)


def test_show_runtime_gives_each_worker_busy_cycles_and_burst(lab):
    r = ctl(lab, "show", "runtime")
    assert r.returncode == 0, r.stderr
    assert re.search(r"^lcore 1\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+\s+[\d.]+$", r.stdout, re.M), \
        r.stdout
    j = json.loads(ctl(lab, "--json", "show", "runtime").stdout)
    w = j["1"]
    assert 0 <= w["busy_percent"] <= 100
    assert w["rx"] > 0 and w["cycles_per_packet"] > 0 and w["packets_per_burst"] >= 1, w


def test_show_ports_config_and_lpa(lab):
    r = ctl(lab, "show", "ports")
    assert r.returncode == 0, r.stderr
    assert lab.host_mac() in r.stdout and "192.0.2.1/24" in r.stdout, r.stdout
    r = ctl(lab, "show", "config")
    assert r.returncode == 0 and "198.51.100.0/24" in r.stdout, r.stdout + r.stderr
    assert json.loads(ctl(lab, "--json", "show", "config").stdout) == \
        tel1(lab.file_prefix, "/icmpfp/config")
    r = ctl(lab, "show", "lpa")
    assert r.returncode == 0, r.stderr


def test_a_refused_reload_prints_file_line_reason_and_icmpfp_keeps_answering(lab):
    good = lab.conf.read_text()
    try:
        lab.conf.write_text(good.replace("reply_ttl = 64", "reply_ttl = 640"))
        r = ctl(lab, "reload")
        assert r.returncode == 1, r.stdout + r.stderr
        line = good.splitlines().index("reply_ttl = 64") + 1
        assert re.search(rf"refused.*{re.escape(str(lab.conf))}:{line}: ", r.stderr), r.stderr
        # a box shared with other jobs may lose a frame in the client's
        # kernel: one more round before calling the daemon deaf
        for _ in range(2):
            p = lab.sh("ping", "-c", "3", "-i", "0.1", "-W", "2", US)
            if loss(p.stdout) == (3, 3):
                break
        else:
            raise AssertionError(p.stdout + json.dumps(tel1(lab.file_prefix, "/icmpfp/stats")))
    finally:
        lab.conf.write_text(good)
    r = ctl(lab, "reload")
    assert r.returncode == 0 and "generation" in r.stdout, r.stdout + r.stderr


def test_watch_draws_under_tmux_and_leaves_on_q(lab, tmp_path):
    sess = f"ctl{os.getpid()}"
    env = f"ICMPFPCTL_MARK_DIR={lab.mark_dir}"
    subprocess.run(["tmux", "new-session", "-d", "-s", sess, "-x", "100", "-y", "30",
                    f"env {env} /usr/bin/python3 {CTL} -f {lab.file_prefix} -i 0.2 watch"],
                   check=True, timeout=10)
    try:
        screen = wait_for(lambda: (s := subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", sess], capture_output=True,
            text=True).stdout) and "lcore 1: busy" in s and s, 10, what="watch's screen")
        assert re.search(r"^answered\s+\d+", screen, re.M), screen
        subprocess.run(["tmux", "send-keys", "-t", sess, "q"], check=True, timeout=10)
        wait_for(lambda: subprocess.run(["tmux", "has-session", "-t", sess],
                                        capture_output=True).returncode != 0, 5,
                 what="watch to leave on q")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", sess], capture_output=True)


def traced(lab, want):
    """The records of --json show trace once one satisfies want."""
    recs = []

    def found():
        nonlocal recs
        r = ctl(lab, "--json", "show", "trace")
        assert r.returncode == 0, r.stderr
        recs = json.loads(r.stdout)
        return any(want(t) for t in recs)
    wait_for(found, 5, what="the traced frame")
    return [t for t in recs if want(t)]


def test_trace_add_then_a_ping_shows_the_echo_and_its_answer(lab):
    assert ctl(lab, "trace", "clear").returncode == 0
    r = ctl(lab, "trace", "add", "5")
    assert r.returncode == 0, r.stderr
    assert "tracing the next 5 frames" in r.stdout
    r = lab.sh("ping", "-c", "1", "-W", "2", US)
    assert loss(r.stdout) == (1, 1), r.stdout
    (t,) = traced(lab, lambda t: "icmp 8/0 echo request" in t["summary"])[:1]
    assert t["steps"][:3] == ["l2: ours", "ipv4: ok", "icmp: echo request"], t
    assert (t["outcome"], t["answer"]) == ("answered", "echo_reply"), t
    assert {"lcore", "port", "queue", "wall_time"} <= t.keys(), t
    r = ctl(lab, "show", "trace")
    assert r.returncode == 0, r.stderr
    block = next(b for b in r.stdout.split("\n\n") if "echo request" in b)
    assert re.search(r"^frame \d+  lcore \d+ port 0 queue 0  \d{4}-", block, re.M), block
    assert "    icmp: echo request" in block and "  => answered echo_reply" in block, block
    assert ctl(lab, "trace", "clear").returncode == 0
    assert json.loads(ctl(lab, "--json", "show", "trace").stdout) == []


def test_trace_of_dropped_frames_names_the_bad_checksum(lab):
    r = ctl(lab, "trace", "add", "3", "src", "192.0.2.0/24", "dropped")
    assert r.returncode == 0, r.stderr
    badcksum(lab, 1)
    (t,) = traced(lab, lambda t: t.get("reason") == "icmp_checksum")
    assert t["outcome"] == "dropped" and "icmp 8/0" in t["summary"], t
    assert ctl(lab, "trace", "clear").returncode == 0


def test_a_command_this_icmpfp_lacks_says_so(lab):
    for args in (["show", "routes"], ["route", "get", "198.51.100.7"]):
        r = ctl(lab, *args)
        assert r.returncode == 1, args
        assert re.match(r"icmpfpctl: this icmpfp does not have /icmpfp/\w+", r.stderr), r.stderr


def test_no_daemon_at_that_prefix(lab):
    r = ctl(lab, "show", "stats", prefix=f"nothing-{os.getpid()}")
    assert r.returncode == 1
    assert f"no icmpfp at file-prefix 'nothing-{os.getpid()}'" in r.stderr, r.stderr


def test_not_root(lab):
    r = ctl(lab, "show", "stats", user="nobody")
    assert r.returncode == 1
    assert "permission denied" in r.stderr and "root" in r.stderr, r.stderr


def test_a_dpdk_process_that_is_not_icmpfp(lab, tmp_path):
    """A telemetry socket that speaks the protocol but has none of icmpfp's
    commands (what any other DPDK application's has)."""
    path = str(tmp_path / "dpdk_telemetry.v2")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    srv.bind(path)
    srv.listen(1)
    srv.settimeout(10)

    def serve():
        c, _ = srv.accept()
        c.send(json.dumps({"version": "DPDK 22.11", "pid": os.getpid(),
                           "max_output_len": 16384}).encode())
        while (cmd := c.recv(1024).decode()):
            c.send(json.dumps({cmd: ["/", "/eal/params", "/ethdev/list", "/help", "/info"]
                               if cmd == "/" else None}).encode())
        c.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        r = subprocess.run(["/usr/bin/python3", CTL, "-s", path, "show", "stats"],
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 1
        assert "not icmpfp" in r.stderr, r.stderr
    finally:
        t.join(10)
        srv.close()
