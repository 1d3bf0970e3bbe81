"""SIGHUP live reload under continuous traffic: [icmp] changes take effect
without a lost or mis-answered ping, a broken file is refused with
file:line:reason and the running config stays, [port N] changes are
logged as needing a restart, and the counters add up at the end."""
import os
import re
import signal
import subprocess
import time

from scapy.all import ICMP, ICMPerror, IPerror, rdpcap
from scapy.layers.inet6 import ICMPv6DestUnreach, IPerror6

from ifp_harness import ROOT, assert_conserved
from ifp_lab import Lab
from ifp_ops import tel1, wait_for

NS = f"ifp4r{os.getpid() % 10000}"
US = "192.0.2.1"
N_FLOOD = 2000


def config(ttl=64, echo="on", address="192.0.2.1/24", extra_routes=""):
    return f"""; icmpfp reload test
[port 0]
address = {address}

[icmp]
echo = {echo}
reply_ttl = {ttl}

[routes]
198.51.100.0/24 = unreachable host
{extra_routes}
[ratelimit]
errors_per_sec = 500
"""


def reload(lab, path, text, want_gen=None, want_failed=None):
    with open(path, "w") as f:
        f.write(text)
    lab.signal(signal.SIGHUP)
    if want_gen is not None:
        return wait_for(lambda: (c := tel1(lab.file_prefix, "/icmpfp/config"))["generation"]
                        == want_gen and c, 10, what=f"generation {want_gen}")
    return wait_for(lambda: (c := tel1(lab.file_prefix, "/icmpfp/config"))["reloads_failed"]
                    == want_failed and c, 10, what=f"{want_failed} refused reloads")


def replies(out):
    """[(icmp_seq, ttl)] of the echo replies ping printed, in order."""
    return [(int(s), int(t)) for s, t in re.findall(r"icmp_seq=(\d+) ttl=(\d+)", out)]


def received(out):
    m = re.search(r"(\d+) packets transmitted, (\d+) (?:packets )?received", out)
    assert m, out
    return int(m.group(1)), int(m.group(2))


class Flood:
    """ping in the client namespace, in the background, for the length of a
    with block that waits for it to end; its output goes to a file (a pipe
    nobody reads yet would stall ping) and is .out afterwards."""

    def __init__(self, lab, tmp_path, *args):
        self.log = open(tmp_path / "ping.log", "w+")
        self.proc = subprocess.Popen(["ip", "netns", "exec", lab.ns, "ping", *args],
                                     stdout=self.log, stderr=subprocess.STDOUT, text=True)
        self.out = None

    def __enter__(self):
        return self

    def __exit__(self, exc, *_):
        try:
            if exc is None:
                self.proc.wait(timeout=60)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.log.seek(0)
            self.out = self.log.read()
            self.log.close()
        return False


