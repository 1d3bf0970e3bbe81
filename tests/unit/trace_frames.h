/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_TRACE_FRAMES_H
#define IFP_TRACE_FRAMES_H

/*
 * Frames of the packet trace's tests (test_trace.c, ops/trace_fixture.c),
 * written out byte by byte; scapy gives the same bytes (checksums left 0:
 * the trace reads, it does not verify).
 */

#include <stdint.h>

/* Ether(dst="02:00:00:00:00:01", src="02:00:00:00:00:02") /
 * IP(src="192.0.2.2", dst="192.0.2.1") / ICMP(id=0x1234, seq=7) */
static const uint8_t trace_echo4[] = {
	0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x40, 0x01, 0x00, 0x00,
	192, 0, 2, 2, 192, 0, 2, 1,
	0x08, 0x00, 0x00, 0x00, 0x12, 0x34, 0x00, 0x07,
};

/* ... / IPv6(src="2001:db8:1::2", dst="2001:db8:1::1", hlim=64) /
 * ICMPv6EchoRequest(id=1, seq=2) */
static const uint8_t trace_echo6[] = {
	0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02, 0x86, 0xdd,
	0x60, 0, 0, 0, 0x00, 0x08, 58, 64,
	0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	128, 0, 0, 0, 0, 1, 0, 2,
};

/* Ether(dst="ff:ff:ff:ff:ff:ff") / ARP(psrc="192.0.2.2", pdst="192.0.2.1") */
static const uint8_t trace_arp_req[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x02, 0x08, 0x06,
	0, 1, 0x08, 0x00, 6, 4, 0, 1,
	0x02, 0, 0, 0, 0, 0x02, 192, 0, 2, 2,
	0, 0, 0, 0, 0, 0, 192, 0, 2, 1,
};

/* ... / IP(src="192.0.2.2", dst="198.51.100.7", ttl=1) /
 * UDP(sport=40000, dport=33434) */
static const uint8_t trace_udp_ttl1[] = {
	0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x02, 0x00, 0x00, 0x01, 0x11, 0x00, 0x00,
	192, 0, 2, 2, 198, 51, 100, 7,
	0x9c, 0x40, 0x82, 0x9a, 0x00, 0x08, 0x00, 0x00,
};

#endif /* IFP_TRACE_FRAMES_H */
