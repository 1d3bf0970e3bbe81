"""Byte-exact builders of well- and ill-formed frames: the malformed-input
catalog (tests/replay/test_malformed*.py), the fuzz seeds and the soak mix.

scapy fixes what it can (lengths, checksums) and cannot build half of the
frames an attacker sends, so headers are packed by hand here; scapy still
decodes the answers."""
import socket
import struct

from scapy.utils import checksum

from ifp_harness import PEER, PEER6, PEER_MAC, SNM_US, SNM_US_MAC, US, US6, US_MAC

ETH_IPV4 = 0x0800
ETH_ARP = 0x0806
ETH_VLAN = 0x8100
ETH_IPV6 = 0x86DD
ALL_NODES = "ff02::1"
ALL_NODES_MAC = "33:33:00:00:00:01"
PEER_LL6 = "fe80::2"
# what a catalog entry about IPv6 adds to [port 0]
V6 = "address6 = 2001:db8:0:1::1/64\nlink_local = auto\n"


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


mac_bytes = mac


def cksum(data):
    """The Internet checksum of data, as it goes into the header."""
    return checksum(data) & 0xffff


def eth(payload, ethertype=ETH_IPV4, vlan=None, dst=US_MAC, src=PEER_MAC):
    """An Ethernet frame; vlan=None, a VLAN id, or a list of (tpid, vid)."""
    tags = b""
    if isinstance(vlan, int):
        vlan = [(ETH_VLAN, vlan)]
    for tpid, vid in vlan or ():
        tags += struct.pack("!HH", tpid, vid)
    return mac(dst) + mac(src) + tags + struct.pack("!H", ethertype) + payload


def ipv4(payload=b"", src=PEER, dst=US, proto=1, ttl=64, ihl=None, tot_len=None,
         frag=0, ident=0x4242, options=b"", bad_cksum=False):
    """An IPv4 datagram; frag is the whole flags+offset word. IHL and total
    length default to what the header and payload hold; the header checksum
    is right unless bad_cksum, over the IHL*4 bytes (or 20, whichever is
    more, so that IHL < 5 still carries a checksum of its 20 bytes)."""
    if ihl is None:
        ihl = (20 + len(options)) // 4
    if tot_len is None:
        tot_len = 20 + len(options) + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, tot_len, ident, frag, ttl,
                      proto, 0, socket.inet_aton(src), socket.inet_aton(dst)) + options
    n = max(ihl * 4, 20)
    ck = cksum(hdr[:n])
    if bad_cksum:
        ck ^= 0x0101
    return hdr[:10] + struct.pack("!H", ck) + hdr[12:] + payload


def icmp(type_=8, code=0, rest=b"\x12\x34\x00\x01", data=b"icmpfp", bad_cksum=False):
    msg = struct.pack("!BBH", type_, code, 0) + rest + data
    ck = cksum(msg)
    if bad_cksum:
        ck ^= 0x0101
    return msg[:2] + struct.pack("!H", ck) + msg[4:]


def arp(op=1, htype=1, ptype=ETH_IPV4, hlen=6, plen=4, sha=PEER_MAC, spa=PEER,
        tha="00:00:00:00:00:00", tpa=US):
    return (struct.pack("!HHBBH", htype, ptype, hlen, plen, op) + mac(sha)
            + socket.inet_aton(spa) + mac(tha) + socket.inet_aton(tpa))


def a6(s):
    return socket.inet_pton(socket.AF_INET6, s)


def ipv6(payload=b"", src=PEER6, dst=US6, nh=58, hlim=64, plen=None, version=6):
    """An IPv6 packet; the payload length defaults to the payload's."""
    if plen is None:
        plen = len(payload)
    return (struct.pack("!IHBB", version << 28, plen, nh, hlim) + a6(src) + a6(dst)
            + payload)