def test_reload_under_traffic(tmp_path):
    path = str(tmp_path / "icmpfp.ini")
    with open(path, "w") as f:
        f.write(config())
    with Lab(NS, config=path) as lab:
        p = lab.file_prefix
        assert tel1(p, "/icmpfp/config")["generation"] == 0
        lab.pin_neighbour("192.0.2.1")

        # continuous traffic, 500 pings/s, across two swaps
        with Flood(lab, tmp_path, "-c", str(N_FLOOD), "-i", "0.002", "-W", "2", US) as flood:
            wait_for(lambda: tel1(p, "/icmpfp/stats")["answers"]["echo_reply"] > 300, 10,
                     what="traffic before the first swap")
            c = reload(lab, path, config(ttl=77), want_gen=1)
            assert c["icmp"]["reply_ttl"] == 77 and c["reloads_ok"] == 1
            wait_for(lambda: tel1(p, "/icmpfp/stats")["answers"]["echo_reply"] > 1200, 10,
                     what="traffic before the second swap")
            c = reload(lab, path, config(ttl=99, extra_routes="203.0.113.0/24 = mtu 1400\n"),
                       want_gen=2)
            assert c["n_routes"] == 2 and "203.0.113.0/24 = mtu 1400" in c["routes"]
        out = flood.out
        assert received(out) == (N_FLOOD, N_FLOOD), out
        assert "DUP" not in out and "wrong data" not in out.lower(), out
        seen = replies(out)
        assert [s for s, _ in seen] == list(range(1, N_FLOOD + 1))
        ttls = [t for _, t in seen]
        # each reply is wholly of one config, and configs never come back:
        # 64... then 77... then 99...
        assert set(ttls) == {64, 77, 99}, set(ttls)
        assert ttls == sorted(ttls), "a reply of an older config after a newer one"

        # a broken file is refused with file:line:reason, the running config stays
        broken = config(ttl=99).replace("reply_ttl = 99", "reply_ttl = 300")
        line = broken.splitlines().index("reply_ttl = 300") + 1
        c = reload(lab, path, broken, want_failed=1)
        assert c["generation"] == 2 and c["icmp"]["reply_ttl"] == 99
        assert c["last_reload_error"] == f"{path}:{line}: reply_ttl '300' must be 1 to 255", c
        assert f"reload refused: {path}:{line}: reply_ttl '300' must be 1 to 255" in lab.output()
        r = lab.sh("ping", "-c", "20", "-i", "0.01", "-W", "2", US)
        assert received(r.stdout) == (20, 20) and set(t for _, t in replies(r.stdout)) == {99}

        # echo off: pings go unanswered (counted as icmp_disabled); on again
        reload(lab, path, config(ttl=99, echo="off"), want_gen=3)
        r = lab.sh("ping", "-c", "10", "-i", "0.01", "-W", "1", US)
        assert received(r.stdout) == (10, 0), r.stdout
        c = reload(lab, path, config(ttl=64), want_gen=4)
        assert c["restart_pending"] == "", c
        r = lab.sh("ping", "-c", "10", "-i", "0.01", "-W", "2", US)
        assert received(r.stdout) == (10, 10), r.stdout

        # a port change needs a restart: logged, shown as restart_pending,
        # the running port stays
        c = reload(lab, path, config(ttl=64, address="192.0.2.77/24"), want_gen=5)
        assert "[port 0] address changed: ports change only with a restart" in lab.output()
        assert c["restart_pending"] == "[port 0] address", c
        assert c["last_reload_error"] == ""
        port = tel1(p, "/icmpfp/port,0")
        assert port["addresses"] == ["192.0.2.1/24"]
        r = lab.sh("ping", "-c", "5", "-i", "0.01", "-W", "2", US)
        assert received(r.stdout) == (5, 5), r.stdout
        # the file back as the ports run: nothing pending any more
        c = reload(lab, path, config(ttl=64), want_gen=6)
        assert c["restart_pending"] == "", c

        st = lab.stop()
    assert_conserved(st)
    assert st["answers"]["echo_reply"] == N_FLOOD + 20 + 10 + 5 + 1  # + pin_neighbour's ping
    assert st["dropped"]["icmp_disabled"] == 10
    assert st["dropped"]["tx_full"] == 0 and st["answered"] == st["tx"] - st["originated"]


OPEN_LIMITS = """[ratelimit]
; every probe of these tests must be answered
errors_per_sec = 100000
errors_burst = 10000
per_source_per_sec = 100000
per_source_burst = 10000
"""

ROUTE_CONFIG = """[port 0]
address = 192.0.2.1/24

[routes]
198.18.0.0/15 = drop
198.51.100.0/24 = {action}

""" + OPEN_LIMITS


def traceroute(lab, dst):
    r = lab.sh("traceroute", "-n", "-m", "2", "-q", "3", "-w", "1", dst, timeout=30)
    return r.stdout


