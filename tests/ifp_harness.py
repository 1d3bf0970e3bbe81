"""Shared helpers of the replay and lab tests: run icmpfp-replay on
scapy-made captures, check answers with decoders that are not ours."""
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile

from scapy.all import ARP, ICMP, IP, Ether, Raw, rdpcap, wrpcap  # noqa: F401

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("IFP_BUILD", os.path.join(ROOT, "build"))
# The test builds (never installed): the same code, with the TX contract
# checked on every mbuf (app/ifp_txcheck.h) and the worker stall hook
REPLAY = os.path.join(BUILD, "app", "icmpfp-replay-test")
ICMPFP = os.path.join(BUILD, "app", "icmpfp-test")


def config_key_tables():
    """Every key the config and profile parsers take: the NULL-terminated
    key lists and the {"name", ... offsetof} tables of app/ifp_config*.c."""
    keys = set()
    for path in glob.glob(os.path.join(ROOT, "app", "ifp_config*.c")):
        with open(path) as f:
            src = f.read()
        for body in re.findall(r"_keys\[\] = \{(.*?)\};", src, re.S):
            keys |= set(re.findall(r'"([a-z0-9_]+)"', body))
        keys |= set(re.findall(r'\{"([a-z0-9_]+)",[^}]*offsetof', src))
        keys |= set(re.findall(r"^\s*CFG_RL\((\w+),", src, re.M))
    return keys



def eal_runtime_remove(prefix):
    """Remove what EAL left of a stopped process with --file-prefix
    @prefix (DPDK never removes its runtime directory): a test cleans up
    what it made."""
    for base in ("/var/run/dpdk", os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/tmp"), "dpdk")):
        shutil.rmtree(os.path.join(base, prefix), ignore_errors=True)


def interrupt(proc, timeout=30):
    """Stop a daemon we started as an operator would: SIGINT, then wait; a
    kill only when it does not stop within timeout seconds."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


US_MAC = "02:00:00:00:00:01"
PEER_MAC = "02:00:00:00:00:02"
US = "192.0.2.1"
US2 = "192.0.2.9"
PEER = "192.0.2.2"

BASE_CONFIG = f"""
[port 0]
address = {US}/24, {US2}/24
mac = {US_MAC}
"""


class Replay:
    """What one run of icmpfp-replay gave: counters, frames out, the
    announcements of the port coming up."""

    def __init__(self, stats, out, stderr, trace=()):
        self.stats = stats
        self.stderr = stderr
        # --trace: one record a frame, in capture order (docs/trace.md)
        self.trace = list(trace)
        # what the port said coming up (gratuitous ARP; with IPv6 the
        # MLDv2 report and the unsolicited NAs) is written first
        n = stats.get("originated", 0)
        self.announced = out[:n]
        self.garps = [p for p in self.announced if ARP in p]
        self.answers = out[n:]

    def dropped(self, reason):
        return self.stats["dropped"][reason]

    def nonzero_drops(self):
        return {k: v for k, v in self.stats["dropped"].items() if v}


def assert_conserved(stats):
    """rx = answered + ratelimited + sum of dropped (design, command line)."""
    total = stats["answered"] + stats["ratelimited"] + sum(stats["dropped"].values())
    assert stats["rx"] == total, f"counters do not add up: {stats}"


def assert_trace_matches(trace, n_frames, stats):
    """icmpfp-replay --trace: one record a frame in capture order, and the
    records counted by answer and reason are the run's counters."""
    assert [t["frame"] for t in trace] == list(range(1, n_frames + 1)), \
        f"{len(trace)} trace lines for {n_frames} frames"
    answers, limited, dropped = {}, {}, {}
    for t in trace:
        if t["outcome"] == "answered":
            answers[t["answer"]] = answers.get(t["answer"], 0) + 1
        elif t["outcome"] == "ratelimited":
            limited[t["answer"]] = limited.get(t["answer"], 0) + 1
        else:
            assert t["outcome"] == "dropped", f"frame without an end: {t}"
            dropped[t["reason"]] = dropped.get(t["reason"], 0) + 1
    nonzero = lambda d: {k: v for k, v in d.items() if v}
    assert answers == nonzero(stats["answers"]), (answers, stats["answers"])
    assert limited == nonzero(stats["ratelimited_by"]), (limited, stats["ratelimited_by"])
    assert dropped == nonzero(stats["dropped"]), (dropped, stats["dropped"])
    assert len(trace) == stats["rx"]


def read_trace(path):
    """The records of an icmpfp-replay --trace file."""
    with open(path) as f:
        return [json.loads(line) for line in f]


def assert_no_sanitizer_report(stderr):
    """An ASan/UBSan build (IFP_BUILD=build-asan) prints its findings on
    stderr; any of them fails the test, whatever the exit status."""
    for mark in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                 "runtime error:", "SUMMARY: UndefinedBehaviorSanitizer"):
        assert mark not in stderr, f"sanitizer report:\n{stderr}"


