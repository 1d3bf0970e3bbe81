"""icmpfp-replay --trace (issue 22): chosen frames name the check, the
route line, the policy rule and the reason that decided them. That every
capture of the replay suite traces one line a frame, adding up to the
counters, is checked by run_replay() itself (ifp_harness.py) on each."""
import os
import subprocess
import tempfile

from scapy.all import ICMP, IP, UDP, Dot1Q, Ether, Raw, fragment, fragment6, wrpcap
from scapy.layers.inet6 import (ICMPv6EchoRequest, ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr,
                                IPv6, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop)

from ifp_harness import (BASE_CONFIG, CONFIG6, PEER, PEER6, PEER_MAC, REPLAY, ROOT, US,
                         US6, US_MAC, SNM_US, SNM_US_MAC, echo, read_trace,
                         run_replay)
from ifp_lpa import lpa, modem

CTL = os.path.join(ROOT, "scripts", "icmpfpctl.py")

# line numbers of the file below: icmpfp.ini:N
ROUTED = BASE_CONFIG + """
[routes]
198.51.100.0/24 = unreachable host
203.0.113.0/24 = mtu 1400
[policy]
192.0.2.7 echo = deny
"""
LINE_UNREACH, LINE_MTU, LINE_DENY = 7, 8, 10


def probe(dst, ttl=64, src=PEER):
    return Ether(dst=US_MAC, src=PEER_MAC) / IP(src=src, dst=dst, ttl=ttl) / UDP(dport=33434)


def line_of(path, n):
    assert path.endswith(f"icmpfp.ini:{n}"), path
    return path


def test_a_route_names_its_file_line_and_decides():
    r = run_replay([echo(dst="198.51.100.7"), probe("203.0.113.5", ttl=1),
                    probe("192.0.2.200"), probe("203.0.113.5")], config=ROUTED)
    unreach, ttl1, onlink, mtu = r.trace
    assert unreach["answer"] == "unreachable_route"
    line_of(unreach["route"], LINE_UNREACH)
    assert f"route: 198.51.100.0/24 ({unreach['route']}) unreachable host" in unreach["steps"]
    # the route is looked up first; TTL 1 decides
    assert ttl1["answer"] == "time_exceeded"
    line_of(ttl1["route"], LINE_MTU)
    assert ttl1["steps"][:3] == ["l2: ours", "ipv4: ok", "ipv4: transit"]
    # no route: the transit drop, and no route named
    assert (onlink["outcome"], onlink["reason"]) == ("dropped", "transit")
    assert "route: none" in onlink["steps"] and "route" not in onlink
    assert mtu["reason"] == "transit" and mtu["route"].endswith(f":{LINE_MTU}")


def test_a_policy_deny_names_the_rule_line():
    r = run_replay([echo(src="192.0.2.7"), echo()], config=ROUTED)
    denied, allowed = r.trace
    assert (denied["outcome"], denied["reason"]) == ("dropped", "policy_deny")
    line_of(denied["policy"], LINE_DENY)
    assert denied["steps"][-1] == f"policy: {denied['policy']} deny"
    assert allowed["answer"] == "echo_reply" and "policy" not in allowed
    assert allowed["steps"][-1] == "policy: default allow"


def test_the_check_that_dropped_is_the_reason_and_the_steps_stop_there():
    bad_ip = Ether(dst=US_MAC) / IP(src=PEER, dst=US, chksum=1) / ICMP()
    bad_icmp = Ether(dst=US_MAC) / IP(src=PEER, dst=US) / ICMP(chksum=1)
    other_mac = echo(mac="02:00:00:00:00:99")
    tagged = Ether(dst=US_MAC) / Dot1Q(vlan=7) / IP(src=PEER, dst=US) / ICMP()
    r = run_replay([bad_ip, bad_icmp, other_mac, tagged])
    a, b, c, d = r.trace
    assert (a["reason"], a["steps"]) == ("ip_checksum", ["l2: ours"])
    assert (b["reason"], b["steps"]) == ("icmp_checksum", ["l2: ours", "ipv4: ok"])
    assert (c["reason"], c["steps"]) == ("l2_other_mac", [])
    assert d["steps"][0] == "l2: ours, vlan 7" and d["answer"] == "echo_reply"
    assert d["summary"].startswith("vlan 7 ipv4 192.0.2.2 > 192.0.2.1 ttl 64 icmp 8/0 echo request")


def test_a_fragment_held_for_reassembly_says_so_as_its_counter_does():
    frags = fragment(IP(src=PEER, dst=US) / ICMP(id=7, seq=1) / Raw(b"x" * 1600), fragsize=1000)
    r = run_replay([Ether(dst=US_MAC) / f for f in frags])
    held, done = r.trace
    assert (held["outcome"], held["reason"]) == ("dropped", "ip_frag_reasm")
    assert held["steps"][-1] == "fragment: held for reassembly"
    assert done["answer"] == "echo_reply"
    assert "fragment: completes a datagram of 1628 bytes" in done["steps"]
    assert r.stats["dropped"]["ip_frag_reasm"] == 1