def probes_across_a_swap(lab, tmp_path, path, dst, kind, new_text, route, us, old, new,
                         n=800, v6=False):
    """n pings (5 ms apart) to dst while the file changes its route to
    new_text (route: the line /icmpfp/config must then show). Read on the
    client's link, in the order they arrived (ping itself may fail to
    report an error its kernel got, under load): every probe got exactly
    one Destination Unreachable, code old until the new table answered and
    code new after. Returns ping's output."""
    p = lab.file_prefix
    lab.sh("nstat", "-n")  # a failure shows where a lost answer went
    cap = str(tmp_path / "errors.pcap")
    dump = subprocess.Popen(["ip", "netns", "exec", lab.ns, "dumpcap", "-q", "-s", "256",
                             "-i", lab.client_if, "-f",
                             f"{'icmp6' if v6 else 'icmp'} and src {us}", "-w", cap],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: os.path.exists(cap) and os.path.getsize(cap) > 0, 10,
                 what="dumpcap capturing")
        time.sleep(0.3)
        with Flood(lab, tmp_path, *(["-6"] if v6 else []), "-c", str(n), "-i", "0.005",
                   "-W", "1", dst) as flood:
            wait_for(lambda: tel1(p, "/icmpfp/stats")["answers"][kind] > 300,
                     10, what="errors before the swap")
            c = reload(lab, path, new_text, want_gen=1)
            assert route in c["routes"], c
    finally:
        time.sleep(0.5)
        dump.send_signal(signal.SIGINT)
        dump.wait(timeout=10)
    out = flood.out
    quoted, unreach = (IPerror6, ICMPv6DestUnreach) if v6 else (IPerror, ICMP)
    flood_id = None
    errs = []
    for e in rdpcap(cap):
        if quoted not in e or e[quoted].dst != dst:
            continue
        q = e[quoted].payload if v6 else e[ICMPerror]
        flood_id = flood_id or q.id
        if q.id == flood_id and q.type in (8, 128):
            errs.append((q.seq, e[unreach].code))
    seqs = [s for s, _ in errs]
    missing = sorted(set(range(1, n + 1)) - set(seqs))
    # a probe the client's own kernel discarded on output (IpOutDiscards:
    # its qdisc or neighbour queue full on a loaded machine) never reached
    # icmpfp: every probe that left got exactly one error, in order
    stat = lab.sh("nstat").stdout
    discarded = sum(int(v) for v in re.findall(
        r"^Ip6?OutDiscards\s+(\d+)", stat, re.M))
    assert seqs == sorted(set(seqs)) and len(missing) <= discarded, (
        f"missing {missing}, duplicated {len(seqs) - len(set(seqs))}, "
        f"discarded by the client {discarded}: "
        f"{tel1(p, '/icmpfp/stats')}\n{stat}\n{out[-500:]}")
    codes = [c for _, c in errs]
    first_new = codes.index(new)
    assert first_new > 0
    assert set(codes[:first_new]) == {old}
    assert set(codes[first_new:]) == {new}
    return out


def test_route_reload_under_traffic_changes_what_traceroute_sees(tmp_path):
    path = str(tmp_path / "routes.ini")
    with open(path, "w") as f:
        f.write(ROUTE_CONFIG.format(action="unreachable host"))
    with Lab(NS + "x", config=path) as lab:
        out = traceroute(lab, "198.51.100.5")
        assert re.search(r"192\.0\.2\.1 .*!H.*!H.*!H", out), out
        lab.pin_neighbour("192.0.2.1")

        # continuous probes to the route while it changes from host
        # unreachable (3/1) to administratively prohibited (3/13)
        n = 800
        out = probes_across_a_swap(lab, tmp_path, path, "198.51.100.7", "unreachable_route",
                                   ROUTE_CONFIG.format(action="prohibited"),
                                   "198.51.100.0/24 = prohibited", "192.0.2.1", 1, 13, n=n)
        # and ping saw the two kinds too
        assert "Destination Host Unreachable" in out and "Packet filtered" in out, out[-500:]

        out = traceroute(lab, "198.51.100.5")
        assert re.search(r"192\.0\.2\.1 .*!X.*!X.*!X", out), out

        # a broken [routes] is refused: the prohibited route stays
        broken = ROUTE_CONFIG.format(action="unreachable nowhere")
        line = broken.splitlines().index("198.51.100.0/24 = unreachable nowhere") + 1
        c = reload(lab, path, broken, want_failed=1)
        assert c["last_reload_error"].startswith(f"{path}:{line}: unreachable 'nowhere'"), c
        assert c["generation"] == 1
        out = traceroute(lab, "198.51.100.5")
        assert re.search(r"192\.0\.2\.1 .*!X.*!X.*!X", out), out

        # the route removed: hop 1 is icmpfp's Time Exceeded, then silence
        reload(lab, path, ROUTE_CONFIG.replace("198.51.100.0/24 = {action}\n", ""),
               want_gen=2)
        out = traceroute(lab, "198.51.100.5")
        assert re.search(r"^ 1\s+192\.0\.2\.1 ", out, re.M) and "!" not in out, out
        assert re.search(r"^ 2\s+\* \* \*", out, re.M), out

        st = lab.stop()
    assert_conserved(st)
    assert st["ratelimited"] == 0
    assert st["answers"]["unreachable_route"] >= n + 9
    assert st["answers"]["time_exceeded"] >= 3


ROUTE6_CONFIG = """[port 0]
address = 192.0.2.1/24
address6 = 2001:db8:0:1::1/64

[routes]
2001:db8:cafe::/48 = drop
2001:db8:dead::/48 = {action}
0.0.0.0/0 = drop

""" + OPEN_LIMITS


