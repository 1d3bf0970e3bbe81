"""icmpfpctl against a real icmpfp (one Lab for every check, to keep CI
short): --json show stats is /icmpfp/stats, show errors lists the
icmp_checksum drops hping3 --badcksum caused, clear makes the shows count
from zero while /icmpfp/stats never falls, show runtime / ports / config /
lpa, a refused reload prints FILE:LINE: reason and the daemon keeps
answering, watch draws under tmux and leaves on q; route get names the
covering route of lab.ini and what the probes earn, show routes counts the
hits of TTL-1 pings and a traceroute, show policy each rule's matches;
trace add, a ping and show trace give the echo and its answer, a bad
checksum traced as dropped icmp_checksum; and the clear errors: no daemon,
a DPDK process that is not icmpfp, not root, a command this icmpfp lacks."""
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
    # show policy: rules the pings of these tests match
    with open(conf, "a") as f:
        f.write("\n[policy]\n192.0.2.0/24 echo = allow\n2001:db8:0:1::/64 echo = allow\n")
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


def fake_telemetry(path, commands, answer=lambda cmd: None):
    """A telemetry socket at path that speaks DPDK's protocol and has only
    commands (answering answer(cmd) to each); returns (thread, server
    socket)."""
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    srv.bind(path)
    srv.listen(1)
    srv.settimeout(10)

    def serve():
        c, _ = srv.accept()
        c.send(json.dumps({"version": "DPDK 22.11", "pid": os.getpid(),
                           "max_output_len": 16384}).encode())
        while (cmd := c.recv(1024).decode()):
            c.send(json.dumps({cmd.split(",")[0]: commands if cmd == "/" else answer(cmd)})
                   .encode())
        c.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return t, srv


def test_a_command_this_icmpfp_lacks_says_so(lab, tmp_path):
    """An older icmpfp: /icmpfp/stats and no more."""
    for args in (["show", "routes"], ["route", "get", "198.51.100.7"], ["show", "policy"]):
        path = str(tmp_path / f"{args[1]}.v2")
        t, srv = fake_telemetry(path, ["/", "/help", "/icmpfp/stats"])
        try:
            r = subprocess.run(["/usr/bin/python3", CTL, "-s", path, *args],
                               capture_output=True, text=True, timeout=30)
        finally:
            t.join(10)
            srv.close()
        assert r.returncode == 1, args
        assert re.match(r"icmpfpctl: this icmpfp does not have /icmpfp/\w+", r.stderr), r.stderr


def conf_line(lab, text):
    """The line of lab.conf that reads text."""
    return lab.conf.read_text().splitlines().index(text) + 1


# (address, its route in lab.ini or None, what TTL 1 earns, what 1500 DF earns)
ROUTE_GET = [
    ("203.0.113.5", "203.0.113.0/24 = mtu 1400", "answered time_exceeded",
     "answered frag_needed"),
    ("198.51.100.7", "198.51.100.0/24 = unreachable host", "answered unreachable_route",
     "answered unreachable_route"),
    ("100.64.0.1", "0.0.0.0/0 = drop", "answered time_exceeded", "dropped transit"),
    ("2001:db8:beef::5", "2001:db8:beef::/48 = mtu 1400", "answered icmp6_time_exceeded",
     "answered icmp6_packet_too_big"),
    ("2001:db8:dead::1", "2001:db8:dead::/48 = unreachable net",
     "answered icmp6_unreachable_route", "answered icmp6_unreachable_route"),
    ("2001:db8:999::1", "::/0 = drop", "answered icmp6_time_exceeded", "dropped transit"),
    ("fe80::5", None, "dropped ip6_dst_link_local", "dropped ip6_dst_link_local"),
]


