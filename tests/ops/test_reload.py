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

from ifp_harness import assert_conserved
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


def test_reload_under_traffic(tmp_path):
    path = str(tmp_path / "icmpfp.ini")
    with open(path, "w") as f:
        f.write(config())
    with Lab(NS, config=path) as lab:
        p = lab.file_prefix
        assert tel1(p, "/icmpfp/config")["generation"] == 0
        lab.pin_neighbour("192.0.2.1")

        # continuous traffic, 500 pings/s, across two swaps; its output
        # goes to a file (a pipe nobody reads yet would stall ping)
        flood_log = open(tmp_path / "ping.log", "w+")
        flood = subprocess.Popen(["ip", "netns", "exec", lab.ns, "ping", "-c", str(N_FLOOD),
                                  "-i", "0.002", "-W", "2", US],
                                 stdout=flood_log, stderr=subprocess.STDOUT, text=True)
        try:
            wait_for(lambda: tel1(p, "/icmpfp/stats")["answers"]["echo_reply"] > 300, 10,
                     what="traffic before the first swap")
            c = reload(lab, path, config(ttl=77), want_gen=1)
            assert c["icmp"]["reply_ttl"] == 77 and c["reloads_ok"] == 1
            wait_for(lambda: tel1(p, "/icmpfp/stats")["answers"]["echo_reply"] > 1200, 10,
                     what="traffic before the second swap")
            c = reload(lab, path, config(ttl=99, extra_routes="203.0.113.0/24 = mtu 1400\n"),
                       want_gen=2)
            assert c["n_routes"] == 2 and "203.0.113.0/24 = mtu 1400" in c["routes"]
            flood.wait(timeout=60)
        finally:
            if flood.poll() is None:
                flood.kill()
                flood.wait()
        flood_log.seek(0)
        out = flood_log.read()
        flood_log.close()
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
        assert c["last_reload_error"] == f"{path}:{line}: reply_ttl '300' is not 1 to 255", c
        assert f"reload refused: {path}:{line}: reply_ttl '300' is not 1 to 255" in lab.output()
        r = lab.sh("ping", "-c", "20", "-i", "0.01", "-W", "2", US)
        assert received(r.stdout) == (20, 20) and set(t for _, t in replies(r.stdout)) == {99}

        # echo off: pings go unanswered (counted as icmp_disabled); on again
        reload(lab, path, config(ttl=99, echo="off"), want_gen=3)
        r = lab.sh("ping", "-c", "10", "-i", "0.01", "-W", "1", US)
        assert received(r.stdout) == (10, 0), r.stdout
        reload(lab, path, config(ttl=64), want_gen=4)
        r = lab.sh("ping", "-c", "10", "-i", "0.01", "-W", "2", US)
        assert received(r.stdout) == (10, 10), r.stdout

        # a port change needs a restart: logged, the running port stays
        c = reload(lab, path, config(ttl=64, address="192.0.2.77/24"), want_gen=5)
        assert "[port 0] address changed: ports change only with a restart" in lab.output()
        port = tel1(p, "/icmpfp/port,0")
        assert port["addresses"] == ["192.0.2.1/24"]
        r = lab.sh("ping", "-c", "5", "-i", "0.01", "-W", "2", US)
        assert received(r.stdout) == (5, 5), r.stdout

        st = lab.stop()
    assert_conserved(st)
    assert st["answers"]["echo_reply"] == N_FLOOD + 20 + 10 + 5 + 1  # + pin_neighbour's ping
    assert st["dropped"]["icmp_disabled"] == 10
    assert st["dropped"]["tx_full"] == 0 and st["answered"] == st["tx"] - st["originated"]


ROUTE_CONFIG = """[port 0]
address = 192.0.2.1/24

[routes]
198.18.0.0/15 = drop
198.51.100.0/24 = {action}

[ratelimit]
; every probe of this test must be answered
errors_per_sec = 100000
errors_burst = 10000
per_source_per_sec = 100000
per_source_burst = 10000
"""


def traceroute(lab, dst):
    r = lab.sh("traceroute", "-n", "-m", "2", "-q", "3", "-w", "1", dst, timeout=30)
    return r.stdout


def test_route_reload_under_traffic_changes_what_traceroute_sees(tmp_path):
    path = str(tmp_path / "routes.ini")
    with open(path, "w") as f:
        f.write(ROUTE_CONFIG.format(action="unreachable host"))
    with Lab(NS + "x", config=path) as lab:
        p = lab.file_prefix
        out = traceroute(lab, "198.51.100.5")
        assert re.search(r"192\.0\.2\.1 .*!H.*!H.*!H", out), out
        lab.pin_neighbour("192.0.2.1")

        # continuous probes to the route while it changes from host
        # unreachable (3/1) to administratively prohibited (3/13)
        n = 800
        lab.sh("nstat", "-n")  # a failure shows where a lost answer went
        # what reaches the client's link: ping itself may fail to report
        # an error the kernel got (its error queue, under load)
        cap = str(tmp_path / "errors.pcap")
        dump = subprocess.Popen(["ip", "netns", "exec", lab.ns, "dumpcap", "-q", "-s", "256",
                                 "-i", lab.client_if, "-f", "icmp and src 192.0.2.1",
                                 "-w", cap], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        wait_for(lambda: os.path.exists(cap) and os.path.getsize(cap) > 0, 10,
                 what="dumpcap capturing")
        time.sleep(0.3)
        log = open(tmp_path / "ping.log", "w+")
        flood = subprocess.Popen(["ip", "netns", "exec", lab.ns, "ping", "-c", str(n),
                                  "-i", "0.005", "-W", "1", "198.51.100.7"],
                                 stdout=log, stderr=subprocess.STDOUT, text=True)
        try:
            wait_for(lambda: tel1(p, "/icmpfp/stats")["answers"]["unreachable_route"] > 300,
                     10, what="errors before the swap")
            c = reload(lab, path, ROUTE_CONFIG.format(action="prohibited"), want_gen=1)
            assert "198.51.100.0/24 = prohibited" in c["routes"], c
            flood.wait(timeout=60)
        finally:
            if flood.poll() is None:
                flood.kill()
                flood.wait()
            time.sleep(0.5)
            dump.send_signal(signal.SIGINT)
            dump.wait(timeout=10)
        log.seek(0)
        out = log.read()
        log.close()
        # every probe got exactly one error, of one table or the other, and
        # once the new table answered the old one never did again: read on
        # the client's link, in the order they arrived
        flood_id = None
        errs = []
        for e in rdpcap(cap):
            if ICMPerror not in e or e[IPerror].dst != "198.51.100.7":
                continue
            q = e[ICMPerror]
            flood_id = flood_id or q.id
            if q.id == flood_id and q.type == 8:
                errs.append((q.seq, e[ICMP].code))
        seqs = [s for s, _ in errs]
        missing = sorted(set(range(1, n + 1)) - set(seqs))
        assert seqs == list(range(1, n + 1)), (
            f"missing {missing}, duplicated {len(seqs) - len(set(seqs))}: "
            f"{tel1(p, '/icmpfp/stats')}\n{lab.sh('nstat').stdout}\n{out[-500:]}")
        codes = [c for _, c in errs]
        first_new = codes.index(13)  # communication administratively prohibited
        assert first_new > 0
        assert set(codes[:first_new]) == {1}  # host unreachable
        assert set(codes[first_new:]) == {13}
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
