"""Replay tests of the foundation: echo, ARP, VLAN, drops, counters.

Captures are made with scapy; answers are decoded and their checksums
verified by scapy and tshark, never by icmpfp's own code."""
import json
import os
import subprocess
import tempfile

import pytest
from scapy.all import ARP, ICMP, IP, TCP, UDP, Dot1Q, Ether, IPOption, Raw, wrpcap, rdpcap

from ifp_harness import (BASE_CONFIG, PEER, PEER_MAC, REPLAY, US, US2, US_MAC,
                         assert_checksums_good, assert_trace_matches, echo, read_trace,
                         run_replay, tshark_checksum_status)


def test_echo_reply_is_the_request_turned_around_field_by_field():
    reqs = [Ether(bytes(echo(id_=0x4242, seq=s, payload=bytes(range(s % 200)))))
            for s in range(1, 40)]
    r = run_replay(reqs)
    assert r.stats["answers"]["echo_reply"] == 39
    assert len(r.answers) == 39
    for q, a in zip(reqs, r.answers):
        assert a[Ether].dst == PEER_MAC and a[Ether].src == US_MAC
        assert a[IP].src == q[IP].dst and a[IP].dst == q[IP].src
        assert a[IP].ttl == 64
        assert a[IP].len == q[IP].len
        assert a[ICMP].type == 0 and a[ICMP].code == 0
        assert a[ICMP].id == q[ICMP].id and a[ICMP].seq == q[ICMP].seq
        assert bytes(a[ICMP].payload) == bytes(q[ICMP].payload)
        assert_checksums_good(a)


def test_tshark_verifies_every_checksum_we_wrote():
    reqs = [echo(seq=s, payload=os.urandom(s * 7)) for s in range(1, 60)]
    reqs += [Ether(dst=US_MAC, src=PEER_MAC) / Dot1Q(vlan=9) / IP(src=PEER, dst=US2)
             / ICMP(seq=s) / Raw(os.urandom(s)) for s in range(1, 20)]
    with tempfile.TemporaryDirectory() as d:
        for i, p in enumerate(reqs):
            p.time = 10 + i
        wrpcap(f"{d}/in.pcap", reqs)
        with open(f"{d}/c.ini", "w") as f:
            f.write(BASE_CONFIG)
        r = subprocess.run([REPLAY, "-c", f"{d}/c.ini", "--trace", f"{d}/t.jsonl",
                            f"{d}/in.pcap", f"{d}/out.pcap"],
                           check=True, capture_output=True, text=True, timeout=60)
        assert_trace_matches(read_trace(f"{d}/t.jsonl"), len(reqs), json.loads(r.stdout))
        status = tshark_checksum_status(f"{d}/out.pcap")
    assert len(status) == len(reqs)
    assert all(s == ("2", "1") or s == ("1", "1") for s in status), status


def test_vlan_tag_is_kept_on_the_reply():
    q = (Ether(dst=US_MAC, src=PEER_MAC) / Dot1Q(vlan=42, prio=5) / IP(src=PEER, dst=US2)
         / ICMP(id=5, seq=6) / Raw(b"vlan"))
    r = run_replay([q])
    (a,) = r.answers
    assert a[Dot1Q].vlan == 42 and a[Dot1Q].prio == 5
    assert a[IP].src == US2 and a[ICMP].type == 0 and bytes(a[Raw]) == b"vlan"
    assert_checksums_good(a)


def test_arp_request_for_each_address_is_answered():
    reqs = [Ether(dst="ff:ff:ff:ff:ff:ff", src=PEER_MAC)
            / ARP(op=1, hwsrc=PEER_MAC, psrc=PEER, pdst=ip) for ip in (US, US2)]
    reqs.append(Ether(dst="ff:ff:ff:ff:ff:ff", src=PEER_MAC)
                / ARP(op=1, hwsrc=PEER_MAC, psrc=PEER, pdst="192.0.2.77"))
    r = run_replay(reqs)
    assert len(r.answers) == 2
    for ip, a in zip((US, US2), r.answers):
        assert a[Ether].dst == PEER_MAC and a[Ether].src == US_MAC
        assert a[ARP].op == 2 and a[ARP].hwsrc == US_MAC and a[ARP].psrc == ip
        assert a[ARP].hwdst == PEER_MAC and a[ARP].pdst == PEER
    assert r.dropped("arp_not_ours") == 1


def test_a_gratuitous_arp_announces_each_address_when_the_port_comes_up():
    r = run_replay([echo()])
    assert sorted(g[ARP].psrc for g in r.garps) == [US, US2]
    for g in r.garps:
        assert g[Ether].dst == "ff:ff:ff:ff:ff:ff" and g[ARP].hwsrc == US_MAC
        assert g[ARP].pdst == g[ARP].psrc
    assert r.stats["tx"] == r.stats["answered"] + 2
    assert r.stats["originated"] == 2


def test_ethernet_padding_is_not_echoed():
    q = echo(payload=b"ab")  # 44 bytes of IP in a 60-byte frame
    q = Ether(bytes(q) + b"\x00" * 16)
    r = run_replay([q])
    (a,) = r.answers
    assert len(a) == 14 + 20 + 8 + 2


def test_segmented_mbufs_give_the_same_answers():
    reqs = [echo(seq=s, payload=os.urandom(1000 + s)) for s in range(10)]
    flat = run_replay(reqs)
    seg = run_replay(reqs, extra=["--segment", "100"])
    assert [bytes(p) for p in flat.answers] == [bytes(p) for p in seg.answers]
    tiny = run_replay(reqs, extra=["--segment", "20"])
    assert tiny.dropped("l2_split_header") == 10