def test_route_get_names_the_covering_route_and_what_probes_earn(lab):
    for addr, route, ttl1, df1500 in ROUTE_GET:
        r = ctl(lab, "--json", "route", "get", addr)
        assert r.returncode == 0, r.stderr
        j = json.loads(r.stdout)
        assert j == tel1(lab.file_prefix, f"/icmpfp/route,{addr}") | {"hits": j["hits"]}
        got = [f"{j[p]['outcome']} {j[p].get('answer') or j[p].get('reason')}"
               for p in ("ttl1", "df1500")]
        assert got == [ttl1, df1500], (addr, j)
        r = ctl(lab, "route", "get", addr)
        assert r.returncode == 0, r.stderr
        if route is None:
            assert (j["line"], j["prefix"], j["action"]) == (0, "", "none"), j
            assert r.stdout.startswith(f"{addr}: no route"), r.stdout
        else:
            line = conf_line(lab, route)
            assert f"{j['prefix']} = {j['action']}" == route and j["line"] == line, j
            assert j["file"] == str(lab.conf)
            assert f"{addr} via {route}  ({lab.conf}:{line}," in r.stdout, r.stdout
        assert f"TTL / hop limit 1: {ttl1}" in r.stdout, r.stdout
        assert f"1500 bytes, DF: {df1500}" in r.stdout, r.stdout
    r = ctl(lab, "route", "get", US)
    assert r.returncode == 0 and "icmpfp's own address" in r.stdout, r.stdout + r.stderr
    assert json.loads(ctl(lab, "--json", "route", "get", "2001:db8:0:1::1").stdout)[
        "action"] == "local"
    r = ctl(lab, "route", "get", "198.51.100.300")
    assert r.returncode == 1 and "not an IPv4 or IPv6 address" in r.stderr, r.stderr


def routes(lab):
    """{prefix: hits} of show routes --json."""
    r = ctl(lab, "--json", "show", "routes")
    assert r.returncode == 0, r.stderr
    j = json.loads(r.stdout)
    assert j["file"] == str(lab.conf)
    return {x["prefix"]: x for x in j["routes"]}


def test_show_routes_counts_the_hits_of_pings_and_a_traceroute(lab):
    before = routes(lab)
    assert len(before) == tel1(lab.file_prefix, "/icmpfp/routes,0")["n_routes"] == 10
    for pfx, x in before.items():
        assert x["line"] == conf_line(lab, f"{pfx} = {x['action']}"), x
    answers = tel1(lab.file_prefix, "/icmpfp/stats")["answers"]
    # TTL 1: one Time Exceeded each, decided by the route of the
    # destination; a traceroute of three probes to a dropped prefix
    lab.sh("ping", "-c", "3", "-i", "0.2", "-t", "1", "-W", "1", "203.0.113.5", timeout=30)
    lab.sh("ping", "-6", "-c", "2", "-i", "0.2", "-t", "1", "-W", "1", "2001:db8:beef::5",
           timeout=30)
    lab.sh("traceroute", "-n", "-q", "1", "-m", "3", "-w", "1", "198.18.0.1", timeout=30)
    want = {"203.0.113.0/24": 3, "2001:db8:beef::/48": 2, "198.18.0.0/15": 3}
    wait_for(lambda: all(routes(lab)[p]["hits"] - before[p]["hits"] == n
                         for p, n in want.items()), 5, what=f"hits {want}")
    after = routes(lab)
    for p, x in after.items():
        if p not in want:
            assert x["hits"] == before[p]["hits"], (p, x, before[p])
    now = tel1(lab.file_prefix, "/icmpfp/stats")["answers"]
    assert now["time_exceeded"] - answers["time_exceeded"] == 4  # 3 pings, hop 1
    assert now["icmp6_time_exceeded"] - answers["icmp6_time_exceeded"] == 2
    r = ctl(lab, "show", "routes")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].split() == ["line", "prefix", "action", "hits"]
    line = conf_line(lab, "203.0.113.0/24 = mtu 1400")
    assert re.search(rf"^{re.escape(str(lab.conf))}:{line}\s+203\.0\.113\.0/24\s+mtu 1400\s+"
                     rf"{after['203.0.113.0/24']['hits']}$", r.stdout, re.M), r.stdout
    # a reload's new config counts from zero, as the policy's rules do
    # (docs/configuration.md, [routes])
    r = ctl(lab, "reload")
    assert r.returncode == 0, r.stdout + r.stderr
    assert all(x["hits"] == 0 for x in routes(lab).values()), routes(lab)
    lab.sh("ping", "-c", "1", "-t", "1", "-W", "1", "203.0.113.5", timeout=30)
    wait_for(lambda: routes(lab)["203.0.113.0/24"]["hits"] == 1, 5, what="1 hit after reload")


