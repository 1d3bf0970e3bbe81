"""Real IPv6 clients routed through icmpfp (issue 11), on scripts/lab.ini's
IPv6 routes (the client routes 2001:db8:cafe::/48, dead::/48, beef::/48
and f00d::/48 via 2001:db8:0:1::1): traceroute -6 (UDP and ICMP) shows
icmpfp at hop 1, !N from `unreachable net`, !X from `prohibited`; tracepath
-6 learns pmtu 1400 and ping -6 -M do gets "Packet too big: mtu=1400" from
`mtu 1400`; traceroute -6 -e prints the RFC 5837 object. The kernel of
icmpfp's veth end has IPv6 disabled, so every answer is icmpfp's. Needs
root."""
import os
import re

import pytest

from ifp_harness import ROOT, assert_conserved
from ifp_lab import Lab

NS = f"ifp6t{os.getpid() % 10000}"
US6 = "2001:db8:0:1::1"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    cfg = tmp_path_factory.mktemp("lab6") / "icmpfp.ini"
    with open(os.path.join(ROOT, "scripts", "lab.ini")) as f:
        text = f.read()
    # every probe of these tests is answered: the three of a traceroute
    # hop come at once, and one test follows another within milliseconds
    cfg.write_text(text + "\n[icmp6]\nextensions = on\n"
                   "[ratelimit]\nper_source_burst = 50\nper_source_per_sec = 1000\n")
    with Lab(NS, config=str(cfg)) as lab:
        yield lab
        st = lab.stop()
        assert_conserved(st)
        assert st["ratelimited"] == 0
        assert st["answers"]["icmp6_time_exceeded"] >= 3 + 3 + 3 + 1
        assert st["answers"]["icmp6_unreachable_route"] >= 6
        assert st["answers"]["icmp6_packet_too_big"] >= 2


def hop1(out):
    lines = [ln for ln in out.splitlines() if ln.strip().startswith("1 ")]
    assert lines, out
    return lines[0]


def forget_pmtu(lab):
    """The client's route cache keeps a learned path MTU: forget it, so
    that each test meets the Packet Too Big itself."""
    lab.sh("ip", "-6", "route", "flush", "cache", check=True)


@pytest.mark.parametrize("args", [["-n"], ["-I", "-n"]])
def test_traceroute6_shows_icmpfp_at_hop_1(lab, args):
    r = lab.sh("traceroute", "-6", *args, "-m", "2", "-q", "3", "-w", "1",
               "2001:db8:cafe::1", timeout=30)
    line = hop1(r.stdout)
    assert US6 in line and "*" not in line and "!" not in line, r.stdout
    assert re.search(r"^ 2\s+\* \* \*", r.stdout, re.M), r.stdout


def test_traceroute6_to_an_unreachable_net_prints_bang_n(lab):
    r = lab.sh("traceroute", "-6", "-n", "-m", "3", "-w", "1", "2001:db8:dead::5", timeout=30)
    assert re.search(r"2001:db8:0:1::1 .*!N.*!N.*!N", r.stdout), r.stdout


def test_traceroute6_to_a_prohibited_prefix_prints_bang_x(lab):
    r = lab.sh("traceroute", "-6", "-n", "-m", "3", "-w", "1", "2001:db8:f00d::5", timeout=30)
    assert re.search(r"2001:db8:0:1::1 .*!X.*!X.*!X", r.stdout), r.stdout


def test_tracepath6_learns_pmtu_1400(lab):
    forget_pmtu(lab)
    r = lab.sh("tracepath", "-6", "-n", "-m", "3", "2001:db8:beef::9", timeout=30)
    assert re.search(r"2001:db8:0:1::1 .*pmtu 1400", r.stdout), r.stdout
    assert "Resume: pmtu 1400" in r.stdout, r.stdout


def test_ping6_with_dont_fragment_through_mtu_1400_gets_packet_too_big(lab):
    forget_pmtu(lab)
    r = lab.sh("ping", "-6", "-c", "2", "-i", "0.2", "-W", "2", "-s", "1452", "-M", "do",
               "2001:db8:beef::9")
    assert "From 2001:db8:0:1::1 icmp_seq=1 Packet too big: mtu=1400" in r.stdout, r.stdout
    # the kernel learned it: the second one is refused before it leaves
    assert "message too long, mtu: 1400" in r.stdout + r.stderr, r.stdout + r.stderr
    route = lab.sh("ip", "-6", "route", "get", "2001:db8:beef::9").stdout
    assert "mtu 1400" in route, route


def test_traceroute6_e_shows_the_rfc5837_interface_object(lab):
    r = lab.sh("traceroute", "-6", "-e", "-n", "-m", "1", "-w", "1", "2001:db8:cafe::1",
               timeout=30)
    # class 2 (interface information), C-Type 15; ifIndex 1, AFI 2, the
    # error's source 2001:db8:0:1::1, then the name and the MTU (1500)
    assert re.search(r"<2/15:00000001,00020000,20010db8,00000001,00000000,00000001,"
                     r"[0-9a-f,]+,000005dc>", hop1(r.stdout)), r.stdout
