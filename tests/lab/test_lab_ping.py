"""Real clients from a namespace: arping, ping, big DF ping, flood ping,
answered by icmpfp (the veth end it owns has no address), then SIGINT and
final counters that match what was sent."""
import os
import re

from ifp_harness import assert_conserved
from ifp_lab import Lab, loss

NS = f"ifpt{os.getpid() % 100000}"
US = "192.0.2.1"


def test_real_clients_are_answered_and_counted():
    with Lab(NS) as lab:
        # the kernel must not be the one answering: icmpfp's end has no address
        addrs = os.popen(f"ip -4 addr show dev {lab.host_if}").read()
        assert "inet " not in addrs

        r = lab.sh("arping", "-c", "3", "-w", "5", "-I", lab.client_if, US)
        assert r.returncode == 0, r.stdout + r.stderr
        assert len(re.findall(r"bytes from", r.stdout)) == 3, r.stdout

        r = lab.sh("ping", "-c", "50", "-i", "0.01", "-W", "2", US)
        assert loss(r.stdout) == (50, 50), r.stdout
        assert "wrong data" not in r.stdout and "BAD CHECKSUM" not in r.stdout.upper()
        assert "DUP" not in r.stdout

        r = lab.sh("ping", "-c", "5", "-i", "0.05", "-s", "1472", "-M", "do", "-W", "2", US)
        assert loss(r.stdout) == (5, 5), r.stdout
        assert "wrong data" not in r.stdout and "BAD CHECKSUM" not in r.stdout.upper()

        r = lab.sh("ping", "-f", "-c", "2000", "-w", "30", US, timeout=60)
        assert loss(r.stdout) == (2000, 2000), r.stdout

        st = lab.stop()
    assert_conserved(st)
    assert st["answers"]["echo_reply"] == 50 + 5 + 2000
    assert st["answers"]["arp_reply"] >= 3  # ping may ARP again
    assert st["answered"] == st["tx"] - st["originated"]
    # the lab cleans up what it made: the namespace and icmpfp's log
    assert NS not in os.popen("ip netns list").read()
    if os.environ.get("IFP_KEEP_LOGS") != "1":
        assert not os.path.exists(lab.log), lab.log
    # the gratuitous ARP at start; lab.ini has IPv6 too: the MLDv2 report
    # and an NA for the link-local and 2001:db8:0:1::1
    assert st["originated"] == 4
    assert st["dropped"]["icmp_checksum"] == 0 and st["dropped"]["ip_checksum"] == 0
