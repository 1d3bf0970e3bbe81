"""LPA frames for the tests, made with the operator's tool
(scripts/icmpfp-lpa.py, standard library only) so that the tool's encoder
and icmpfp's decoder check each other."""
import importlib.util
import os

from scapy.all import IP, UDP, Ether, Raw

from ifp_harness import PEER_MAC, ROOT

_spec = importlib.util.spec_from_file_location(
    "icmpfp_lpa", os.path.join(ROOT, "scripts", "icmpfp-lpa.py"))
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)

ALL_ROUTERS = "224.0.0.2"
ALL_ROUTERS_MAC = "01:00:5e:00:00:02"


def lpa(payload, src="192.0.2.50", dst=ALL_ROUTERS, mac=ALL_ROUTERS_MAC, dport=7575,
        src_mac=PEER_MAC, **udp):
    """An LPA datagram to all-routers (or to dst at mac)."""
    return (Ether(dst=mac, src=src_mac) / IP(src=src, dst=dst, ttl=1)
            / UDP(sport=7575, dport=dport, **udp) / Raw(payload))


def modem(id_, up=True, mtu=1500, rate=2e6, lo=1e6, hi=8e6, **kw):
    """The Rate Block of a modem."""
    return tool.rate_block(id_, mtu, rate, lo, hi, up=up, **kw)
