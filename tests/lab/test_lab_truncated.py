"""af_packet as a user first writes it (--vdev net_af_packet0,iface=X, the
default 2048-byte frames): the kernel reassembles a ping -s 4000 before
af_packet sees it and af_packet cuts the 4 KB frame. icmpfp says so at
start, naming the devargs that fix it, and counts the cut frames under a
reason that names the cause."""
import os

from ifp_harness import assert_conserved
from ifp_lab import Lab

NS = f"ifpk{os.getpid() % 100000}"
US = "192.0.2.1"


def test_default_af_packet_frames_are_announced_and_cut_frames_named():
    with Lab(NS, devargs="qdisc_bypass=1") as lab:
        out = lab.output()
        assert "frames over 1982 bytes arrive cut (framesz=2048)" in out, out
        assert "raise framesz= and blocksz=" in out, out
        lab.pin_neighbour(US)
        r = lab.sh("ping", "-c", "3", "-i", "0.2", "-W", "1", "-s", "4000", US)
        assert "3 packets transmitted, 0 received" in r.stdout, r.stdout
        r = lab.sh("ping", "-c", "3", "-i", "0.2", "-W", "1", "-s", "1900", US)
        assert "3 packets transmitted, 3 received" in r.stdout, r.stdout
        st = lab.stop()
    assert_conserved(st)
    assert st["dropped"]["rx_truncated"] == 3, st["dropped"]
    assert st["dropped"]["ip_total_length"] == 0