def icmp6(type_=128, code=0, body=b"\x12\x34\x00\x01icmpfp6", src=PEER6, dst=US6,
          bad_cksum=False, length=None):
    """An ICMPv6 message whose checksum covers the pseudo-header of src and
    dst (RFC 4443 2.3); length: the upper-layer length summed, if not the
    message's."""
    msg = struct.pack("!BBH", type_, code, 0) + body
    n = len(msg) if length is None else length
    ck = cksum(a6(src) + a6(dst) + struct.pack("!IxxxB", n, 58) + msg)
    if bad_cksum:
        ck ^= 0x0101
    return msg[:2] + struct.pack("!H", ck) + msg[4:]


def ext(nh, body=b"\x01\x04\x00\x00\x00\x00"):
    """A Hop-by-Hop, Destination Options or Routing header: next header,
    length, body (a multiple of 8 with the two first octets)."""
    return struct.pack("!BB", nh, (len(body) + 2) // 8 - 1) + body


def frag6(nh, offset=0, more=False, ident=0x4242):
    return struct.pack("!BBHI", nh, 0, offset << 3 | int(more), ident)


def echo6_frame(data=b"icmpfp6", src=PEER6, dst=US6, mac=US_MAC, **kw):
    """A good ICMPv6 echo request to US6."""
    return eth(ipv6(icmp6(body=b"\x12\x34\x00\x01" + data, src=src, dst=dst), src=src,
                    dst=dst, **kw), ETH_IPV6, dst=mac)


def ns_frame(tgt=US6, src=PEER6, dst=SNM_US, mac=SNM_US_MAC, hlim=255, sllao=True,
             code=0):
    body = b"\0\0\0\0" + a6(tgt)
    if sllao:
        body += b"\x01\x01" + mac_bytes(PEER_MAC)
    return eth(ipv6(icmp6(135, code, body, src, dst), src, dst, hlim=hlim), ETH_IPV6, dst=mac)


def mld_query(group="::", src=PEER_LL6, dst=ALL_NODES, mac=ALL_NODES_MAC):
    hbh = ext(58, b"\x05\x02\x00\x00\x01\x00")
    q = icmp6(130, 0, b"\x27\x10\0\0" + a6(group) + b"\0\0\0\0", src, dst)
    return eth(ipv6(hbh + q, src, dst, nh=0, hlim=1), ETH_IPV6, dst=mac)


def echo_frame(data=b"icmpfp", **ip):
    """A good echo request to US."""
    return eth(ipv4(icmp(data=data), **ip))


def _ip_runt(n):
    return eth(ipv4(icmp())[:n])


def _with_option_past_header():
    # an IHL of 6 with a record-route option claiming 8 bytes: pending
    # (Parameter Problem, issue 3); here only for the fuzz seeds
    return eth(ipv4(icmp(), options=bytes([7, 8, 4, 0])))


def catalog():
    """The malformed-input catalog: (name, frame, drop reason, segment size
    for icmpfp-replay --segment or None, config addition or ""). Each frame
    alone must give no answer and exactly one count of its reason."""
    good_icmp = icmp(data=b"icmpfp-catalog")
    good_ip = ipv4(good_icmp)
    off = "[icmp]\nreassembly = off\n"
    c = []

    def add(name, frame, reason, seg=None, conf=""):
        c.append((name, frame, reason, seg, conf))

    # runts: < 14 (no Ethernet header), < 34 (no IPv4 header), < 42 (no ARP
    # body; no ICMP header)
    for n in (1, 6, 13):
        add(f"runt_{n}_bytes", eth(good_ip)[:n], "l2_runt")
    for n in (0, 1, 10, 19):
        add(f"ipv4_runt_{14 + n}_bytes", eth(good_ip)[:14 + n], "ip_runt")
    for n in (0, 8, 27):
        add(f"arp_runt_{14 + n}_bytes", eth(arp(), ETH_ARP)[:14 + n], "arp_truncated")
    for n in (0, 3):
        add(f"vlan_runt_{14 + n}_bytes",
            eth(good_ip, vlan=7)[:14 + n], "l2_runt")
    add("vlan_ipv4_runt_37_bytes", eth(good_ip, vlan=7)[:37], "ip_runt")
    add("vlan_arp_runt_45_bytes", eth(arp(), ETH_ARP, vlan=7)[:45], "arp_truncated")
    for n in (0, 1, 4, 7):
        add(f"icmp_runt_{n}_bytes", eth(ipv4(good_icmp[:n])), "icmp_runt")
    add("icmp_zero_length_padded", eth(ipv4(b"") + b"\0" * 26), "icmp_runt")
    add("icmp_runt_3_bytes_padded", eth(ipv4(good_icmp[:3]) + b"\0" * 23), "icmp_runt")

    # ethertypes we do not speak
    for t in (0x86DD, 0x0000, 0x05DC, 0x8847, 0x88CC, 0x0801, 0xFFFF):
        add(f"ethertype_{t:04x}", eth(good_ip, t), "l2_ethertype")
    add("vlan_then_ipv6", eth(good_ip, 0x86DD, vlan=5), "l2_ethertype")

    # QinQ: 802.1ad, two 802.1Q tags, the old 0x9100/0x9200 TPIDs
    add("qinq_88a8", eth(good_ip, vlan=[(0x88A8, 100), (ETH_VLAN, 5)]), "l2_qinq")
    add("qinq_8100_8100", eth(good_ip, vlan=[(ETH_VLAN, 100), (ETH_VLAN, 5)]), "l2_qinq")
    add("qinq_8100_88a8", eth(good_ip, vlan=[(ETH_VLAN, 100), (0x88A8, 5)]), "l2_qinq")
    add("qinq_9100", eth(good_ip, vlan=[(0x9100, 100), (ETH_VLAN, 5)]), "l2_qinq")
    add("qinq_9200", eth(good_ip, vlan=[(0x9200, 100), (ETH_VLAN, 5)]), "l2_qinq")

    # RFC 1812 5.2.2: version, IHL, total length, header checksum
    for v in (0, 6, 15):
        bad = bytearray(good_ip)
        bad[0] = (v << 4) | 5
        add(f"ip_version_{v}", eth(bytes(bad)), "ip_version")
    for ihl in (0, 1, 4):
        add(f"ihl_{ihl}", eth(ipv4(good_icmp, ihl=ihl)), "ip_ihl")
    add("ihl_15_past_a_40_byte_datagram",
        eth(ipv4(good_icmp[:20], ihl=15, tot_len=40)), "ip_ihl")
    add("ihl_6_past_a_20_byte_frame", eth(ipv4(b"", ihl=6, tot_len=24))[:34], "ip_ihl")
    for tl in (0, 19):
        add(f"total_length_{tl}_below_header", eth(ipv4(good_icmp, tot_len=tl)),
            "ip_total_length")
    add("total_length_20_below_ihl_6",
        eth(ipv4(good_icmp, options=b"\x01\x01\x01\x00", tot_len=20)), "ip_total_length")
    add("total_length_one_past_frame",
        eth(ipv4(good_icmp, tot_len=20 + len(good_icmp) + 1)), "ip_total_length")
    add("total_length_65535", eth(ipv4(good_icmp, tot_len=65535)), "ip_total_length")
    add("ip_checksum_off_by_0x0101", eth(ipv4(good_icmp, bad_cksum=True)), "ip_checksum")
    zero = bytearray(good_ip)
    zero[10:12] = b"\0\0"
    add("ip_checksum_zero", eth(bytes(zero)), "ip_checksum")

    # ICMP checksum, even and odd lengths
    add("icmp_checksum_bad", eth(ipv4(icmp(bad_cksum=True))), "icmp_checksum")
    add("icmp_checksum_bad_odd_length",
        eth(ipv4(icmp(data=b"odd", bad_cksum=True))), "icmp_checksum")
    # an odd message whose sender summed a pad byte that is not part of it
    odd = icmp(data=b"odd\x5a")
    odd = odd[:-1]
    add("icmp_odd_length_summed_with_a_pad_byte", eth(ipv4(odd)), "icmp_checksum")
    last = bytearray(eth(ipv4(icmp(data=bytes(range(201))))))
    last[-1] ^= 0x01
    add("icmp_odd_length_last_byte_flipped", bytes(last), "icmp_checksum")

    # ARP: wrong sizes and types
    for name, kw in (("hlen_8", {"hlen": 8}), ("hlen_0", {"hlen": 0}),
                     ("plen_16", {"plen": 16}), ("plen_0", {"plen": 0}),
                     ("htype_ieee802", {"htype": 6}), ("ptype_ipv6", {"ptype": 0x86DD})):
        add(f"arp_{name}", eth(arp(**kw), ETH_ARP, dst="ff:ff:ff:ff:ff:ff"), "arp_format")

    # fragments with reassembly off: overlapping and out-of-range offsets
    # are dropped like any fragment (reassembly on: see the pending file)
    add("fragment_offset_past_65535",
        eth(ipv4(good_icmp, frag=0x1FFF)), "ip_fragment", None, off)
    add("fragment_mf_not_multiple_of_8",
        eth(ipv4(good_icmp[:13], frag=0x2000)), "ip_fragment", None, off)

    # frames whose headers are split over mbuf segments
    echo = eth(good_ip)
    for seg, where in ((6, "ethernet"), (13, "ethertype"), (14, "ip_start"),
                       (24, "ip_header"), (33, "ip_last_byte"), (34, "icmp_start"),
                       (38, "icmp_header")):
        add(f"split_inside_{where}_seg_{seg}", echo, "l2_split_header", seg)
    add("split_inside_vlan_tag_seg_16", eth(good_ip, vlan=9), "l2_split_header", 16)
    add("split_inside_arp_seg_30", eth(arp(), ETH_ARP), "l2_split_header", 30)
    catalog6(add)
    return c


def catalog6(add):
    """The IPv6 entries of the catalog (issue 10): each on a port with
    address6 (V6)."""
    good6 = ipv6(icmp6())
    echo6 = eth(good6, ETH_IPV6)
    m = US_MAC
    for n in (0, 20, 39):
        add(f"ipv6_runt_{14 + n}_bytes", echo6[:14 + n], "ip6_runt", None, V6)
    for v in (0, 4, 15):
        add(f"ipv6_version_{v}", eth(ipv6(icmp6(), version=v), ETH_IPV6), "ip6_version",
            None, V6)
    add("ipv6_payload_length_one_past_frame",
        eth(ipv6(icmp6(), plen=len(icmp6()) + 1), ETH_IPV6), "ip6_payload_length", None, V6)
    add("ipv6_payload_length_65535", eth(ipv6(icmp6(), plen=65535), ETH_IPV6),
        "ip6_payload_length", None, V6)
    for name, src in (("multicast", "ff02::1"), ("loopback", "::1"),
                      ("ipv4_mapped", "::ffff:192.0.2.2"), ("unspecified_on_echo", "::")):
        add(f"ipv6_src_{name}", echo6_frame(src=src), "ip6_martian_src", None, V6)
    for name, dst in (("loopback", "::1"), ("unspecified", "::")):
        add(f"ipv6_dst_{name}", echo6_frame(dst=dst), "ip6_martian_dst", None, V6)
    add("ipv6_dst_a_group_not_ours", echo6_frame(dst="ff05::2"), "ip6_dst_multicast", None, V6)
    add("ipv6_echo_to_all_nodes_multicast_off",
        echo6_frame(dst=ALL_NODES, mac=ALL_NODES_MAC), "ip6_dst_multicast", None, V6)
    add("ipv6_other_solicited_node_mac", echo6_frame(mac="33:33:ff:12:34:56"), "l2_other_mac",
        None, V6)
    add("ipv4_to_our_solicited_node_mac", eth(ipv4(icmp()), dst=SNM_US_MAC), "l2_other_mac",
        None, V6)

    # extension headers (RFC 8200 4)
    msg = icmp6()
    add("ipv6_hop_by_hop_truncated",
        eth(ipv6(ext(58)[:4], nh=0), ETH_IPV6), "ip6_exthdr", None, V6)
    add("ipv6_hop_by_hop_longer_than_the_packet",
        eth(ipv6(b"\x3a\x05" + bytes(6) + msg, nh=0), ETH_IPV6), "ip6_exthdr", None, V6)
    add("ipv6_option_past_its_header",
        eth(ipv6(ext(58, b"\x01\x09\x00\x00\x00\x00") + msg, nh=0), ETH_IPV6),
        "ip6_exthdr", None, V6)
    add("ipv6_seventeen_destination_options",
        eth(ipv6(ext(60) * 16 + ext(58) + msg, nh=60), ETH_IPV6), "ip6_exthdr", None, V6)
    add("ipv6_option_01_discard",
        eth(ipv6(ext(58, b"\x5e\x04\x00\x00\x00\x00") + msg, nh=0), ETH_IPV6),
        "ip6_option_discard", None, V6)
    add("ipv6_no_next_header", eth(ipv6(ext(59) + b"junk", nh=60), ETH_IPV6),
        "ip6_no_next_header", None, V6)
    add("ipv6_fragment_reassembly_off",
        eth(ipv6(frag6(58, 0, True) + msg + bytes(8 - len(msg) % 8), nh=44), ETH_IPV6),
        "ip6_fragment", None, V6 + "[icmp6]\nreassembly = off\n")

    # ICMPv6
    for n in (0, 3, 7):
        add(f"icmp6_runt_{n}_bytes", eth(ipv6(msg[:n]), ETH_IPV6), "icmp6_runt", None, V6)
    add("icmp6_checksum_bad", eth(ipv6(icmp6(bad_cksum=True)), ETH_IPV6), "icmp6_checksum",
        None, V6)
    add("icmp6_checksum_bad_odd_length",
        eth(ipv6(icmp6(body=b"\x12\x34\x00\x01odd", bad_cksum=True)), ETH_IPV6),
        "icmp6_checksum", None, V6)
    no_pseudo = struct.pack("!BBH", 128, 0, 0) + b"\x12\x34\x00\x01abcd"
    no_pseudo = no_pseudo[:2] + struct.pack("!H", cksum(no_pseudo)) + no_pseudo[4:]
    add("icmp6_checksum_without_the_pseudo_header", eth(ipv6(no_pseudo), ETH_IPV6),
        "icmp6_checksum", None, V6)
    add("icmp6_error_to_us", eth(ipv6(icmp6(1, 4, bytes(4) + good6[:48])), ETH_IPV6),
        "icmp6_error_to_us", None, V6)
    add("icmp6_echo_reply_to_us", eth(ipv6(icmp6(129)), ETH_IPV6), "icmp6_reply_to_us",
        None, V6)
    add("icmp6_node_information_query", eth(ipv6(icmp6(139, 0, bytes(12))), ETH_IPV6),
        "icmp6_unknown_type", None, V6)
    add("icmp6_extended_echo_off", eth(ipv6(icmp6(160, 0, bytes(12))), ETH_IPV6),
        "icmp6_disabled", None, V6)

    # neighbour discovery (RFC 4861 7.1.1) and MLD
    add("nd_ns_hop_limit_254", ns_frame(hlim=254), "nd_hop_limit", None, V6)
    add("nd_ns_code_1", ns_frame(code=1), "nd_code", None, V6)
    add("nd_ns_20_bytes", eth(ipv6(icmp6(135, 0, bytes(16), dst=SNM_US), dst=SNM_US, hlim=255),
                              ETH_IPV6, dst=SNM_US_MAC), "nd_runt", None, V6)
    bad_opt = icmp6(135, 0, b"\0\0\0\0" + a6(US6) + b"\x01\x00" + bytes(6), dst=SNM_US)
    add("nd_ns_option_length_0", eth(ipv6(bad_opt, dst=SNM_US, hlim=255), ETH_IPV6,
                                     dst=SNM_US_MAC), "nd_option", None, V6)
    add("nd_ns_target_multicast", ns_frame(tgt="ff02::1"), "nd_target_multicast", None, V6)
    add("nd_dad_with_sllao", ns_frame(src="::"), "nd_dad_sllao", None, V6)
    add("nd_dad_to_unicast", ns_frame(src="::", dst=US6, mac=m, sllao=False), "nd_dad_dst",
        None, V6)
    add("nd_ns_target_not_ours", ns_frame(tgt="2001:db8:0:1::77", dst=US6, mac=m),
        "nd_not_ours", None, V6)
    ra = icmp6(134, 0, bytes(12), PEER_LL6, ALL_NODES)
    add("nd_router_advertisement", eth(ipv6(ra, PEER_LL6, ALL_NODES, hlim=255), ETH_IPV6,
                                       dst=ALL_NODES_MAC), "nd_to_us", None, V6)
    add("mld_query_from_a_global_address", mld_query(src=PEER6), "mld_invalid", None, V6)
    add("mld_query_for_another_group", mld_query(group="ff02::1:ff12:3456"), "mld_not_ours",
        None, V6)

    # headers split over segments
    add("ipv6_split_inside_the_header_seg_30", echo6, "l2_split_header", 30, V6)


def lpa_frames():
    """Link Property Advertisements, good and malformed, to the group and to
    us, an ARP reply and a neighbour advertisement from advertise_to
    addresses (192.0.2.2, 2001:db8:0:1::2), and probes
    towards 10.20.1.1 (a route that follows modem 7): the fuzz seeds and the
    soak mix. Hand-packed, with no UDP checksum (0: none)."""
    block = struct.Struct("!HHBBHIHHIII4s")

    def rate(id_, up=True, mtu=1200):
        return block.pack(1, 32, 1, 1, 0, id_, mtu, 0x2b if up else 0x29, 2000000,
                          1000000, 8000000, bytes([10, 20, 0, 1]))

    def lpa(payload, dst="224.0.0.2", mac="01:00:5e:00:00:02"):
        ulen = 8 + len(payload)
        udp_hdr = struct.pack("!HHHH", 7575, 7575, ulen, 0)  # no checksum
        return eth(ipv4(udp_hdr + payload, dst=dst, proto=17, ttl=1), dst=mac)

    probe = b"\x82\x9a\x82\x9b\x00\x10\x00\x00" + b"probe123"
    return {
        "up": lpa(rate(7)),
        "down": lpa(rate(7, up=False)),
        "two": lpa(rate(7) + rate(8, mtu=0)),
        "unknown_block": lpa(b"\x00\x09\x00\x08abcd" + rate(9)),
        "unicast": lpa(rate(7), dst=US, mac="02:00:00:00:00:01"),
        "truncated": lpa(b"\x00\x01\x00"),
        "block_length": lpa(b"\x00\x01\x00\x00"),
        "rate_length": lpa(b"\x00\x01\x00\x1c" + rate(7)[4:28]),
        "modem_id": lpa(rate(0)),
        "too_many": lpa(rate(7) * 33),
        "arp_reply": eth(arp(op=2, spa="192.0.2.2", tpa=US), ETH_ARP),
        # solicited, override, with the target link-layer address
        "neighbour_advertisement": eth(ipv6(icmp6(
            136, 0, b"\x60\0\0\0" + a6(PEER6) + b"\x02\x01" + mac_bytes(PEER_MAC)),
            hlim=255), ETH_IPV6),
        "probe_ttl1": eth(ipv4(probe, dst="10.20.1.1", proto=17, ttl=1)),
        "probe_df": eth(ipv4(bytes(1300), dst="10.20.1.1", proto=17, frag=0x4000)),
    }
