"""Real clients against icmpfp through the veth lab, for the answers of
issue 3: hping3 timestamps, traceroute (UDP and ICMP), !H, tracepath's PMTU,
traceroute -e's RFC 5837 object, and ping -s 4000. Needs root."""
import os
import re
import time

import pytest

from ifp_harness import ROOT, assert_conserved
from ifp_lab import Lab

NS = f"ifpa{os.getpid() % 100000}"
US = "192.0.2.1"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    cfg = tmp_path_factory.mktemp("lab") / "icmpfp.ini"
    with open(os.path.join(ROOT, "scripts", "lab.ini")) as f:
        text = f.read()
    cfg.write_text(text.replace("reply_ttl = 64", "reply_ttl = 64\nextensions = on"))
    with Lab(NS, config=str(cfg)) as lab:
        yield lab
        st = lab.stop()
        assert_conserved(st)
        assert st["answers"]["time_exceeded"] >= 9
        assert st["answers"]["timestamp_reply"] == 3


def test_hping3_gets_timestamp_replies(lab):
    r = lab.sh("hping3", "--icmp", "--icmptype", "13", "-c", "3", "-i", "u200000", US, timeout=30)
    out = r.stdout + r.stderr
    stamps = re.findall(r"Originate=(\d+) Receive=(\d+) Transmit=(\d+)", out)
    assert len(stamps) == 3, out
    now_ms = int(time.time() * 1000) % 86400000
    for _orig, rx, tx in stamps:
        assert abs(int(rx) - now_ms) < 60000 and int(tx) >= int(rx), stamps


@pytest.mark.parametrize("args", [["-n"], ["-I", "-n"]])
def test_traceroute_shows_icmpfp_at_hop_1(lab, args):
    r = lab.sh("traceroute", *args, "-m", "2", "-q", "3", "-w", "1", "198.18.0.1", timeout=30)
    hop1 = [l for l in r.stdout.splitlines() if l.strip().startswith("1 ")]
    assert hop1 and US in hop1[0] and "*" not in hop1[0], r.stdout


def test_traceroute_to_an_unreachable_host_route_prints_bang_h(lab):
    r = lab.sh("traceroute", "-n", "-m", "3", "-w", "1", "198.51.100.5", timeout=30)
    assert re.search(r"192\.0\.2\.1 .*!H.*!H.*!H", r.stdout), r.stdout


def test_tracepath_learns_pmtu_1400(lab):
    r = lab.sh("tracepath", "-n", "-m", "3", "203.0.113.9", timeout=30)
    assert "pmtu 1400" in r.stdout, r.stdout


def test_traceroute_e_shows_the_rfc5837_interface_object(lab):
    r = lab.sh("traceroute", "-e", "-n", "-m", "1", "-w", "1", "198.18.0.1", timeout=30)
    # class 2 (interface information), C-Type 15; ifIndex 1, AFI 1, 192.0.2.1
    assert re.search(r"<2/15:00000001,00010000,c0000201,", r.stdout), r.stdout


def test_ping_s_4000_is_answered(lab):
    r = lab.sh("ping", "-c", "5", "-i", "0.05", "-W", "2", "-s", "4000", US, timeout=30)
    assert " 0% packet loss" in r.stdout, r.stdout
