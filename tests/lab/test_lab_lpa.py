"""Link Property Advertisements with real clients (issue 12):
scripts/icmpfp-lpa.py plays modem 7 in the namespace, traceroute and
tracepath towards 10.20.0.0/16 (behind the modem) see what its LPAs say;
icmpfp-lpa.py listen hears icmpfp's own advertisements, over IPv4 and IPv6,
to the groups and to the client, every interval and after a link event on a
second veth port of icmpfp (which has no IPv6, so says it sends none over
it); tshark decodes the frames; icmpfp hears a modem over IPv6 too. Needs
root. Timings are measured and printed, never asserted: the waits below are
bounds."""
import json
import os
import re
import signal
import subprocess
import tempfile
import time

import pytest

from ifp_harness import ROOT, assert_conserved
from ifp_lab import Lab, eui64_link_local
from ifp_ops import tel1, wait_for

NS = f"ifpl{os.getpid() % 100000}"
US = "192.0.2.1"
CLIENT = "192.0.2.2"
US6 = "2001:db8:0:1::1"
CLIENT6 = "2001:db8:0:1::2"
SAT = "10.20.1.1"
TOOL = os.path.join(ROOT, "scripts", "icmpfp-lpa.py")
PY = "/usr/bin/python3"

CONFIG = f"""; LPA lab: modem 7 is played by the client
[port 0]
address = {US}/24
address6 = {US6}/64
link_local = auto

[port 1]
address = 198.18.7.1/24

[routes]
10.20.0.0/16 = modem 7
0.0.0.0/0 = drop

[lpa]
listen = on
hold = 3
advertise = on
interval = 1
advertise_to = 224.0.0.2, {CLIENT}, ff02::2, {CLIENT6}
"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    cfg = tmp_path_factory.mktemp("lpa") / "icmpfp.ini"
    cfg.write_text(CONFIG)
    with Lab(NS, config=str(cfg), second_port="198.18.7.2/24") as lab:
        lab.sh("ip", "route", "add", "10.20.0.0/16", "via", US, check=True)
        yield lab
        st = lab.stop()
        assert_conserved(st)
        assert st["originated_lost"] == 0


def in_ns(lab, *args, **kw):
    return subprocess.Popen(["ip", "netns", "exec", lab.ns, *args], text=True, **kw)


class Modem:
    """icmpfp-lpa.py send in the namespace, in the background: modem 7."""

    def __init__(self, lab, *args, count=200, period=0.2):
        self.proc = in_ns(lab, PY, TOOL, "send", "--interface", lab.client_if,
                          "--modem", "7", "--count", str(count), "--period", str(period),
                          "--quiet", *args, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=10)


def send_once(lab, *args):
    r = lab.sh(PY, TOOL, "send", "--interface", lab.client_if, "--modem", "7", "--quiet",
               *args, timeout=20)
    assert r.returncode == 0, r.stderr


def modem7(lab):
    return tel1(lab.file_prefix, "/icmpfp/lpa").get(f"7/{CLIENT.replace('.', '_')}")


def hop1(lab):
    r = lab.sh("traceroute", "-n", "-m", "1", "-q", "1", "-w", "1", SAT, timeout=30)
    lines = [ln for ln in r.stdout.splitlines() if ln.strip().startswith("1 ")]
    assert lines, r.stdout
    return lines[0]


def test_traceroute_shows_hop_1_while_the_modem_is_up_and_bang_n_once_it_is_down(lab):
    # never heard: the net behind the modem is unreachable
    assert "!N" in hop1(lab)
    modem = Modem(lab, "--mtu", "1200", "--rate", "2e6", "--min", "1e6", "--max", "8e6")
    try:
        wait_for(lambda: (m := modem7(lab)) and m["state"] == "up", 10, what="modem 7 up")
        r = lab.sh("traceroute", "-n", "-m", "2", "-q", "3", "-w", "1", SAT, timeout=30)
        h1 = [ln for ln in r.stdout.splitlines() if ln.strip().startswith("1 ")]
        assert h1 and US in h1[0] and "!" not in h1[0] and "*" not in h1[0], r.stdout
    finally:
        modem.stop()
    t0 = time.time()
    send_once(lab, "--down")
    # the measured latency: from the modem's "down" to the first !N
    for _ in range(50):
        line = hop1(lab)
        if "!N" in line:
            break
    print(f"\nLPA down -> traceroute !N: {time.time() - t0:.3f} s")
    assert "!N" in line, line
    assert modem7(lab)["state"] == "down"
    assert tel1(lab.file_prefix, "/icmpfp/drops")["lpa_heard"] >= 2
    log = lab.output()
    assert re.search(r"lpa: modem 7 from 192\.0\.2\.2 \(port 0\): unheard -> up, mtu 1200", log)
    assert "lpa: modem 7 from 192.0.2.2 (port 0): up -> down" in log


def test_tracepath_learns_the_modems_mtu(lab):
    modem = Modem(lab, "--mtu", "1200", "--rate", "2e6")
    try:
        wait_for(lambda: (m := modem7(lab)) and m["state"] == "up", 10, what="modem 7 up")
        r = lab.sh("tracepath", "-n", "-m", "3", SAT, timeout=30)
    finally:
        modem.stop()
        send_once(lab, "--down")
    assert "pmtu 1200" in r.stdout, r.stdout


def listen(lab, seconds):
    """icmpfp-lpa.py listen in the namespace for a while: the datagrams
    heard, as dicts."""
    p = in_ns(lab, PY, TOOL, "listen", "--interface", lab.client_if, "--json", "--timeout",
              str(seconds), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p


def heard(p):
    out, err = p.communicate(timeout=60)
    return [json.loads(ln) for ln in out.splitlines() if ln.startswith("{")]


def test_icmpfp_advertises_its_ports_every_interval_to_the_group_and_the_client(lab):
    got = heard(listen(lab, 3.5))
    ours = [d for d in got if d["source"] == US]
    group = [d for d in ours if d["destination"] == "224.0.0.2"]
    unicast = [d for d in ours if d["destination"] == CLIENT]
    assert len(group) >= 2 and len(unicast) >= 2, got
    # the client's MAC came from its ARP reply, passed on by a worker
    assert tel1(lab.file_prefix, "/icmpfp/drops")["lpa_neighbour"] >= 1
    times = [d["time"] for d in group]
    print("\nLPA interval (s):", [round(b - a, 3) for a, b in zip(times, times[1:])])
    for d in ours:
        assert d["malformed"] is None and d["sport"] == 7575
        b = {x["modem"]: x for x in d["blocks"]}
        assert set(b) == {1, 2}, d
        assert b[1]["up"] and b[2]["up"]
        assert b[1]["mtu"] == 1500 and b[1]["modem_ip"] == US
        assert b[2]["modem_ip"] == "198.18.7.1"
        # af_packet says 10 Gbit/s: more than the format's 32 bits hold
        assert b[1]["rate"] == [0xffffffff] * 3
        assert b[1]["direction"] == "out" and b[1]["bidirectional"]


def check_blocks(d):
    """Both ports described, as the IPv4 LPAs describe them."""
    assert d["malformed"] is None and d["sport"] == 7575, d
    b = {x["modem"]: x for x in d["blocks"]}
    assert set(b) == {1, 2}, d
    assert b[1]["modem_ip"] == US and b[2]["modem_ip"] == "198.18.7.1"
    assert b[1]["mtu"] == 1500 and b[1]["rate"] == [0xffffffff] * 3


def test_icmpfp_advertises_over_ipv6_every_interval_to_ff02_2_and_the_client(lab):
    ll = eui64_link_local(lab.host_mac())
    got = heard(listen(lab, 3.5))
    group = [d for d in got if d["destination"] == "ff02::2"]
    unicast = [d for d in got if d["destination"] == CLIENT6]
    # a link-scope group from the link-local, the client from the address6
    assert len(group) >= 2 and all(d["source"] == ll for d in group), got
    assert len(unicast) >= 2 and all(d["source"] == US6 for d in unicast), got
    times = [d["time"] for d in group]
    print("\nLPA interval over IPv6 (s):", [round(b - a, 3) for a, b in zip(times, times[1:])])
    for d in group + unicast:
        check_blocks(d)
    # the client's MAC came from its neighbour advertisement, answering
    # the main lcore's solicitation, passed on by a worker
    st = tel1(lab.file_prefix, "/icmpfp/stats")["lpa"]
    assert st["adv_ns_requests"] >= 1
    assert tel1(lab.file_prefix, "/icmpfp/drops")["lpa_neighbour"] >= 2
    # port 1 has no IPv6: it sends none to the group, counts that and says
    # so once; the client is not on its link, as over IPv4
    assert st["adv_no_source"] >= 2
    log = lab.output()
    line = "lpa: port 1 has no IPv6 (no address6, no link_local): no LPA to {} from it"
    assert log.count(line.format("ff02::2")) == 1, log
    assert line.format(CLIENT6) not in log


def test_a_link_down_on_port_1_is_announced_on_port_0(lab):
    p = listen(lab, 6)
    time.sleep(0.5)
    t_down = time.time()
    subprocess.run(["ip", "link", "set", lab.host_if2, "down"], check=True)
    time.sleep(2.0)
    t_up = time.time()
    subprocess.run(["ip", "link", "set", lab.host_if2, "up"], check=True)
    all_heard = heard(p)

    def state_at(d):
        return {x["modem"]: x["up"] for x in d["blocks"]}[2]

    # over IPv4 and over IPv6 alike
    for group in ("224.0.0.2", "ff02::2"):
        got = [d for d in all_heard if d["destination"] == group]
        down = [d for d in got if d["time"] > t_down and not state_at(d)]
        up = [d for d in got if d["time"] > t_up and state_at(d)]
        assert down and up, (group, [(round(d["time"] - t_down, 3), state_at(d))
                                     for d in got])
        print(f"\n{group}: link down -> LPA: {down[0]['time'] - t_down:.3f} s; "
              f"link up -> LPA: {up[0]['time'] - t_up:.3f} s")
    st = tel1(lab.file_prefix, "/icmpfp/stats")["lpa"]
    assert st["adv_event_rounds"] >= 2
    port = tel1(lab.file_prefix, "/icmpfp/port,1")
    assert port["link_down_events"] >= 1 and port["link_up_events"] >= 1
    assert port["link_events_by"] == "polling the kernel interface"


def test_tshark_decodes_the_lpa_frames_with_good_udp_checksums(lab):
    with tempfile.TemporaryDirectory() as d:
        cap = os.path.join(d, "lpa.pcap")
        os.chmod(d, 0o777)
        modem = Modem(lab, "--mtu", "1200", count=10, period=0.2)
        try:
            r = lab.sh("tshark", "-q", "-i", lab.client_if, "-f", "udp port 7575",
                       "-a", "duration:3", "-w", cap, timeout=30)
        finally:
            modem.stop()
        assert os.path.exists(cap), r.stderr
        r = subprocess.run(["tshark", "-r", cap, "-o", "udp.check_checksum:TRUE",
                            "-T", "fields", "-e", "ip.src", "-e", "ip.dst", "-e",
                            "udp.srcport", "-e", "udp.dstport", "-e", "udp.length",
                            "-e", "udp.checksum.status", "-Y", "ip"],
                           capture_output=True, text=True, timeout=60, check=True)
        r6 = subprocess.run(["tshark", "-r", cap, "-o", "udp.check_checksum:TRUE",
                             "-T", "fields", "-e", "ipv6.src", "-e", "ipv6.dst", "-e",
                             "ipv6.hlim", "-e", "ipv6.tclass", "-e", "udp.srcport", "-e",
                             "udp.dstport", "-e", "udp.length", "-e", "udp.checksum.status",
                             "-Y", "ipv6"],
                            capture_output=True, text=True, timeout=60, check=True)
    rows = [ln.split("\t") for ln in r.stdout.splitlines() if ln]
    rows6 = [ln.split("\t") for ln in r6.stdout.splitlines() if ln]
    ll = eui64_link_local(lab.host_mac())
    ours6 = [x for x in rows6 if x[0] in (ll, US6)]
    assert {x[1] for x in ours6} == {"ff02::2", CLIENT6}, rows6
    for src, dst, hlim, tclass, sport, dport, ulen, status in ours6:
        assert (src, dst) in ((ll, "ff02::2"), (US6, CLIENT6))
        assert (hlim, tclass, sport, dport) == ("1", "0x000000c0", "7575", "7575")
        assert ulen == str(8 + 2 * 32)
        assert status == "1", "tshark: UDP checksum good (mandatory over IPv6)"
    ours = [x for x in rows if x[0] == US]
    theirs = [x for x in rows if x[0] == CLIENT]
    assert ours and theirs, rows
    for src, dst, sport, dport, ulen, status in ours:
        assert (sport, dport) == ("7575", "7575") and dst in ("224.0.0.2", CLIENT)
        # two ports: two Rate Blocks
        assert ulen == str(8 + 2 * 32)
        assert status == "1", "tshark: UDP checksum good"
    for row in theirs:
        assert row[5] in ("1", "2"), row  # good, or not checked (offloaded)


def test_icmpfp_hears_a_modem_over_ipv6_by_group_and_by_unicast(lab):
    client_ll = lab.sh("ip", "-6", "-o", "addr", "show", "dev", lab.client_if, "scope", "link")
    ll = client_ll.stdout.split("inet6 ")[1].split("/")[0]
    for modem, mtu, to in (("61", "1280", "ff02::2"), ("62", "1400", US6)):
        r = lab.sh(PY, TOOL, "send", "--interface", lab.client_if, "--modem", modem,
                   "--mtu", mtu, "--to", to, "--quiet", timeout=20)
        assert r.returncode == 0, r.stderr

    def sixes():
        return {(m["modem"], m["source"]): m for m in tel1(lab.file_prefix, "/icmpfp/lpa").values()
                if m["modem"] in (61, 62)}
    wait_for(lambda: len(sixes()) == 2, 10, what="modems 61 and 62")
    m = sixes()
    # to the group from the client's link-local, to us from its address6
    assert set(m) == {(61, ll), (62, CLIENT6)}, m
    assert m[(61, ll)]["mtu"] == 1280 and m[(62, CLIENT6)]["mtu"] == 1400
    assert all(x["state"] == "up" for x in m.values())