@pytest.mark.parametrize("mutate,reason", [
    (lambda: Ether(dst="02:00:00:00:00:77", src=PEER_MAC) / IP(src=PEER, dst=US) / ICMP(), "l2_other_mac"),
    (lambda: echo(src="127.0.0.1"), "ip_martian_src"),
    (lambda: echo(src="0.0.0.0"), "ip_martian_src"),
    (lambda: echo(src="224.1.1.1"), "ip_martian_src"),
    (lambda: echo(src="250.1.1.1"), "ip_martian_src"),
    (lambda: echo(dst="192.0.2.255"), "ip_dst_broadcast"),
    (lambda: echo(dst="255.255.255.255"), "ip_dst_broadcast"),
    (lambda: echo(dst="224.0.0.1"), "ip_dst_multicast"),
    (lambda: Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US, chksum=0x1111) / ICMP(), "ip_checksum"),
    # IHL 6 (three NOPs and an End of Option List): the header checksum
    # covers the options too, not only a 20-byte header
    (lambda: Ether(dst=US_MAC, src=PEER_MAC)
     / IP(src=PEER, dst=US, chksum=0x1111, options=IPOption(b"\x01\x01\x01\x00")) / ICMP(),
     "ip_checksum"),
    (lambda: Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US) / ICMP(chksum=0x1111), "icmp_checksum"),
    (lambda: Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US) / TCP(), "tcp"),
    (lambda: Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US) / ICMP(type=0), "icmp_reply_to_us"),
    (lambda: Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US) / ICMP(type=3, code=1), "icmp_error_to_us"),
    (lambda: Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US) / ICMP(type=15), "icmp_info_request"),
    (lambda: Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US) / ICMP(type=77), "icmp_unknown_type"),
    (lambda: Ether(dst=US_MAC, src=PEER_MAC, type=0x86dd) / Raw(b"\x60" + b"\x00" * 50), "l2_ethertype"),
    (lambda: Ether(dst=US_MAC, src=PEER_MAC, type=0x0800) / Raw(b"\x45"), "ip_runt"),
    (lambda: Raw(bytes(Ether(dst=US_MAC, src=PEER_MAC))[:13]), "l2_runt"),
])
def test_frames_we_must_not_answer_are_dropped_by_name(mutate, reason):
    r = run_replay([mutate()])
    assert r.answers == []
    assert r.nonzero_drops() == {reason: 1}


def test_echo_broadcast_on_answers_from_the_subnet_address():
    cfg = BASE_CONFIG + "[icmp]\necho_broadcast = on\n"
    r = run_replay([echo(dst="192.0.2.255", mac="ff:ff:ff:ff:ff:ff")], config=cfg)
    (a,) = r.answers
    assert a[IP].src == US and a[Ether].src == US_MAC
    assert_checksums_good(a)


def test_reply_ttl_comes_from_the_config():
    r = run_replay([echo()], config=BASE_CONFIG + "[icmp]\nreply_ttl = 200\n")
    assert r.answers[0][IP].ttl == 200


def test_a_mixed_capture_adds_up():
    pkts = []
    for i in range(300):
        k = i % 5
        if k == 0:
            pkts.append(echo(seq=i))
        elif k == 1:
            pkts.append(Ether(dst=US_MAC, src=PEER_MAC) / IP(src=PEER, dst=US) / UDP(dport=9))
        elif k == 2:
            pkts.append(Ether(dst="ff:ff:ff:ff:ff:ff", src=PEER_MAC) / ARP(pdst=US, psrc=PEER, hwsrc=PEER_MAC))
        elif k == 3:
            pkts.append(Ether(dst=US_MAC, src=PEER_MAC) / Raw(os.urandom(i % 80)))
        else:
            pkts.append(echo(seq=i, chksum=0))
    r = run_replay(pkts)
    assert r.stats["rx"] == 300
    assert r.stats["answers"]["echo_reply"] == 60
    assert r.stats["answers"]["arp_reply"] == 60


def test_a_bad_config_is_refused_with_line_and_reason():
    with tempfile.TemporaryDirectory() as d:
        with open(f"{d}/bad.ini", "w") as f:
            f.write("[port 0]\naddress = 192.0.2.1/24\n[icmp]\nreply_ttl = 300\n")
        wrpcap(f"{d}/in.pcap", [echo()])
        r = subprocess.run([REPLAY, "-c", f"{d}/bad.ini", f"{d}/in.pcap", f"{d}/out.pcap"],
                           capture_output=True, text=True, timeout=60)
    assert r.returncode != 0
    assert "bad.ini:4: reply_ttl '300'" in r.stderr


def test_a_run_leaves_no_eal_runtime_directory_behind():
    """EAL makes a directory for the run's own prefix (icmpfp-replay-PID) and
    never removes it: icmpfp-replay does, as it exits."""
    base = "/var/run/dpdk" if os.geteuid() == 0 else \
        os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/tmp"), "dpdk")
    with tempfile.TemporaryDirectory() as d:
        cfg, cap, out = (os.path.join(d, n) for n in ("r.ini", "in.pcap", "out.pcap"))
        with open(cfg, "w") as f:
            f.write(BASE_CONFIG)
        wrpcap(cap, [echo(seq=1)])
        p = subprocess.Popen([REPLAY, "-c", cfg, cap, out], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        p.communicate(timeout=60)
        assert p.returncode == 0
        assert not os.path.exists(os.path.join(base, f"icmpfp-replay-{p.pid}"))