def test_ipv6_extension_headers_nd_and_fragments_are_steps():
    hbh = Ether(dst=US_MAC) / IPv6(src=PEER6, dst=US6) / IPv6ExtHdrHopByHop() / \
        ICMPv6EchoRequest(id=1, seq=2)
    ns = Ether(dst=SNM_US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=SNM_US, hlim=255) / \
        ICMPv6ND_NS(tgt=US6) / ICMPv6NDOptSrcLLAddr(lladdr=PEER_MAC)
    big = IPv6(src=PEER6, dst=US6) / IPv6ExtHdrFragment(id=9) / \
        ICMPv6EchoRequest(id=3, seq=4, data=b"y" * 1600)
    frags = [Ether(dst=US_MAC) / f for f in fragment6(big, 1280)]
    r = run_replay([hbh, ns, *frags], config=CONFIG6)
    t_hbh, t_ns, *t_frags = r.trace
    assert t_hbh["steps"] == ["l2: ours", "ipv6: ok", "exthdr: hop-by-hop", "icmp6: echo request"]
    assert t_hbh["answer"] == "icmp6_echo_reply", t_hbh
    assert "hop-by-hop" in t_hbh["summary"]
    assert t_ns["steps"][:3] == ["l2: group", "ipv6: ok", "nd: neighbor solicitation"], t_ns
    assert t_ns["outcome"] == "answered", t_ns
    assert [t.get("reason") for t in t_frags[:-1]] == ["ip6_frag_reasm"] * (len(t_frags) - 1)
    assert t_frags[-1]["answer"] == "icmp6_echo_reply"
    assert any(s.startswith("fragment: completes") for s in t_frags[-1]["steps"])


def test_a_rate_limited_echo_names_its_limiter():
    cfg = BASE_CONFIG + "[ratelimit]\necho_per_sec = 10\n"
    r = run_replay([echo(seq=i) for i in range(3)], config=cfg, step=0)
    assert [t["outcome"] for t in r.trace] == ["answered", "ratelimited", "ratelimited"]
    assert r.trace[1]["answer"] == "echo_reply"
    assert r.trace[1]["steps"][-1] == "ratelimit: echo"


def test_an_lpa_heard_is_a_step_of_its_own():
    cfg = BASE_CONFIG + "[routes]\n10.20.0.0/16 = modem 7\n[lpa]\nlisten = on\n"
    r = run_replay([lpa(modem(7))], config=cfg)
    (t,) = r.trace
    assert t["steps"][-2:] == ["udp: lpa port 7575", "lpa: 1 blocks"], t
    assert (t["outcome"], t["reason"]) == ("dropped", "lpa_heard")


def test_lines_keep_capture_order_across_bursts_and_icmpfpctl_reads_them():
    pkts = [echo(seq=i) if i % 3 else probe("198.51.100.9") for i in range(70)]
    with tempfile.TemporaryDirectory() as d:
        for i, p in enumerate(pkts):
            p.time = 1000 + i // 10  # bursts of one instant, ten frames each
        cfg, inp = os.path.join(d, "icmpfp.ini"), os.path.join(d, "in.pcap")
        with open(cfg, "w") as f:
            f.write(ROUTED)
        wrpcap(inp, pkts)
        runs = []
        for burst in ("1", "64"):
            tr = os.path.join(d, f"t{burst}.jsonl")
            r = subprocess.run([REPLAY, "-c", cfg, "--burst", burst, "--trace", tr, inp,
                                os.path.join(d, "out.pcap")], capture_output=True, text=True,
                               timeout=60)
            assert r.returncode == 0, r.stderr
            runs.append(read_trace(tr))
        assert runs[0] == runs[1]
        assert [t["frame"] for t in runs[0]] == list(range(1, 71))
        assert runs[0][0]["time"] == 1000.0 and runs[0][69]["time"] == 1006.0
        r = subprocess.run(["/usr/bin/python3", CTL, "show", "trace", "--file", tr],
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, r.stderr
        assert "frame 4\n  ipv4 192.0.2.2 > 198.51.100.9" in r.stdout
        assert "  => answered unreachable_route" in r.stdout
        assert r.stdout.rstrip().endswith("70 frames")


def test_a_trace_file_that_cannot_be_written_is_refused():
    r = subprocess.run([REPLAY, "-c", "/dev/null", "--trace", "/nonexistent/t.jsonl",
                        "/dev/null", "/dev/null"], capture_output=True, text=True, timeout=30)
    assert r.returncode != 0


def test_an_empty_capture_record_keeps_its_place_among_the_lines():
    """A record of 0 bytes is a runt counted outside the fast path: traced
    too, between the frames of the same instant around it."""
    import struct
    frames = [bytes(echo(seq=1)), b"", bytes(echo(seq=2))]
    cap = bytearray(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for f in frames:
        cap += struct.pack("<IIII", 1000, 0, len(f), len(f)) + f
    with tempfile.TemporaryDirectory() as d:
        cfg, inp, tr = (os.path.join(d, n) for n in ("c.ini", "in.pcap", "t.jsonl"))
        with open(cfg, "w") as f:
            f.write(BASE_CONFIG)
        with open(inp, "wb") as f:
            f.write(cap)
        r = subprocess.run([REPLAY, "-c", cfg, "--trace", tr, inp, os.path.join(d, "o.pcap")],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        trace = read_trace(tr)
    assert [(t["frame"], t["outcome"], t.get("reason")) for t in trace] == \
        [(1, "answered", None), (2, "dropped", "l2_runt"), (3, "answered", None)]
    assert trace[1]["steps"] == ["l2: empty frame"] and trace[1]["summary"] == "runt len 0"
