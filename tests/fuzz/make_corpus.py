#!/usr/bin/python3
"""Seed corpus of tests/fuzz/fuzz_burst, in its input format (see the head
of fuzz_burst.c), from scapy-made and hand-packed frames: every entry of the
malformed-input catalog, and the good frames icmpfp answers.

    /usr/bin/python3 tests/fuzz/make_corpus.py DIR

Deterministic: the same seeds every run."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from ifp_frames import (ALL_NODES, ALL_NODES_MAC, ETH_ARP, ETH_IPV6,  # noqa: E402
                        PEER_LL6, a6, arp, catalog, echo6_frame, echo_frame, eth,
                        ext, frag6, icmp, icmp6, ipv4, ipv6, lpa_frames, mld_query,
                        ns_frame)
from ifp_harness import PEER, PEER6, US, US2, US6, US_LL, US_MAC  # noqa: E402


def good_frames():
    udp = b"\x82\x9a\x82\x9b\x00\x10\x00\x00" + b"probe123"
    return {
        "echo": echo_frame(),
        "echo_odd": echo_frame(data=bytes(range(33))),
        "echo_big": echo_frame(data=bytes(i % 251 for i in range(1400))),
        "echo_vlan": eth(ipv4(icmp(data=b"vlan"), dst=US2), vlan=42),
        "echo_bcast": eth(ipv4(icmp(), dst="192.0.2.255"), dst="ff:ff:ff:ff:ff:ff"),
        "echo_options_rr": eth(ipv4(icmp(), options=bytes([7, 11, 4] + [0] * 8 + [0]))),
        "echo_options_ts": eth(ipv4(icmp(), options=bytes([68, 12, 5, 0] + [0] * 8))),
        "echo_lsrr": eth(ipv4(icmp(), options=bytes([0x83, 7, 4, 192, 0, 2, 1, 0]))),
        "arp_request": eth(arp(), ETH_ARP, dst="ff:ff:ff:ff:ff:ff"),
        "arp_request_us2": eth(arp(tpa=US2), ETH_ARP, dst="ff:ff:ff:ff:ff:ff"),
        "timestamp": eth(ipv4(icmp(type_=13, data=b"\0" * 12))),
        "address_mask": eth(ipv4(icmp(type_=17, data=b"\0" * 4))),
        "extended_echo": eth(ipv4(icmp(type_=42, rest=b"\x00\x01\x01\x00",
                                       data=b"\x00\x08\x02\x01\x00\x00\x00\x01"))),
        "udp_to_us": eth(ipv4(udp, proto=17)),
        "tcp_to_us": eth(ipv4(b"\0" * 20, proto=6)),
        "proto_253": eth(ipv4(b"x", proto=253)),
        "ttl1_transit": eth(ipv4(udp, dst="198.18.0.1", proto=17, ttl=1)),
        "ttl1_tiny": eth(ipv4(b"", dst="198.18.0.1", proto=253, ttl=1)),
        "df_big_transit": eth(ipv4(bytes(1460), dst="203.0.113.5", proto=17,
                                   frag=0x4000)),
        "frag_first": eth(ipv4(icmp(data=bytes(200))[:104], frag=0x2000)),
        "frag_last": eth(ipv4(icmp(data=bytes(200))[104:], frag=13)),
        "error_to_us": eth(ipv4(icmp(type_=3, code=1, rest=b"\0" * 4,
                                     data=ipv4(b"12345678", src=US, dst=PEER, proto=17)))),
    }


def good6_frames():
    """IPv6 frames icmpfp answers (the test port has 2001:db8:0:1::1 and
    ::9 and fe80::ff:fe00:1), and chains of extension headers."""
    udp = b"\x82\x9a\x82\x9b\x00\x10\x00\x00" + b"probe123"
    msg = icmp6(body=b"\x12\x34\x00\x01" + bytes(range(200)))
    big = icmp6(body=b"\x12\x34\x00\x02" + bytes(i % 251 for i in range(3000)))
    f = {
        "echo6": echo6_frame(),
        "echo6_ll": echo6_frame(src=PEER_LL6, dst=US_LL),
        "echo6_all_nodes": echo6_frame(dst=ALL_NODES, mac=ALL_NODES_MAC),
        "echo6_vlan": eth(ipv6(icmp6()), ETH_IPV6, vlan=42),
        "ns": ns_frame(),
        "ns_unicast": ns_frame(dst=US6, mac=US_MAC, sllao=False),
        "ns_dad": ns_frame(src="::", sllao=False),
        "mld_query": mld_query(),
        "mld_query_group": mld_query(group="ff02::1:ff00:1"),
        "udp6_to_us": eth(ipv6(udp, nh=17), ETH_IPV6),
        "tcp6_to_us": eth(ipv6(bytes(20), nh=6), ETH_IPV6),
        "proto6_253": eth(ipv6(b"x" * 8, nh=253), ETH_IPV6),
        "ext6_hbh_ra": eth(ipv6(ext(58, b"\x05\x02\x00\x00\x01\x00") + icmp6(), nh=0),
                           ETH_IPV6),
        "ext6_opt_10": eth(ipv6(ext(58, b"\x9e\x04\x00\x00\x00\x00") + icmp6(), nh=0),
                           ETH_IPV6),
        "ext6_opt_11": eth(ipv6(ext(58, b"\xde\x04\x00\x00\x00\x00") + icmp6(), nh=0),
                           ETH_IPV6),
        "ext6_chain": eth(ipv6(ext(43) + b"\x3c\x02\x04\x00" + bytes(4) + a6(PEER6)
                               + ext(58) + icmp6(), nh=60), ETH_IPV6),
        "ext6_routing_left": eth(ipv6(b"\x3a\x02\x00\x01" + bytes(4) + a6(PEER6) + icmp6(),
                                      nh=43), ETH_IPV6),
        "ext6_atomic": eth(ipv6(frag6(58) + icmp6(), nh=44), ETH_IPV6),
        "frag6_first": eth(ipv6(frag6(58, 0, True) + msg[:104], nh=44), ETH_IPV6),
        "frag6_last": eth(ipv6(frag6(58, 13) + msg[104:], nh=44), ETH_IPV6),
        "frag6_incomplete_chain": eth(ipv6(frag6(60, 0, True) + b"\x3a\x04" + bytes(6),
                                           nh=44), ETH_IPV6),
        "error6_to_us": eth(ipv6(icmp6(1, 4, bytes(4) + ipv6(udp, src=US6, dst=PEER6, nh=17))),
                            ETH_IPV6),
        "ext_echo6": eth(ipv6(icmp6(160, 0, b"\x00\x01\x01\x01"
                                    + b"\x20\x00\x00\x00\x00\x08\x03\x02\x00\x00\x00\x01")),
                         ETH_IPV6),
    }
    for i, off in enumerate(range(0, len(big), 1232)):
        f[f"frag6_big_{i}"] = eth(ipv6(frag6(58, off // 8, off + 1232 < len(big), 7)
                                       + big[off:off + 1232], nh=44), ETH_IPV6)
    return f


def record(frame, end=False, ctl=0):
    return bytes([ctl | (1 if end else 0)]) + struct.pack("!H", len(frame)) + frame


def seed(frames, conf=0, conf2=0, seg=0):
    out = bytes([conf, conf2, seg])
    for i, f in enumerate(frames):
        out += record(f, end=(i == len(frames) - 1), ctl=(i % 4) << 3)
    return out


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    seeds = {}
    good = good_frames()
    for name, f in good.items():
        seeds[f"good_{name}"] = seed([f])
        seeds[f"good_{name}_seg40"] = seed([f], seg=40)
    seeds["good_all"] = seed(list(good.values()))
    seeds["good_all_tight_limits"] = seed(list(good.values()) * 3, conf=0x0c)
    seeds["good_all_options_on"] = seed(list(good.values()), conf=0x21, conf2=0x03)
    seeds["good_all_extreme_limits"] = seed(list(good.values()) * 2, conf2=0x18)
    seeds["good_all_offload_tx_half"] = seed(list(good.values()), conf=0xc0)
    lpa = lpa_frames()
    for name, f in lpa.items():
        seeds[f"lpa_{name}"] = seed([f], conf2=0x20)
    seeds["lpa_scenario"] = seed([lpa["probe_ttl1"], lpa["up"], lpa["probe_ttl1"],
                                  lpa["probe_df"], lpa["down"], lpa["probe_ttl1"]],
                                 conf2=0x20)
    seeds["lpa_all_seg40"] = seed(list(lpa.values()), conf2=0x20, seg=40)
    seeds["lpa_off"] = seed(list(lpa.values()))
    seeds["frags_reassembly_off"] = seed([good["frag_first"], good["frag_last"]], conf=0x10)
    good6 = good6_frames()
    for name, f in good6.items():
        seeds[f"good6_{name}"] = seed([f])
        seeds[f"good6_{name}_seg40"] = seed([f], seg=40)
    seeds["good6_all"] = seed(list(good6.values()))
    seeds["good6_all_options_on"] = seed(list(good6.values()), conf2=0x40)
    seeds["good6_all_tight_limits"] = seed(list(good6.values()) * 2, conf=0x0c)
    seeds["good6_frags_reassembly_off"] = seed(
        [f for n, f in good6.items() if n.startswith("frag6")], conf2=0xc0)
    seeds["good6_ipv6_off"] = seed([good6["echo6"], good6["ns"]], conf2=0x80)
    seeds["mixed_families"] = seed(list(good.values()) + list(good6.values()))
    # IPv6 transit: hop limit 1, too big for ::/0 = mtu 1280 (conf2 bit 6),
    # a later fragment, a group, and the modem route (bit 5)
    udp = b"\x82\x9a\x82\x9b\x00\x10\x00\x00" + b"probe123"
    far = "2001:db8:99::1"
    transit6 = [eth(ipv6(udp, dst=far, nh=17, hlim=1), ETH_IPV6),
                eth(ipv6(udp + bytes(1300), dst=far, nh=17), ETH_IPV6),
                eth(ipv6(frag6(17, 8, True) + bytes(64), dst=far, nh=44, hlim=1), ETH_IPV6),
                eth(ipv6(udp + bytes(1300), dst="ff0e::1", nh=17), ETH_IPV6),
                eth(ipv6(icmp6(3, 0, bytes(4) + ipv6(udp, src=far, dst=PEER6, nh=17),
                               dst=far), dst=far, hlim=1), ETH_IPV6)]
    seeds["transit6"] = seed(transit6, conf2=0x40)
    seeds["transit6_seg40"] = seed(transit6, conf2=0x40, seg=40)
    seeds["transit6_modem"] = seed([lpa["up"]] + transit6 + [lpa["down"]] + transit6,
                                   conf2=0x60)
    for name, frame, _, seg, conf in catalog():
        flags = 0x10 if "[icmp]\nreassembly = off" in conf else 0
        flags2 = 0xc0 if "[icmp6]\nreassembly = off" in conf else 0
        seeds[f"bad_{name}"] = seed([frame], conf=flags, conf2=flags2, seg=seg or 0)
    seeds["bad_all"] = seed([c[1] for c in catalog() if c[3] is None])
    for name, data in seeds.items():
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
    print(f"make_corpus: {len(seeds)} seeds in {outdir}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build-fuzz/seeds")
