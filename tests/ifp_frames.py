"""Byte-exact builders of well- and ill-formed frames: the malformed-input
catalog (tests/replay/test_malformed*.py), the fuzz seeds and the soak mix.

scapy fixes what it can (lengths, checksums) and cannot build half of the
frames an attacker sends, so headers are packed by hand here; scapy still
decodes the answers."""
import socket
import struct

from scapy.utils import checksum

from ifp_harness import PEER, PEER_MAC, US, US_MAC

ETH_IPV4 = 0x0800
ETH_ARP = 0x0806
ETH_VLAN = 0x8100


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


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
    return c


def lpa_frames():
    """Link Property Advertisements, good and malformed, to the group and to
    us, an ARP reply from an advertise_to address (192.0.2.2), and probes
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
        "probe_ttl1": eth(ipv4(probe, dst="10.20.1.1", proto=17, ttl=1)),
        "probe_df": eth(ipv4(bytes(1300), dst="10.20.1.1", proto=17, frag=0x4000)),
    }
