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

from ifp_frames import (ETH_ARP, arp, catalog, echo_frame, eth,  # noqa: E402
                        icmp, ipv4, lpa_frames)
from ifp_harness import PEER, US, US2  # noqa: E402


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
    for name, frame, _, seg, conf in catalog():
        seeds[f"bad_{name}"] = seed([frame], conf=0x10 if conf else 0, seg=seg or 0)
    seeds["bad_all"] = seed([c[1] for c in catalog() if c[3] is None])
    for name, data in seeds.items():
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
    print(f"make_corpus: {len(seeds)} seeds in {outdir}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build-fuzz/seeds")