def test_show_routes_reads_every_page(lab, tmp_path):
    """/icmpfp/routes answers 100 routes a page: 250 routes are three."""
    n = 250

    def page(cmd):
        start = int(cmd.split(",")[1])
        idx = range(start, min(n, start + 100))
        return {"file": "/etc/icmpfp/icmpfp.ini", "n_routes": n, "from": start,
                "line": [10 + i for i in idx], "prefix": [f"10.{i}.0.0/16" for i in idx],
                "action": ["drop" for _ in idx], "hits": [i for i in idx]}

    path = str(tmp_path / "routes.v2")
    t, srv = fake_telemetry(path, ["/", "/icmpfp/stats", "/icmpfp/routes"], page)
    try:
        r = subprocess.run(["/usr/bin/python3", CTL, "-s", path, "--json", "show", "routes"],
                           capture_output=True, text=True, timeout=30)
    finally:
        t.join(10)
        srv.close()
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)["routes"]
    assert [x["hits"] for x in rows] == list(range(n))
    assert rows[-1] == {"line": 259, "prefix": "10.249.0.0/16", "action": "drop", "hits": 249}
    # the daemon's own pages: from an index on, and past the end refused
    p = tel1(lab.file_prefix, "/icmpfp/routes,7")
    assert (p["from"], p["n_routes"], len(p["prefix"])) == (7, 10, 3), p
    assert p["prefix"] == ["2001:db8:f00d::/48", "0.0.0.0/0", "::/0"]
    assert tel1(lab.file_prefix, "/icmpfp/routes,10")["prefix"] == []
    assert tel1(lab.file_prefix, "/icmpfp/routes,11") is None


def test_show_policy_shows_each_rule_and_its_counts(lab):
    p0 = tel1(lab.file_prefix, "/icmpfp/policy")
    lab.sh("ping", "-c", "3", "-i", "0.1", "-W", "2", US)
    line = conf_line(lab, "192.0.2.0/24 echo = allow")
    wait_for(lambda: tel1(lab.file_prefix, "/icmpfp/policy")[str(line)]["matched"]
             >= p0[str(line)]["matched"] + 3, 5, what="3 more echoes matched")
    p = tel1(lab.file_prefix, "/icmpfp/policy")
    r = ctl(lab, "--json", "show", "policy")
    assert r.returncode == 0, r.stderr
    j = json.loads(r.stdout)
    assert j["rules"] == 2
    assert [x["text"] for x in j["policy"]] == ["192.0.2.0/24 echo = allow",
                                                "2001:db8:0:1::/64 echo = allow", "default"]
    assert j["policy"][0]["matched"] >= p[str(line)]["matched"]
    r = ctl(lab, "show", "policy")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["line", "rule", "action", "matched", "denied", "limited"]
    assert re.match(rf"{re.escape(str(lab.conf))}:{line}\s+192\.0\.2\.0/24 echo = allow\s+"
                    rf"allow\s+\d+\s+0\s+0$", lines[1]), r.stdout
    assert lines[-1].split()[:2] == ["default", "default"], r.stdout


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
    t, srv = fake_telemetry(path, ["/", "/eal/params", "/ethdev/list", "/help", "/info"])
    try:
        r = subprocess.run(["/usr/bin/python3", CTL, "-s", path, "show", "stats"],
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 1
        assert "not icmpfp" in r.stderr, r.stderr
    finally:
        t.join(10)
        srv.close()