def cut_capture(path, snaplen):
    """Rewrite a capture as one taken with snapshot length snaplen: frames
    longer than it keep their first snaplen bytes and their real length."""
    import struct
    with open(path, "rb") as f:
        data = f.read()
    out = bytearray(data[:24])
    struct.pack_into("<I", out, 16, snaplen)
    off = 24
    while off < len(data):
        sec, frac, caplen, length = struct.unpack_from("<IIII", data, off)
        frame = data[off + 16:off + 16 + caplen][:snaplen]
        out += struct.pack("<IIII", sec, frac, len(frame), length) + frame
        off += 16 + caplen
    with open(path, "wb") as f:
        f.write(out)


def run_replay(packets, config=BASE_CONFIG, extra=(), start=1000.0, step=0.001,
               expect_rc=0, snaplen=None):
    """Write packets (times start, start+step, ... unless set) to a capture
    (cut at snaplen, when given), replay it, return a Replay."""
    with tempfile.TemporaryDirectory(prefix="ifp-replay-") as d:
        cfg = os.path.join(d, "icmpfp.ini")
        inp = os.path.join(d, "in.pcap")
        outp = os.path.join(d, "out.pcap")
        with open(cfg, "w") as f:
            f.write(config)
        for i, p in enumerate(packets):
            if getattr(p, "_ifp_time", None) is None:
                p.time = start + i * step
            else:
                p.time = p._ifp_time
        wrpcap(inp, packets, linktype=1)
        if snaplen is not None:
            cut_capture(inp, snaplen)
        # every replay is traced (issue 22): each capture the tests make
        # checks that the trace has a line a frame and adds up as the
        # counters do
        tracep = os.path.join(d, "trace.jsonl")
        r = subprocess.run([REPLAY, "-c", cfg, "--trace", tracep, *extra, inp, outp],
                           capture_output=True, text=True, timeout=120)
        assert_no_sanitizer_report(r.stderr)
        assert r.returncode == expect_rc, f"rc {r.returncode}: {r.stderr}"
        if expect_rc != 0:
            return Replay({}, [], r.stderr)
        stats = json.loads(r.stdout)
        out = list(rdpcap(outp)) if os.path.getsize(outp) > 24 else []
        assert_conserved(stats)
        trace = read_trace(tracep)
        assert_trace_matches(trace, len(packets), stats)
        return Replay(stats, out, r.stderr, trace)


def at(pkt, t):
    """Pin a packet's capture time (seconds)."""
    pkt._ifp_time = t
    return pkt


def assert_checksums_good(pkt):
    """IP and ICMP checksums recomputed by scapy from the bytes on the wire."""
    ip = pkt[IP]
    fresh = IP(bytes(ip))
    del fresh.chksum
    assert ip.chksum == IP(bytes(fresh)).chksum, "IP header checksum"
    if ICMP in pkt and not ip.flags.MF and ip.frag == 0:
        icmp_bytes = bytes(ip)[ip.ihl * 4:ip.len]
        from scapy.utils import checksum
        assert checksum(icmp_bytes) == 0, "ICMP checksum"


