"""Mempool exhaustion (issue 18 point 5): fragments that never complete, in
IPv4 and IPv6 datagrams, fill every reassembly slot of icmpfp on a net_pcap
port with a small pool (the profile's smallest: 64 descriptors, 512 mbufs
a queue) under a small -m. Echo requests that come after them are still
answered in place; nothing is dropped for want of an mbuf (no_mbuf, the
port's rx_nombuf: the pool is sized for what the tables may hold); the
counters add up; and once the reassembly timeout (15 s) has passed the pool
is back to its idle level, with no frame arriving to make the table look.
One icmpfp, about 25 s."""
import json
import os
import subprocess
import tempfile
import time

from scapy.all import Raw, wrpcap

from ifp_frames import ETH_IPV6, echo6_frame, echo_frame, eth, frag6, ipv4, ipv6
from ifp_harness import ICMPFP, US, US6, eal_runtime_remove, interrupt
from ifp_ops import tel1, wait_for

PREFIX = f"ifp-exh-{os.getpid()}"
FLOWS = 256            # IFP_FRAG_FLOWS: one worker's table
FRAGS = 7              # RTE_LIBRTE_IP_FRAG_MAX_FRAG less the last one's slot
TIMEOUT_S = 15         # IFP_FRAG_TIMEOUT_NS
ECHO4, ECHO6 = 200, 100

PROFILE = """; the smallest pool a profile gives: for the exhaustion test
[profile]
driver = net_pcap
rx_desc = 64
tx_desc = 64
rss = off
rx_ipv4_cksum = off
tx_ipv4_cksum = off
tx_fast_free = on
burst = 32
mbufs = 512
mbuf_size = 2048
"""

CONFIG = f"""
[port 0]
address = {US}/24
address6 = {US6}/64
mac = 02:00:00:00:00:01
profile = small
"""


def frames():
    """FLOWS datagrams, half IPv4, half IPv6, of FRAGS 8-byte fragments
    each, none the last; then the echo requests."""
    out = []
    for i in range(FLOWS // 2):
        for k in range(FRAGS):
            out.append(eth(ipv4(bytes(8), frag=0x2000 | k, ident=0x100 + i)))
            out.append(eth(ipv6(frag6(58, k, True, 0x9000 + i) + bytes(8), nh=44), ETH_IPV6))
    out += [echo_frame(data=b"held %d" % i) for i in range(ECHO4)]
    out += [echo6_frame(data=b"held %d" % i) for i in range(ECHO6)]
    return out


def pool(prefix):
    return tel1(prefix, "/icmpfp/pools")["ifp_pool_0"]


def test_fragments_that_never_complete_hold_the_pool_until_their_timeout():
    with tempfile.TemporaryDirectory(prefix="ifp-exh-") as d:
        os.mkdir(os.path.join(d, "profiles"))
        with open(os.path.join(d, "profiles", "small.ini"), "w") as f:
            f.write(PROFILE)
        cfg, inp, outp = (os.path.join(d, n) for n in ("icmpfp.ini", "in.pcap", "out.pcap"))
        with open(cfg, "w") as f:
            f.write(CONFIG)
        sent = frames()
        wrpcap(inp, [Raw(load=f) for f in sent], linktype=1)
        cmd = [ICMPFP, "-l", "0-1", "--no-huge", "-m", "96", "--no-pci",
               f"--file-prefix={PREFIX}", "--vdev", f"net_pcap0,rx_pcap={inp},tx_pcap={outp}",
               "--", "-c", cfg, "--drivers-conf", os.path.join(d, "profiles")]
        log = open(os.path.join(d, "log"), "w+")
        p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        try:
            t0 = time.monotonic()
            wait_for(lambda: p.poll() is not None or "running on" in open(log.name).read(),
                     30, what="icmpfp started")
            assert p.poll() is None, open(log.name).read()
            st = wait_for(lambda: (s := tel1(PREFIX, "/icmpfp/stats"))["rx"] == len(sent) and s,
                          10, what="every frame read")
            held = pool(PREFIX)
            drops = tel1(PREFIX, "/icmpfp/drops")
            # the tables hold every fragment they can: 256 datagrams of 7
            assert drops["ip_frag_reasm"] == FLOWS // 2 * FRAGS, drops
            assert drops["ip6_frag_reasm"] == FLOWS // 2 * FRAGS, drops
            assert held["in_use"] >= FLOWS * FRAGS, held
            assert FLOWS * FRAGS <= held["reassembly_max"] < held["size"], held
            # the echoes behind them were answered in place, none wanted an mbuf
            assert st["answers"]["echo_reply"] == ECHO4, st
            assert st["answers"]["icmp6_echo_reply"] == ECHO6, st
            assert drops["no_mbuf"] == 0 and drops["no_room"] == 0, drops
            assert tel1(PREFIX, "/ethdev/stats,0")["rx_nombuf"] == 0
            assert st["rx"] == st["answered"] + st["ratelimited"] + sum(drops.values()), st
            # nothing more arrives; the timeout passes; the pool is idle again
            idle = wait_for(lambda: (q := pool(PREFIX))["in_use"] < 64 and q,
                            TIMEOUT_S + 10, step=0.5, what="the pool back to idle")
            assert time.monotonic() - t0 >= TIMEOUT_S - 1, "freed before the timeout"
            print(f"exhaustion: pool of {held['size']}, {held['in_use']} in use while held, "
                  f"{idle['in_use']} after {time.monotonic() - t0:.1f} s")
        finally:
            interrupt(p)
            eal_runtime_remove(PREFIX)
        out = open(log.name).read()
    assert p.returncode == 0, out[-3000:]
    final = json.loads(out.split("final counters: ", 1)[1].splitlines()[0])
    assert final["rx"] == final["answered"] + final["ratelimited"] + sum(final["dropped"].values())
    assert final["mbufs_in_use"] == 0
