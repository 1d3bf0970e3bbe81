"""Soak (issue 5): icmpfp itself, on a net_pcap port replaying a hostile mix
forever (infinite_rx=1, answers to /dev/null), for SOAK_SECONDS (default 40).

Afterwards: the mempool's in-use count is back to idle (icmpfp prints
mbufs_in_use after its ports are closed: 0), what the reassembly tables held
stayed within their bound (mbufs_in_reassembly, once icmpfp reports it), the
counters add up in total and per lcore, the rate limiter was at work, and
the resident set did not grow between the end of the warm-up and the end of
the run.

Runs the icmpfp of IFP_BUILD (default build/); with IFP_BUILD=build-asan it
soaks the ASan/UBSan build (slower: fewer packets, same checks)."""
import json
import os
import random
import subprocess
import tempfile
import time

from scapy.all import Raw, wrpcap

from ifp_frames import (ETH_ARP, ETH_IPV6, arp, catalog, echo6_frame, echo_frame, eth,
                        ext, frag6, icmp, icmp6, ipv4, ipv6, lpa_frames, mld_query,
                        ns_frame)
from ifp_harness import (ICMPFP, PEER6, US, US2, US6, assert_no_sanitizer_report,
                         eal_runtime_remove, interrupt)

SECONDS = float(os.environ.get("SOAK_SECONDS", "40"))
WARMUP = min(10.0, SECONDS / 4)
RSS_SLACK_KB = 4096
# what one lcore's reassembly table may hold: IFP_FRAG_FLOWS (256) datagrams
# of RTE_LIBRTE_IP_FRAG_MAX_FRAG (8) fragments (issue 3, lib/ifp_proc.h)
FRAG_MBUFS_MAX = 256 * 8

CONFIG = f"""
[port 0]
address = {US}/24, {US2}/24
address6 = {US6}/64
mac = 02:00:00:00:00:01
profile = pcap

[routes]
198.51.100.0/24 = unreachable host
203.0.113.0/24 = mtu 1400
10.20.0.0/16 = modem 7

[lpa]
listen = on
advertise = on
advertise_to = 224.0.0.2, 192.0.2.2, ff02::2, {PEER6}

[ratelimit]
echo_per_sec = 20000

; issue 21: every frame's answer goes through a policy (the probes from
; many sources through rte_acl past the workers' caches), and some of
; them are denied or over a rule's rate
[policy]
10.0.0.0/8 time-exceeded = rate 1000/s burst 10
0.0.0.0/0 to {US2} echo = deny
0.0.0.0/0 lpa = allow
::/0 time-exceeded,unreachable = rate 5000/s
2001:db8:bad::/48 * = deny
"""


def hostile_mix(rng):
    """About 1,500 frames: valid echo and ARP, floods of TTL-1 probes from
    one and from many sources, garbage (the malformed catalog and random
    bytes), fragments that never complete, DF datagrams over a route MTU,
    datagrams to unreachable prefixes, UDP and TCP to us, Link Property
    Advertisements good and bad."""
    udp = b"\x82\x9a\x82\x9b\x00\x10\x00\x00" + b"soak1234"
    mix = []
    for i in range(300):
        src = f"192.0.2.{10 + i % 40}"
        mix.append(echo_frame(data=bytes(rng.randrange(256) for _ in range(i % 300)),
                              src=src, dst=US if i % 2 else US2))
    mix += [eth(arp(tpa=US if i % 2 else "192.0.2.77"), ETH_ARP, dst="ff:ff:ff:ff:ff:ff")
            for i in range(50)]
    mix += [eth(ipv4(udp, dst="198.18.0.1", proto=17, ttl=1)) for _ in range(300)]
    mix += [eth(ipv4(udp, src=f"10.{i >> 8}.{i & 255}.1", dst="198.18.0.1", proto=17, ttl=1))
            for i in range(300)]
    mix += [c[1] for c in catalog() if c[3] is None]
    mix += [eth(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))),
                rng.choice([0x0800, 0x0806, 0x8100, 0x1234]))
            for _ in range(100)]
    msg = icmp(data=bytes(400))
    mix += [eth(ipv4(msg[:200], frag=0x2000, ident=i)) for i in range(200)]
    mix += [eth(ipv4(msg[200:], frag=25, ident=1000 + i)) for i in range(100)]
    mix += [eth(ipv4(bytes(1460), dst="203.0.113.5", proto=17, frag=0x4000))
            for _ in range(20)]
    mix += [eth(ipv4(udp, dst="198.51.100.9", proto=17)) for _ in range(20)]
    mix += [eth(ipv4(udp, proto=17)) for _ in range(30)]
    mix += [eth(ipv4(b"\0" * 20, proto=6)) for _ in range(20)]
    # Link Property Advertisements, good (modem 7 flapping) and malformed,
    # and probes towards the route that follows modem 7
    mix += [f for f in lpa_frames().values() for _ in range(5)]
    mix += hostile_mix6(rng)
    rng.shuffle(mix)
    return mix


