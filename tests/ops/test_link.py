"""Link events: icmpfp on a net_tap port (its link follows the tap netdev's
IFF_UP/IFF_RUNNING) logs each link change with its speed and counts it in
/icmpfp/port,<id>."""
import os
import re
import subprocess
import time

from ifp_harness import ICMPFP, ROOT, eal_runtime_remove, interrupt
from ifp_lab import require_root
from ifp_ops import tel1, wait_for

TAP = f"ifp4k{os.getpid() % 10000}"
PREFIX = f"icmpfp-{TAP}"


def test_link_down_and_up_are_logged_and_counted(tmp_path):
    require_root()
    log = tmp_path / "icmpfp.log"
    logf = open(log, "w")
    proc = subprocess.Popen([ICMPFP, "-l", "0-1", "--no-huge", "-m", "256", "--no-pci",
                             "--file-prefix", PREFIX, "--vdev", f"net_tap0,iface={TAP}",
                             "--", "-c", os.path.join(ROOT, "scripts", "lab.ini")],
                            stdout=logf, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: "running on" in log.read_text() or proc.poll() is not None, 30,
                 what="icmpfp started")
        assert proc.poll() is None, log.read_text()
        port = tel1(PREFIX, "/icmpfp/port,0")
        assert port["link_status"] == "up" and port["driver"] == "net_tap"
        assert port["link_down_events"] == 0 and port["link_up_events"] == 0

        subprocess.run(["ip", "link", "set", TAP, "down"], check=True)
        port = wait_for(lambda: (p := tel1(PREFIX, "/icmpfp/port,0"))["link_down_events"] == 1
                        and p, 5, what="link down counted")
        assert port["link_status"] == "down"
        assert re.search(r"port 0: link down: Link down", log.read_text())

        subprocess.run(["ip", "link", "set", TAP, "up"], check=True)
        port = wait_for(lambda: (p := tel1(PREFIX, "/icmpfp/port,0"))["link_up_events"] == 1
                        and p, 5, what="link up counted")
        assert port["link_status"] == "up" and port["link_down_events"] == 1
        # logged with the speed
        assert re.search(r"port 0: link up: Link up at \d+ [MG]bps", log.read_text())
        time.sleep(1.5)
        port = tel1(PREFIX, "/icmpfp/port,0")
        assert (port["link_up_events"], port["link_down_events"]) == (1, 1), "counted twice"
        # a port that comes back announces its addresses again (the
        # gratuitous ARP, the MLDv2 report and an NA for each of the two
        # IPv6 addresses of lab.ini at start, and again after the link-up)
        st = wait_for(lambda: (s := tel1(PREFIX, "/icmpfp/stats"))["originated"] >= 8 and s,
                      5, what="announcements after link up")
        assert st["originated"] == 8 and st["originated_lost"] == 0, st
    finally:
        interrupt(proc)
        logf.close()
        subprocess.run(["ip", "link", "del", TAP], capture_output=True)
        eal_runtime_remove(PREFIX)
    assert proc.returncode == 0, log.read_text()