def tshark_checksum_status(pcap_path):
    """(ip.checksum.status, icmp.checksum.status) per frame, as tshark sees
    them: 1 means verified good."""
    r = subprocess.run(
        ["tshark", "-r", pcap_path, "-o", "ip.check_checksum:TRUE",
         "-T", "fields", "-e", "ip.checksum.status", "-e", "icmp.checksum.status",
         "-Y", "icmp"],
        capture_output=True, text=True, timeout=60, check=True)
    return [tuple(line.split("\t")) for line in r.stdout.splitlines() if line]


def echo(dst=US, src=PEER, id_=0x1234, seq=1, payload=b"icmpfp", mac=US_MAC, **ip):
    return (Ether(dst=mac, src=PEER_MAC) / IP(src=src, dst=dst, **ip)
            / ICMP(type=8, id=id_, seq=seq) / Raw(payload))


# --- IPv6 (design "IPv6 (dual stack)") --------------------------------------

US6 = "2001:db8:0:1::1"
US6_2 = "2001:db8:0:1::9"
PEER6 = "2001:db8:0:1::2"
# link_local = auto on US_MAC 02:00:00:00:00:01: the modified EUI-64
US_LL = "fe80::ff:fe00:1"
PEER_LL = "fe80::2"
ALL_NODES_MAC = "33:33:00:00:00:01"
# ff02::1:ff00:1, the solicited-node group of US6 and US_LL (and its MAC)
SNM_US = "ff02::1:ff00:1"
SNM_US_MAC = "33:33:ff:00:00:01"

CONFIG6 = BASE_CONFIG + f"""address6 = {US6}/64, {US6_2}/64
link_local = auto
"""


def icmp6_layer(pkt):
    """The ICMPv6 message of pkt, past its extension headers."""
    from scapy.layers.inet6 import (IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                                    IPv6ExtHdrHopByHop, IPv6ExtHdrRouting)
    layer = pkt[IPv6].payload
    while isinstance(layer, (IPv6ExtHdrHopByHop, IPv6ExtHdrDestOpt,
                             IPv6ExtHdrRouting, IPv6ExtHdrFragment)):
        layer = layer.payload
    return layer


def assert_icmp6_checksum_good(pkt):
    """The ICMPv6 checksum, pseudo-header included, summed again by scapy
    from the bytes on the wire."""
    from scapy.layers.inet6 import IPv6, in6_chksum
    data = bytes(icmp6_layer(pkt))
    assert in6_chksum(58, pkt[IPv6], data) == 0, f"ICMPv6 checksum: {pkt.summary()}"


def tshark_icmp6_checksum_status(packets):
    """icmpv6.checksum.status of each frame as tshark sees it (1: good); of
    the outer message where an error quotes another (its own is left
    unverified)."""
    with tempfile.TemporaryDirectory(prefix="ifp-tshark-") as d:
        path = os.path.join(d, "a.pcap")
        wrpcap(path, packets, linktype=1)
        r = subprocess.run(["tshark", "-r", path, "-T", "fields",
                            "-e", "icmpv6.checksum.status"],
                           capture_output=True, text=True, timeout=60, check=True)
    return [line.split(",")[0] for line in r.stdout.splitlines()]


def echo6(dst=US6, src=PEER6, id_=0x1234, seq=1, payload=b"icmpfp6", mac=US_MAC,
          hlim=64):
    from scapy.layers.inet6 import ICMPv6EchoRequest, IPv6
    return (Ether(dst=mac, src=PEER_MAC) / IPv6(src=src, dst=dst, hlim=hlim)
            / ICMPv6EchoRequest(id=id_, seq=seq, data=payload))