def test_ipv6_route_reload_under_traffic_changes_what_ping_sees(tmp_path):
    """The IPv6 table (rte_lpm6) is built aside and freed with RCU like the
    IPv4 one: under 200 probes/s, every probe gets exactly one error, of
    the old route or the new, never the old after the new."""
    path = str(tmp_path / "routes6.ini")
    with open(path, "w") as f:
        f.write(ROUTE6_CONFIG.format(action="unreachable host"))
    with Lab(NS + "6", config=path) as lab:
        p = lab.file_prefix
        c = tel1(p, "/icmpfp/config")
        assert "2001:db8:dead::/48 = unreachable host" in c["routes"], c
        assert "2001:db8:cafe::/48 = drop" in c["routes"] and c["n_routes"] == 3, c
        lab.pin_neighbour("2001:db8:0:1::1")

        # from address unreachable (1/3) to administratively prohibited (1/1)
        n = 800
        out = probes_across_a_swap(lab, tmp_path, path, "2001:db8:dead::7",
                                   "icmp6_unreachable_route",
                                   ROUTE6_CONFIG.format(action="prohibited"),
                                   "2001:db8:dead::/48 = prohibited", "2001:db8:0:1::1", 3, 1,
                                   n=n, v6=True)
        assert "Address unreachable" in out and "Administratively prohibited" in out, \
            out[-500:]

        # a bad IPv6 route is refused at its line: the running table stays
        broken = ROUTE6_CONFIG.format(action="mtu 1279")
        line = broken.splitlines().index("2001:db8:dead::/48 = mtu 1279") + 1
        c = reload(lab, path, broken, want_failed=1)
        assert c["last_reload_error"].startswith(f"{path}:{line}: mtu '1279' must be 1280"), c
        assert c["generation"] == 1
        r = lab.sh("ping", "-6", "-c", "3", "-i", "0.05", "-W", "1", "2001:db8:dead::7")
        assert r.stdout.count("Administratively prohibited") == 3, r.stdout

        # the route removed: what ::/0's absence gives, Time Exceeded at hop 1
        reload(lab, path, ROUTE6_CONFIG.replace("2001:db8:dead::/48 = {action}\n", ""),
               want_gen=2)
        r = lab.sh("traceroute", "-6", "-n", "-m", "2", "-q", "3", "-w", "1",
                   "2001:db8:dead::5", timeout=30)
        assert re.search(r"^ 1\s+2001:db8:0:1::1 ", r.stdout, re.M) and "!" not in r.stdout, \
            r.stdout
        st = lab.stop()
    assert_conserved(st)
    assert st["ratelimited"] == 0
    assert st["answers"]["icmp6_unreachable_route"] >= n + 3
    assert st["answers"]["icmp6_time_exceeded"] >= 3


def test_a_dual_stack_reload_keeps_the_tables_whose_prefixes_did_not_change(tmp_path):
    """scripts/lab.ini routes both families: two tables of 64 MiB each
    (rte_lpm's and rte_lpm6's first level). A reload that changes actions
    only, or nothing, keeps them; with --no-huge -m 256 there is no room
    for a second pair, so without that every such reload would be refused
    for want of memory."""
    path = str(tmp_path / "lab.ini")
    with open(os.path.join(ROOT, "scripts", "lab.ini")) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text)
    with Lab(NS + "k", config=path) as lab:
        for gen in (1, 2, 3):
            c = reload(lab, path, text, want_gen=gen)
        assert c["reloads_failed"] == 0 and c["n_routes"] == 10, c
        changed = (text.replace("2001:db8:dead::/48 = unreachable net",
                                "2001:db8:dead::/48 = unreachable host")
                   .replace("198.51.100.0/24 = unreachable host", "198.51.100.0/24 = prohibited"))
        c = reload(lab, path, changed, want_gen=4)
        assert "2001:db8:dead::/48 = unreachable host" in c["routes"], c
        r = lab.sh("traceroute", "-6", "-n", "-m", "2", "-w", "1", "2001:db8:dead::5", timeout=30)
        assert re.search(r"2001:db8:0:1::1 .*!H", r.stdout), r.stdout
        r = lab.sh("traceroute", "-n", "-m", "2", "-w", "1", "198.51.100.5", timeout=30)
        assert re.search(r"192\.0\.2\.1 .*!X", r.stdout), r.stdout
        st = lab.stop()
    assert_conserved(st)
