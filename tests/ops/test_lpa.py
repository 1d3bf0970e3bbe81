"""The operator's view of Link Property Advertisements: /icmpfp/lpa and the
exporter show the modem the client plays, with the rates it sent
(promtool check metrics passes); [lpa] changes with SIGHUP like the rest of
the file, and a refused [lpa] leaves the running one."""
import os
import re
import shutil
import signal
import subprocess

from ifp_harness import ROOT, assert_conserved
from ifp_lab import Lab
from ifp_ops import tel1, wait_for
from test_exporter import Exporter, curl_metrics, samples, total

NS = f"ifp4l{os.getpid() % 10000}"
TOOL = os.path.join(ROOT, "scripts", "icmpfp-lpa.py")
CLIENT = "192.0.2.2"
KEY = f"7/{CLIENT.replace('.', '_')}"


def config(listen="on", hold=5, extra=""):
    return f"""; LPA ops test
[port 0]
address = 192.0.2.1/24

[routes]
10.20.0.0/16 = modem 7

[lpa]
listen = {listen}
hold = {hold}
{extra}"""


def play(lab, *args):
    r = lab.sh("/usr/bin/python3", TOOL, "send", "--interface", lab.client_if, "--modem", "7",
               "--quiet", *args, timeout=20)
    assert r.returncode == 0, r.stderr


def test_telemetry_and_exporter_show_the_modem_with_the_rates_sent(tmp_path):
    path = tmp_path / "icmpfp.ini"
    path.write_text(config(hold=30))
    with Lab(NS, config=str(path)) as lab:
        p = lab.file_prefix
        assert tel1(p, "/icmpfp/lpa") == {}
        play(lab, "--mtu", "1200", "--rate", "2500000", "--min", "1000000",
             "--max", "8000000", "--bidirectional", "--modem-ip", "10.20.0.1")
        m = wait_for(lambda: tel1(p, "/icmpfp/lpa").get(KEY), 10, what="modem 7 heard")
        assert (m["source"], m["modem"], m["state"], m["up"]) == (CLIENT, 7, "up", 1)
        assert m["mtu"] == 1200 and m["modem_ip"] == "10.20.0.1"
        assert (m["rate_out_current"], m["rate_out_min"], m["rate_out_max"]) == \
            (2500000, 1000000, 8000000)
        # bidirectional: the same rates both ways
        assert (m["rate_in_current"], m["rate_in_min"], m["rate_in_max"]) == \
            (2500000, 1000000, 8000000)
        assert m["bidirectional"] == 1 and m["direction"] == "out" and m["count"] == 1
        cfg = tel1(p, "/icmpfp/config")
        assert cfg["lpa"]["listen"] == "on" and cfg["lpa"]["hold"] == 30
        assert "10.20.0.0/16 = modem 7" in cfg["routes"]
        st = tel1(p, "/icmpfp/stats")
        assert st["lpa"]["modems"] == 1 and st["lpa"]["modems_up"] == 1
        assert st["lpa"]["blocks"] == 1

        # a second modem, down, with rates beyond 32 bits (saturated)
        r = lab.sh("/usr/bin/python3", TOOL, "send", "--interface", lab.client_if, "--modem",
                   "8", "--rate", "10e9", "--down", "--incoming", "--quiet", timeout=20)
        assert r.returncode == 0, r.stderr
        wait_for(lambda: f"8/{CLIENT.replace('.', '_')}" in tel1(p, "/icmpfp/lpa"), 10,
                 what="modem 8 heard")

        exp = Exporter(p)
        try:
            body = curl_metrics(exp.port)
        finally:
            exp.stop()
        st = lab.stop()
    assert_conserved(st)
    assert st["dropped"]["lpa_heard"] == 2

    if shutil.which("promtool"):
        r = subprocess.run(["promtool", "check", "metrics"], input=body,
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, r.stdout + r.stderr
    smp = samples(body)
    m7 = {"source": CLIENT, "modem": "7"}
    assert total(smp, "icmpfp_lpa_up", **m7) == 1
    assert total(smp, "icmpfp_lpa_mtu", **m7) == 1200
    assert total(smp, "icmpfp_lpa_rate_bps", kind="current", direction="out", **m7) == 2500000
    assert total(smp, "icmpfp_lpa_rate_bps", kind="min", direction="in", **m7) == 1000000
    assert total(smp, "icmpfp_lpa_rate_bps", kind="max", direction="out", **m7) == 8000000
    assert 0 <= total(smp, "icmpfp_lpa_age_seconds", **m7) < 60
    m8 = {"source": CLIENT, "modem": "8"}
    assert total(smp, "icmpfp_lpa_up", **m8) == 0
    assert total(smp, "icmpfp_lpa_rate_bps", kind="current", direction="in", **m8) == 0xffffffff
    # only the direction it spoke of
    assert total(smp, "icmpfp_lpa_rate_bps", direction="out", **m8) == 0
    assert total(smp, "icmpfp_lpa_blocks_total") == 2
    assert total(smp, "icmpfp_dropped_packets_total", reason="lpa_heard") == 2


def test_lpa_reloads_with_sighup_and_a_bad_lpa_section_is_refused(tmp_path):
    path = tmp_path / "icmpfp.ini"
    path.write_text(config(listen="off"))
    with Lab(NS, config=str(path)) as lab:
        p = lab.file_prefix
        play(lab, "--to", "192.0.2.1")  # unicast: Port Unreachable while off
        wait_for(lambda: tel1(p, "/icmpfp/stats")["answers"]["port_unreachable"] == 1, 10,
                 what="Port Unreachable")
        assert tel1(p, "/icmpfp/lpa") == {}

        path.write_text(config(listen="on"))
        lab.signal(signal.SIGHUP)
        wait_for(lambda: tel1(p, "/icmpfp/config")["generation"] == 1, 10, what="reload")
        assert tel1(p, "/icmpfp/config")["lpa"]["listen"] == "on"
        play(lab, "--to", "192.0.2.1")
        play(lab)  # and to the group
        wait_for(lambda: tel1(p, "/icmpfp/stats")["lpa"]["blocks"] == 2, 10,
                 what="both LPAs heard")
        assert tel1(p, "/icmpfp/stats")["answers"]["port_unreachable"] == 1
        assert tel1(p, "/icmpfp/lpa")[KEY]["count"] == 2

        # refused, with the line: the running [lpa] stays
        path.write_text(config(listen="on", hold=0))
        lab.signal(signal.SIGHUP)
        c = wait_for(lambda: (c := tel1(p, "/icmpfp/config"))["reloads_failed"] == 1 and c,
                     10, what="refused reload")
        assert re.search(r"icmpfp\.ini:\d+: hold '0' must be 1 to 86400",
                         c["last_reload_error"]), c["last_reload_error"]
        assert c["generation"] == 1 and c["lpa"]["hold"] == 5
        st = lab.stop()
    assert_conserved(st)
    assert st["dropped"]["lpa_heard"] == 2