def hostile_mix6(rng):
    """About 800 IPv6 frames: echo (some to the link-local), solicitations
    and MLD queries, UDP to us, extension-header chains good and bad,
    truncated headers, bogus payload lengths, fragment floods that never
    complete and fragmented echoes that do."""
    mix = []
    for i in range(200):
        mix.append(echo6_frame(data=bytes(rng.randrange(256) for _ in range(i % 300)),
                               src=f"2001:db8:0:1::{10 + i % 40:x}"))
    mix += [ns_frame() for _ in range(40)] + [mld_query() for _ in range(10)]
    mix += [eth(ipv6(b"\x82\x9a\x82\x9b\x00\x10\x00\x00soak6666", nh=17,
                     src=f"2001:db8:{i:x}::1"), ETH_IPV6) for i in range(100)]
    msg = icmp6()
    for i in range(100):
        chain = b"".join(ext(rng.choice((0, 43, 60, 58)) if k else 60)
                         for k in range(rng.randrange(1, 6)))
        mix.append(eth(ipv6(chain + msg, nh=rng.choice((0, 60, 43))), ETH_IPV6))
    mix += [eth(ipv6(msg, plen=rng.randrange(len(msg) + 1, 2000)), ETH_IPV6) for _ in range(50)]
    mix += [eth(ipv6(msg)[:rng.randrange(14, 60)], ETH_IPV6) for _ in range(50)]
    big = icmp6(body=b"\x12\x34\x00\x01" + bytes(2400))
    # fragment floods that never complete: first fragments only
    mix += [eth(ipv6(frag6(58, 0, True, 0x60000 + i) + big[:1232], nh=44), ETH_IPV6)
            for i in range(200)]
    # and fragmented echoes that do, in order
    for i in range(20):
        for off in range(0, len(big), 1232):
            mix.append(eth(ipv6(frag6(58, off // 8, off + 1232 < len(big), 0x70000 + i)
                                + big[off:off + 1232], nh=44), ETH_IPV6))
    return mix


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def parse_counters(stdout):
    total, lcores = None, []
    for line in stdout.splitlines():
        if line.startswith("final counters: "):
            total = json.loads(line[len("final counters: "):])
        elif line.startswith("lcore "):
            lcores.append(json.loads(line.split(": ", 1)[1]))
    assert total is not None, f"no final counters in:\n{stdout[-2000:]}"
    return total, lcores


def conserved(s):
    return s["rx"] == s["answered"] + s["ratelimited"] + sum(s["dropped"].values())


def test_soak_hostile_mix_leaks_nothing_and_adds_up():
    rng = random.Random(5)
    with tempfile.TemporaryDirectory(prefix="ifp-soak-") as d:
        mix = os.path.join(d, "mix.pcap")
        cfg = os.path.join(d, "icmpfp.ini")
        wrpcap(mix, [Raw(load=f) for f in hostile_mix(rng)], linktype=1)
        with open(cfg, "w") as f:
            f.write(CONFIG)
        cmd = [ICMPFP, "-l", "0-1", "--no-huge", "-m", "512", "--no-pci",
               f"--file-prefix=ifp-soak-{os.getpid()}", "--log-level=icmpfp,info",
               "--vdev", f"net_pcap0,rx_pcap={mix},tx_pcap=/dev/null,infinite_rx=1",
               "--", "-c", cfg, "--stats-period", "5"]
        out_path, err_path = os.path.join(d, "out"), os.path.join(d, "err")
        with open(out_path, "w") as out, open(err_path, "w") as err:
            p = subprocess.Popen(cmd, stdout=out, stderr=err)
            samples = []
            try:
                t0 = time.monotonic()
                while time.monotonic() - t0 < SECONDS:
                    time.sleep(1.0)
                    assert p.poll() is None, open(err_path).read()[-3000:]
                    samples.append((time.monotonic() - t0, rss_kb(p.pid)))
            finally:
                interrupt(p, timeout=60)
                eal_runtime_remove(f"ifp-soak-{os.getpid()}")
        stdout, stderr = open(out_path).read(), open(err_path).read()

    assert_no_sanitizer_report(stderr)
    assert p.returncode == 0, stderr[-3000:]
    total, lcores = parse_counters(stdout)

    early = [kb for t, kb in samples if t >= WARMUP][0]
    late = samples[-1][1]
    peak_after = max(kb for t, kb in samples if t >= WARMUP)
    held = total.get("mbufs_in_reassembly")
    print(f"soak: {SECONDS:.0f} s, rx {total['rx']}, answered {total['answered']}, "
          f"ratelimited {total['ratelimited']}, dropped {sum(total['dropped'].values())}, "
          f"mbufs_in_use {total['mbufs_in_use']} of {total['mbufs_total']}, "
          f"mbufs_in_reassembly {held}, "
          f"VmRSS {early} kB at {WARMUP:.0f} s, {late} kB at the end, peak {peak_after} kB")

    # the mempool is back to idle: nothing held once the port is closed
    # (and, with reassembly, once the tables are freed)
    assert total["mbufs_in_use"] == 0
    # the reassembly table is bounded, however many fragments never complete
    if held is not None:
        assert held <= FRAG_MBUFS_MAX * len(lcores), held
    # every frame counted once, in total and on every lcore
    assert conserved(total), total
    assert lcores and all(conserved(s) for s in lcores)
    assert "counters do not add up" not in stderr
    # it really soaked, answered, dropped by reason and rate-limited
    assert total["rx"] > 100000
    assert total["answers"]["echo_reply"] > 0 and total["answers"]["arp_reply"] > 0
    assert total["ratelimited_by"]["echo_reply"] > 0
    drops = {k for k, v in total["dropped"].items() if v}
    assert {"l2_ethertype", "ip_checksum", "icmp_runt", "tcp"} <= drops, drops
    assert {"lpa_heard", "lpa_truncated", "lpa_modem_id", "lpa_neighbour"} <= drops, drops
    # the policy: the echoes to US2 denied, the probes from 10/8 over
    # their rule's rate
    assert total["dropped"]["policy_deny"] > 0
    assert total["ratelimited_by"]["time_exceeded"] > 0
    # memory: no growth after the warm-up
    assert peak_after - early <= RSS_SLACK_KB, samples
    assert late - early <= RSS_SLACK_KB, samples
