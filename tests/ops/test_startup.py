"""Start-up (issue 18 points 7 and 8): a failure at a later port unwinds
the ports started before it; bad numbers on the command line and in the
devargs are refused with what was wrong; icmpfp logs as its own log type
"icmpfp" (--log-level=icmpfp:LEVEL), and --help names every section. Ports
are net_null and af_packet on lo, which icmpfp never sends on before it
runs. Needs root (EAL)."""
import os
import subprocess

from ifp_harness import ICMPFP, eal_runtime_remove
from ifp_lab import require_root

PREFIX = f"icmpfp-st{os.getpid() % 100000}"
TWO_PORTS = """
[port 0]
address = 192.0.2.1/24
[port 1]
address = 198.51.100.1/24
"""


def run(tmp_path, eal, args=(), config=TWO_PORTS, timeout=30):
    require_root()
    cfg = tmp_path / "icmpfp.ini"
    cfg.write_text(config)
    try:
        return subprocess.run([ICMPFP, *eal, "--no-huge", "-m", "256", "--no-pci",
                               "--file-prefix", PREFIX, "--", "-c", str(cfg), *args],
                              capture_output=True, text=True, timeout=timeout)
    finally:
        eal_runtime_remove(PREFIX)


def test_a_failure_at_port_1_stops_and_closes_port_0(tmp_path):
    # two workers; af_packet with one queue pair cannot serve them
    r = run(tmp_path, ["--lcores", "0@0,1@1,2@1", "--vdev", "net_null0",
                       "--vdev", "net_af_packet1,iface=lo,qpairs=1"])
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert "port 1 (net_af_packet): 2 worker lcores need 2 RX/TX queue pairs" in r.stderr, out
    assert "port 0: stopped" in out and "port 0: closed" in out, out
    assert out.index("port 1 (net_af_packet): 2 worker") < out.index("port 0: stopped")


def test_bad_numbers_are_refused_with_what_was_wrong(tmp_path):
    for period in ("-1", "4294967295", "1x", ""):
        r = run(tmp_path, ["-l", "0-1", "--vdev", "net_null0"], ["--stats-period", period],
                config="[port 0]\naddress = 192.0.2.1/24\n", timeout=20)
        assert r.returncode == 1, (period, r.stdout + r.stderr)
        assert f"--stats-period '{period}': not a number of seconds from 0 to 86400" in r.stderr
    r = run(tmp_path, ["-l", "0-1", "--vdev", "net_null0",
                       "--vdev", "net_af_packet1,iface=lo,framesz=2048x"])
    assert r.returncode == 1, r.stdout + r.stderr
    assert "port 1 (net_af_packet): framesz=2048x: not a number of bytes" in r.stderr
    # port 0 had started: it is stopped again
    assert "port 0: stopped" in r.stdout + r.stderr


def test_icmpfp_logs_as_its_own_type(tmp_path):
    eal = ["-l", "0-1", "--vdev", "net_null0"]
    one = "[port 0]\naddress = 192.0.2.1/24\n"
    r = run(tmp_path, eal, ["--stats-period", "-1"], config=one, timeout=20)
    lines = [ln for ln in (r.stdout + r.stderr).splitlines() if "icmpfp:" in ln]
    assert any(ln.startswith("icmpfp: checksum kernel") for ln in lines), lines
    assert not any("USER1" in ln for ln in lines), lines
    # icmpfp:warning keeps its NOTICE lines out, EAL's own stay
    r = run(tmp_path, [*eal, "--log-level=icmpfp:warning"], ["--stats-period", "-1"],
            config=one, timeout=20)
    assert "checksum kernel" not in r.stdout + r.stderr, r.stdout + r.stderr
    assert "--stats-period '-1'" in r.stderr
    r = run(tmp_path, [*eal, "--log-level=help"], timeout=20)
    assert "icmpfp" in r.stdout + r.stderr


def test_help_names_every_section():
    r = subprocess.run([ICMPFP, "--", "--help"], capture_output=True, text=True, timeout=10)
    assert r.returncode == 0
    for sec in ("[port N]", "[icmp]", "[icmp6]", "[routes]", "[ratelimit]", "[lpa]"):
        assert sec in r.stdout, (sec, r.stdout)
    assert "--log-level=icmpfp:debug" in r.stdout
