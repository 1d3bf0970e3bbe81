#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The benchmarks' capture: 64 echo requests of SIZE bytes (no FCS) from
192.0.2.2 to 192.0.2.1, ids and payloads all different, to the broadcast MAC
(a net_pcap port's MAC changes from run to run; icmpfp accepts broadcast).

    echo_pcap.py SIZE OUT.pcap
"""
import sys

from scapy.all import Ether, IP, ICMP, Raw, wrpcap

size, out = int(sys.argv[1]), sys.argv[2]
pkts = []
for i in range(64):
    p = (Ether(dst="ff:ff:ff:ff:ff:ff", src="02:00:00:00:00:02") /
         IP(src="192.0.2.2", dst="192.0.2.1") /
         ICMP(type=8, id=0x4242, seq=i))
    p = p / Raw(bytes((j + i) & 0xff for j in range(size - len(p))))
    assert len(p) == size
    pkts.append(p)
wrpcap(out, pkts)
