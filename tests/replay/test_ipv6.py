"""Replay tests of IPv6 on the link (issue 10): echo, neighbour discovery,
MLD, extension headers, local errors, reassembly and reply fragments, the
announcements of a port coming up. Captures made with scapy; answers
decoded, and their ICMPv6 checksums verified, by scapy and by tshark."""
import random

import pytest
from scapy.all import UDP, TCP, Dot1Q, Ether, Raw
from scapy.layers.inet6 import (ICMPv6DestUnreach, ICMPv6EchoReply, ICMPv6EchoRequest,
                                ICMPv6MLQuery, ICMPv6MLQuery2, ICMPv6MLReport2,
                                ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6ND_RA, ICMPv6ND_RS,
                                ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr,
                                ICMPv6ParamProblem, ICMPv6Unknown, IPv6, IPv6ExtHdrDestOpt,
                                IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                                IPv6ExtHdrRouting, HBHOptUnknown, PadN, RouterAlert,
                                defragment6, fragment6)

from ifp_harness import (ALL_NODES_MAC, CONFIG6, PEER6, PEER_LL, PEER_MAC, SNM_US,
                         SNM_US_MAC, US6, US6_2, US_LL, US_MAC, assert_icmp6_checksum_good,
                         echo6, run_replay, tshark_icmp6_checksum_status)

MULTICAST_ON = CONFIG6 + "[icmp6]\necho_multicast = on\n"


def checked(answers):
    """Every answer's ICMPv6 checksum, by scapy and by tshark."""
    for a in answers:
        assert_icmp6_checksum_good(a)
    assert tshark_icmp6_checksum_status(answers) == ["1"] * len(answers)
    return answers


def the_answer(r):
    (a,) = checked(r.answers)
    assert a[Ether].src == US_MAC
    return a


# --- echo --------------------------------------------------------------------

def test_echo_reply_is_the_request_turned_around_field_by_field():
    reqs = [Ether(bytes(echo6(seq=s, payload=bytes(range(s % 200)), dst=US6 if s % 2 else US6_2)))
            for s in range(1, 30)]
    r = run_replay(reqs, config=CONFIG6)
    assert r.stats["answers"]["icmp6_echo_reply"] == 29
    for q, a in zip(reqs, checked(r.answers)):
        assert a[Ether].dst == PEER_MAC and a[Ether].src == US_MAC
        assert a[IPv6].src == q[IPv6].dst and a[IPv6].dst == q[IPv6].src
        assert a[IPv6].hlim == 64 and a[IPv6].plen == q[IPv6].plen
        assert a[ICMPv6EchoReply].id == q[ICMPv6EchoRequest].id
        assert a[ICMPv6EchoReply].seq == q[ICMPv6EchoRequest].seq
        assert a[ICMPv6EchoReply].data == q[ICMPv6EchoRequest].data


def test_echo_to_the_link_local_address_is_answered_from_it():
    a = the_answer(run_replay([echo6(dst=US_LL, src=PEER_LL)], config=CONFIG6))
    assert a[IPv6].src == US_LL and a[IPv6].dst == PEER_LL
    assert ICMPv6EchoReply in a


def test_echo_to_all_nodes_only_with_echo_multicast_from_the_senders_scope():
    reqs = [echo6(dst="ff02::1", src=PEER_LL, mac=ALL_NODES_MAC),
            echo6(dst="ff02::1", src=PEER6, mac=ALL_NODES_MAC)]
    r = run_replay(reqs, config=CONFIG6)
    assert r.answers == [] and r.nonzero_drops() == {"ip6_dst_multicast": 2}
    r = run_replay(reqs, config=MULTICAST_ON)
    a, b = checked(r.answers)
    assert (a[IPv6].src, a[IPv6].dst) == (US_LL, PEER_LL)
    assert (b[IPv6].src, b[IPv6].dst) == (US6, PEER6)
    assert a[Ether].dst == PEER_MAC


def test_echo6_off_and_reply_hop_limit():
    r = run_replay([echo6()], config=CONFIG6 + "[icmp6]\necho = off\n")
    assert r.nonzero_drops() == {"icmp6_disabled": 1}
    r = run_replay([echo6()], config=CONFIG6 + "[icmp6]\nreply_hop_limit = 255\n")
    assert the_answer(r)[IPv6].hlim == 255


def test_vlan_tagged_ipv6_is_answered_with_its_tag():
    q = (Ether(dst=US_MAC, src=PEER_MAC) / Dot1Q(vlan=42, prio=3)
         / IPv6(src=PEER6, dst=US6) / ICMPv6EchoRequest(id=7, seq=8, data=b"vlan6"))
    ns = (Ether(dst=SNM_US_MAC, src=PEER_MAC) / Dot1Q(vlan=42)
          / IPv6(src=PEER6, dst=SNM_US, hlim=255) / ICMPv6ND_NS(tgt=US6)
          / ICMPv6NDOptSrcLLAddr(lladdr=PEER_MAC))
    r = run_replay([q, ns], config=CONFIG6)
    a, n = checked(r.answers)
    assert a[Dot1Q].vlan == 42 and a[Dot1Q].prio == 3 and a[ICMPv6EchoReply].data == b"vlan6"
    assert n[Dot1Q].vlan == 42 and ICMPv6ND_NA in n


def test_a_port_without_ipv6_drops_it_as_a_foreign_ethertype():
    from ifp_harness import BASE_CONFIG
    r = run_replay([echo6()], config=BASE_CONFIG)
    assert r.nonzero_drops() == {"l2_ethertype": 1}
    assert r.announced and all(IPv6 not in p for p in r.announced)


# --- neighbour discovery -------------------------------------------------------

def ns(tgt=US6, src=PEER6, dst=SNM_US, mac=SNM_US_MAC, hlim=255, sllao=True, code=0):
    p = (Ether(dst=mac, src=PEER_MAC) / IPv6(src=src, dst=dst, hlim=hlim)
         / ICMPv6ND_NS(tgt=tgt, code=code))
    return p / ICMPv6NDOptSrcLLAddr(lladdr=PEER_MAC) if sllao else p


def check_na(a, tgt, dst, solicited):
    assert a[IPv6].src == tgt and a[IPv6].dst == dst and a[IPv6].hlim == 255
    na = a[ICMPv6ND_NA]
    assert na.tgt == tgt and na.R == 1 and na.O == 1 and na.S == int(solicited)
    assert a[ICMPv6NDOptDstLLAddr].lladdr == US_MAC
    assert a[Ether].src == US_MAC


def test_solicitations_for_our_addresses_get_advertisements():
    reqs = [ns(),                                          # solicited-node group
            ns(dst=US6, mac=US_MAC, sllao=False),          # unicast (NUD)
            ns(tgt=US_LL, src=PEER_LL),                    # link-local
            ns(tgt=US6_2, dst="ff02::1:ff00:9", mac="33:33:ff:00:00:09")]
    r = run_replay(reqs, config=CONFIG6)
    assert r.stats["answers"]["nd_advert"] == 4
    a, b, c, d = checked(r.answers)
    check_na(a, US6, PEER6, True)
    check_na(b, US6, PEER6, True)
    check_na(c, US_LL, PEER_LL, True)
    check_na(d, US6_2, PEER6, True)
    assert a[Ether].dst == PEER_MAC


def test_a_dad_probe_for_our_address_is_defended_to_all_nodes():
    r = run_replay([ns(src="::", sllao=False)], config=CONFIG6)
    a = the_answer(r)
    check_na(a, US6, "ff02::1", False)
    assert a[Ether].dst == ALL_NODES_MAC


@pytest.mark.parametrize("pkt,reason", [
    (ns(hlim=254), "nd_hop_limit"),
    (ns(hlim=1), "nd_hop_limit"),
    (ns(code=1), "nd_code"),
    (Ether(dst=SNM_US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=SNM_US, hlim=255)
     / ICMPv6Unknown(type=135, msgbody=bytes(16)), "nd_runt"),
    (ns(tgt="ff02::1"), "nd_target_multicast"),
    (ns(src="::"), "nd_dad_sllao"),
    (ns(src="::", dst=US6, mac=US_MAC, sllao=False), "nd_dad_dst"),
    (ns(tgt="2001:db8:0:1::77", dst=US6, mac=US_MAC), "nd_not_ours"),
    (Ether(dst=SNM_US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=SNM_US, hlim=255)
     / ICMPv6ND_NS(tgt=US6) / Raw(b"\x01\x00" + bytes(6)), "nd_option"),
    (Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER_LL, dst=US_LL, hlim=255)
     / ICMPv6ND_RS(), "nd_to_us"),
    (Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER_LL, dst=US_LL, hlim=255)
     / ICMPv6ND_RA(), "nd_to_us"),
    (Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER_LL, dst=US_LL, hlim=255)
     / ICMPv6ND_NA(tgt=PEER_LL), "nd_to_us"),
    (Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER_LL, dst=US_LL, hlim=64)
     / ICMPv6ND_NA(tgt=PEER_LL), "nd_hop_limit"),
])
def test_invalid_ndp_and_ndp_to_us_are_dropped_by_reason(pkt, reason):
    r = run_replay([pkt], config=CONFIG6)
    assert r.answers == [] and r.nonzero_drops() == {reason: 1}


# --- MLD ---------------------------------------------------------------------

def query(group="::", version=2, src=PEER_LL, dst="ff02::1", mac=ALL_NODES_MAC, qrv=0):
    body = (ICMPv6MLQuery2(mladdr=group, S=1 if qrv else 0, QRV=qrv) if version == 2
            else ICMPv6MLQuery(mladdr=group))
    return (Ether(dst=mac, src=PEER_MAC) / IPv6(src=src, dst=dst, hlim=1)
            / IPv6ExtHdrHopByHop(options=[RouterAlert()]) / body)


def records(rep):
    """The records of an MLDv2 report (scapy nests each in the one before)."""
    out = []
    for rec in rep.records:
        while rec is not None and rec.name.startswith("ICMPv6 MLDv2 - Multicast Address Record"):
            out.append(rec)
            rec = rec.payload if rec.payload else None
    return out


def check_report(a, groups, rtype):
    assert a[Ether].dst == "33:33:00:00:00:16" and a[Ether].src == US_MAC
    assert a[IPv6].src == US_LL and a[IPv6].dst == "ff02::16" and a[IPv6].hlim == 1
    opts = a[IPv6ExtHdrHopByHop].options
    assert any(isinstance(o, RouterAlert) and o.value == 0 for o in opts)
    rep = a[ICMPv6MLReport2]
    assert rep.records_number == len(groups)
    assert sorted(rec.dst for rec in records(rep)) == sorted(groups)
    assert all(rec.rtype == rtype and rec.sources_number == 0 for rec in records(rep))


def test_a_general_query_gets_an_mldv2_report_of_our_solicited_node_groups():
    for version in (1, 2):
        r = run_replay([query(version=version)], config=CONFIG6)
        check_report(the_answer(r), ["ff02::1:ff00:1", "ff02::1:ff00:9"], 2)
        assert r.stats["answers"]["mld_report"] == 1


def test_a_general_query_with_its_robustness_and_s_flag_set_is_still_general():
    """Linux's querier sends QRV 2: the octet right after the group (::)
    is no part of it."""
    r = run_replay([query(qrv=2)], config=CONFIG6)
    check_report(the_answer(r), ["ff02::1:ff00:1", "ff02::1:ff00:9"], 2)


def test_a_group_query_is_answered_for_that_group_only_if_ours():
    r = run_replay([query(group=SNM_US, dst=SNM_US, mac=SNM_US_MAC)], config=CONFIG6)
    check_report(the_answer(r), [SNM_US], 2)
    r = run_replay([query(group="ff02::1:ff00:9", dst="ff02::1")], config=CONFIG6)
    check_report(the_answer(r), ["ff02::1:ff00:9"], 2)
    r = run_replay([query(group="ff02::1:ff12:3456")], config=CONFIG6)
    assert r.nonzero_drops() == {"mld_not_ours": 1}
    r = run_replay([query(src=PEER6)], config=CONFIG6)
    assert r.nonzero_drops() == {"mld_invalid": 1}


def test_the_port_comes_up_with_an_mld_report_and_an_advertisement_per_address():
    r = run_replay([echo6()], config=CONFIG6)
    garps = r.garps
    rest = [p for p in r.announced if p not in garps]
    checked(rest)
    report, *nas = rest
    check_report(report, ["ff02::1:ff00:1", "ff02::1:ff00:9"], 4)
    assert [a[ICMPv6ND_NA].tgt for a in nas] == [US_LL, US6, US6_2]
    for a in nas:
        check_na(a, a[ICMPv6ND_NA].tgt, "ff02::1", False)
        assert a[Ether].dst == ALL_NODES_MAC
    assert r.stats["originated"] == 2 + 1 + 3 == r.stats["tx"] - 1


# --- extension headers -----------------------------------------------------------

def pp_of(r, code, ptr):
    a = the_answer(r)
    p = a[ICMPv6ParamProblem]
    assert (p.code, p.ptr) == (code, ptr), a.summary()
    assert a[IPv6].src == US6 and a[IPv6].dst == PEER6
    assert r.stats["answers"]["icmp6_param_problem"] == 1
    return a


def with_ext(*ext, dst=US6, mac=US_MAC):
    p = Ether(dst=mac, src=PEER_MAC) / IPv6(src=PEER6, dst=dst)
    for e in ext:
        p = p / e
    return p / ICMPv6EchoRequest(id=3, seq=4, data=b"ext")


def unknown_opt(otype):
    return HBHOptUnknown(otype=otype, optdata=b"\x00\x00")


def test_known_and_skippable_options_leave_the_echo_answered_without_its_headers():
    r = run_replay([with_ext(IPv6ExtHdrHopByHop(options=[RouterAlert(), PadN(optdata=b"\0\0")])),
                    with_ext(IPv6ExtHdrDestOpt(options=[unknown_opt(0x1e)])),
                    with_ext(IPv6ExtHdrRouting(type=4, segleft=0, addresses=["2001:db8::5"])),
                    with_ext(IPv6ExtHdrFragment(offset=0, m=0, id=77))],  # atomic, RFC 6946
                   config=CONFIG6)
    for a in checked(r.answers):
        assert a[IPv6].nh == 58 and ICMPv6EchoReply in a
    assert r.stats["answers"]["icmp6_echo_reply"] == 4


@pytest.mark.parametrize("otype,mcast,want", [
    (0x5e, False, "ip6_option_discard"),     # 01: discard
    (0x9e, False, (2, 42)),                  # 10: 4/2 at the option
    (0x9e, True, (2, 42)),                   # ... even to a group
    (0xde, False, (2, 42)),                  # 11: 4/2
    (0xde, True, "ip6_option_discard"),      # ... unless to a group
])
def test_unknown_options_act_by_their_two_high_bits(otype, mcast, want):
    p = with_ext(IPv6ExtHdrHopByHop(options=[unknown_opt(otype)]),
                 dst="ff02::1" if mcast else US6, mac=ALL_NODES_MAC if mcast else US_MAC)
    r = run_replay([p], config=MULTICAST_ON)
    if isinstance(want, str):
        assert r.answers == [] and r.nonzero_drops() == {want: 1}
    else:
        a = pp_of(r, *want)
        assert a[Ether].dst == PEER_MAC


def test_hop_by_hop_after_another_header_is_4_1_at_its_next_header():
    pp_of(run_replay([with_ext(IPv6ExtHdrDestOpt(), IPv6ExtHdrHopByHop())], config=CONFIG6),
          1, 40)


@pytest.mark.parametrize("rtype", [0, 2, 3, 4, 253])
def test_a_routing_header_with_segments_left_is_4_0_at_its_type(rtype):
    p = with_ext(IPv6ExtHdrRouting(type=rtype, segleft=1, addresses=["2001:db8::5"]))
    pp_of(run_replay([p], config=CONFIG6), 0, 42)


def test_an_unrecognised_next_header_is_4_1_pointing_at_it():
    p = Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=US6, nh=253) / Raw(b"x" * 12)
    a = pp_of(run_replay([p], config=CONFIG6), 1, 6)
    assert bytes(a[ICMPv6ParamProblem].payload) == bytes(p[IPv6])
    p = (Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=US6)
         / IPv6ExtHdrDestOpt(nh=132) / Raw(b"sctp" * 3))
    pp_of(run_replay([p], config=CONFIG6), 1, 40)


def test_no_next_header_and_a_truncated_chain_are_dropped():
    p = Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=US6) / IPv6ExtHdrDestOpt(nh=59)
    r = run_replay([p], config=CONFIG6)
    assert r.nonzero_drops() == {"ip6_no_next_header": 1}
    cut = Ether(bytes(with_ext(IPv6ExtHdrDestOpt(options=[PadN(optdata=bytes(12))])))[:14 + 40 + 8])
    cut[IPv6].plen = 8
    r = run_replay([Ether(bytes(cut))], config=CONFIG6)
    assert r.nonzero_drops() == {"ip6_exthdr": 1}


def test_first_fragment_without_the_whole_chain_is_4_3_with_pointer_zero():
    # the Destination Options header promises 16 octets, the fragment ends at 8
    p = (Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=US6)
         / IPv6ExtHdrFragment(nh=60, m=1, offset=0, id=5)
         / Raw(bytes([58, 1]) + bytes(6)))
    pp_of(run_replay([p], config=CONFIG6), 3, 0)


def test_a_first_fragment_whose_chain_ends_where_icmpv6_begins_is_4_3():
    """RFC 7112 5, RFC 8200 4.5: the chain names ICMPv6 and stops, no type
    byte follows; it cannot be an ICMPv6 error we must not answer (Linux's
    is_ineligible() says the same)."""
    p = (Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=US6)
         / IPv6ExtHdrFragment(nh=60, m=1, offset=0, id=7)
         / IPv6ExtHdrDestOpt(nh=58))
    pp_of(run_replay([p], config=CONFIG6), 3, 0)


@pytest.mark.parametrize("icmp_type,answered", [(128, True), (1, False), (137, False)])
def test_a_first_fragment_cut_inside_icmpv6_is_4_3_unless_its_type_says_error(icmp_type,
                                                                             answered):
    """4 bytes of ICMPv6 after a 12-byte AH: the type byte is there. An
    error type or a redirect (RFC 4443 2.4(e.1), (e.2)) earns nothing."""
    ah = bytes([58, 1, 0, 0]) + bytes(8)  # RFC 4302: (1 + 2) * 4 = 12 bytes
    p = (Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=US6)
         / IPv6ExtHdrFragment(nh=51, m=1, offset=0, id=8)
         / Raw(ah + bytes([icmp_type, 0, 0, 0])))
    r = run_replay([p], config=CONFIG6)
    if answered:
        pp_of(r, 3, 0)
    else:
        assert r.answers == [] and r.nonzero_drops() == {"noerr_icmp_error": 1}


def test_a_fragment_of_a_length_not_a_multiple_of_8_is_4_0_at_the_payload_length():
    body = bytes(ICMPv6EchoRequest(id=1, seq=1, data=b"x" * 30))
    first = (Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=US6)
             / IPv6ExtHdrFragment(nh=58, m=1, offset=0, id=6) / Raw(body[:21]))
    pp_of(run_replay([first], config=CONFIG6), 0, 4)
    later = (Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=US6)
             / IPv6ExtHdrFragment(nh=58, m=1, offset=3, id=6) / Raw(body[:21]))
    r = run_replay([later], config=CONFIG6)
    assert r.answers == [] and r.nonzero_drops() == {"noerr_fragment": 1}


# --- local errors ------------------------------------------------------------------

def test_udp_to_us_gets_port_unreachable_tcp_is_dropped():
    q = (Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=US6_2)
         / UDP(sport=40000, dport=33434) / Raw(b"p" * 20))
    a = the_answer(run_replay([q], config=CONFIG6))
    assert a[ICMPv6DestUnreach].code == 4
    assert a[IPv6].src == US6, "errors come from the port's first global address"
    assert bytes(a[ICMPv6DestUnreach].payload) == bytes(q[IPv6])
    ll = (Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER_LL, dst=US_LL)
          / UDP(sport=40000, dport=33434))
    assert the_answer(run_replay([ll], config=CONFIG6))[IPv6].src == US_LL
    tcp = Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=US6) / TCP(dport=22)
    assert run_replay([tcp], config=CONFIG6).nonzero_drops() == {"tcp": 1}


def test_an_error_about_a_big_packet_is_exactly_1280_bytes():
    q = (Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=US6)
         / UDP(sport=1, dport=2) / Raw(b"z" * 1400))
    a = the_answer(run_replay([q], config=CONFIG6))
    assert len(a[IPv6]) == 1280
    assert bytes(a[ICMPv6DestUnreach].payload) == bytes(q[IPv6])[:1232]


def test_extensions_on_port_unreachable_carry_rfc4884_and_rfc5837():
    q = (Ether(dst=US_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst=US6)
         / UDP(sport=1, dport=2) / Raw(b"e" * 10))
    a = the_answer(run_replay([q], config=CONFIG6 + "[icmp6]\nextensions = on\n"))
    body = bytes(a[ICMPv6DestUnreach])
    assert body[4] == 16, "RFC 4884: 128 octets in 64-bit words"
    ext = body[8 + 128:]
    assert ext[0] == 0x20 and ext[6] == 2, "version 2, RFC 5837 class 2"
    assert ext[12:16] == b"\x00\x02\x00\x00", "IPv6 address sub-object"


def test_no_error_about_udp_to_a_group():
    q = (Ether(dst=ALL_NODES_MAC, src=PEER_MAC) / IPv6(src=PEER6, dst="ff02::1")
         / UDP(sport=1, dport=2))
    r = run_replay([q], config=CONFIG6)
    assert r.answers == [] and r.nonzero_drops() == {"noerr_broadcast": 1}


# --- reassembly and reply fragments ----------------------------------------------------

def fragmented_echo(size, ident=0x1234, chunk=1280):
    q = (IPv6(src=PEER6, dst=US6) / IPv6ExtHdrFragment(id=ident)
         / ICMPv6EchoRequest(id=9, seq=10, data=bytes(i % 251 for i in range(size))))
    return q, [Ether(dst=US_MAC, src=PEER_MAC) / f for f in fragment6(q, chunk)]


def test_a_fragmented_echo_is_reassembled_in_any_order_and_answered_in_fragments():
    q, fs = fragmented_echo(4000)
    random.Random(7).shuffle(fs)
    r = run_replay(fs, config=CONFIG6)
    assert r.stats["answers"]["icmp6_echo_reply"] == 1
    assert r.stats["dropped"]["ip6_frag_reasm"] == len(fs) - 1
    assert len(r.answers) >= 3
    ids = {a[IPv6ExtHdrFragment].id for a in r.answers}
    assert len(ids) == 1 and 0 not in ids, "one identification of ours"
    for a in r.answers:
        assert len(a) <= 14 + 1500 and a[Ether].dst == PEER_MAC
    whole = IPv6(bytes(defragment6([a[IPv6] for a in r.answers])))
    assert_icmp6_checksum_good(Ether() / whole)
    assert whole[ICMPv6EchoReply].data == q[ICMPv6EchoRequest].data
    assert whole.src == US6 and whole.dst == PEER6


def test_a_reply_within_a_jumbo_mtu_but_larger_than_an_mbuf_leaves_in_fragments_that_fit_one():
    """MTU 9000, mbufs of 2048 bytes (icmpfp-replay's): the reply to a
    4000-byte echo fits the MTU, not one mbuf; it leaves in fragments of one
    mbuf each, what a fast-free TX queue may take."""
    q, fs = fragmented_echo(4000)
    r = run_replay(fs, config=CONFIG6.replace("[port 0]\n", "[port 0]\nmtu = 9000\n"))
    assert r.stats["answers"]["icmp6_echo_reply"] == 1 and len(r.answers) == 3
    assert all(len(a) <= 2048 and IPv6ExtHdrFragment in a for a in r.answers)
    whole = IPv6(bytes(defragment6([a[IPv6] for a in r.answers])))
    assert_icmp6_checksum_good(Ether() / whole)
    assert whole[ICMPv6EchoReply].data == q[ICMPv6EchoRequest].data


def test_two_fragmented_echoes_at_once_get_two_identifications():
    _, a = fragmented_echo(3000, ident=1)
    _, b = fragmented_echo(3000, ident=2)
    r = run_replay([x for pair in zip(a, b) for x in pair], config=CONFIG6)
    assert r.stats["answers"]["icmp6_echo_reply"] == 2
    assert len({f[IPv6ExtHdrFragment].id for f in r.answers}) == 2


def test_the_identifications_of_consecutive_replies_to_one_host_show_no_step():
    """RFC 7739 5.2: an off-path host cannot predict the next one."""
    qs = []
    for i in range(8):
        qs += fragmented_echo(3000, ident=0x100 + i)[1]
    r = run_replay(qs, config=CONFIG6)
    assert r.stats["answers"]["icmp6_echo_reply"] == 8
    ids = []
    for f in r.answers:
        if not ids or f[IPv6ExtHdrFragment].id != ids[-1]:
            ids.append(f[IPv6ExtHdrFragment].id)
    assert len(ids) == 8
    steps = {(b - a) % 2**32 for a, b in zip(ids, ids[1:])}
    assert len(steps) == 7, f"IDs {ids} step by {steps}"


def test_a_small_fragmented_echo_is_answered_whole():
    q, fs = fragmented_echo(200, chunk=100)
    a = the_answer(run_replay(fs, config=CONFIG6))
    assert IPv6ExtHdrFragment not in a and a[ICMPv6EchoReply].data == q[ICMPv6EchoRequest].data


def test_reassembly_off_drops_fragments_by_name():
    _, fs = fragmented_echo(3000)
    r = run_replay(fs, config=CONFIG6 + "[icmp6]\nreassembly = off\n")
    assert r.answers == [] and r.nonzero_drops() == {"ip6_fragment": len(fs)}


def test_300_datagrams_that_never_complete_are_counted_and_freed():
    fs = []
    for i in range(300):
        _, parts = fragmented_echo(2000, ident=0x10000 + i)
        fs.append(parts[0])
    r = run_replay(fs, config=CONFIG6)
    assert r.answers == [] and r.nonzero_drops() == {"ip6_frag_reasm": 300}
    assert r.stats["mbufs_in_use"] == 0


def test_fragments_with_headers_before_the_fragment_header_reassemble():
    q = (IPv6(src=PEER6, dst=US6) / IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0\0\0\0")])
         / IPv6ExtHdrFragment(id=99)
         / ICMPv6EchoRequest(id=1, seq=2, data=bytes(range(256)) * 8))
    fs = [Ether(dst=US_MAC, src=PEER_MAC) / f for f in fragment6(q, 1000)]
    r = run_replay(fs, config=CONFIG6)
    assert r.stats["answers"]["icmp6_echo_reply"] == 1
    whole = IPv6(bytes(defragment6([a[IPv6] for a in r.answers])))
    assert whole[ICMPv6EchoReply].data == q[ICMPv6EchoRequest].data


def test_a_reassembled_udp_datagram_gets_port_unreachable():
    q = (IPv6(src=PEER6, dst=US6) / IPv6ExtHdrFragment(id=5)
         / UDP(sport=5, dport=6) / Raw(b"u" * 3000))
    fs = [Ether(dst=US_MAC, src=PEER_MAC) / f for f in fragment6(q, 1280)]
    a = the_answer(run_replay(fs, config=CONFIG6))
    assert a[ICMPv6DestUnreach].code == 4 and len(a[IPv6]) == 1280


# --- extended echo (RFC 8335) over ICMPv6 ---------------------------------------------

def probe6(ctype, payload, local=1):
    """An ICMPv6 extended echo request (160) with an Interface
    Identification Object of C-Type ctype."""
    from scapy.layers.inet6 import in6_chksum
    from scapy.utils import checksum
    obj = bytes([0, 4 + len(payload), 3, ctype]) + payload
    ext = bytes([0x20, 0, 0, 0]) + obj
    ext = ext[:2] + checksum(ext).to_bytes(2, "big") + ext[4:]
    msg = bytes([160, 0, 0, 0, 0x12, 0x34, 7, local]) + ext
    ip = IPv6(src=PEER6, dst=US6, nh=58)
    ck = in6_chksum(58, ip, msg)
    msg = msg[:2] + ck.to_bytes(2, "big") + msg[4:]
    return Ether(dst=US_MAC, src=PEER_MAC) / ip / Raw(msg)


@pytest.mark.parametrize("req,code,bits", [
    (probe6(3, bytes([0, 2, 16, 0]) + bytes.fromhex("20010db8000000010000000000000009")), 0, 0x07),
    (probe6(3, bytes([0, 1, 4, 0, 192, 0, 2, 9])), 0, 0x07),      # an IPv4 address
    (probe6(3, bytes([0, 2, 16, 0]) + bytes(16)), 2, 0),             # no such address
    (probe6(2, (1).to_bytes(4, "big")), 0, 0x07),                    # by ifIndex
])
def test_extended_echo6_probes_our_ports_by_ipv6_address_too(req, code, bits):
    r = run_replay([req], config=CONFIG6 + "[icmp6]\nextended_echo = on\n")
    a = the_answer(r)
    body = bytes(a[IPv6].payload)
    assert body[0] == 161 and body[1] == code and body[7] == bits, body[:8].hex()
    assert body[4:7] == b"\x12\x34\x07", "identifier and sequence kept"
    assert a[IPv6].src == US6 and a[IPv6].dst == PEER6
    assert r.stats["answers"]["icmp6_extended_echo_reply"] == 1


@pytest.mark.parametrize("req,code,bits", [
    (probe6(1, b"replay0\x00"), 0, 0x07),                             # by name
    (probe6(1, b"eth7\x00\x00\x00\x00"), 2, 0),                         # no such name
    (probe6(2, (9).to_bytes(4, "big")), 2, 0),                        # no such ifIndex
    (probe6(3, bytes([0, 2, 16, 0]) + bytes(IPv6(src=US_LL))[8:24]), 0, 0x07),  # link-local
    (probe6(3, bytes([0, 1, 4, 0, 192, 0, 2, 1])), 0, 0x07),          # the first IPv4 address
    (probe6(2, (1).to_bytes(4, "big"), local=0), 3, 0),               # proxy: no table entry
])
def test_extended_echo6_probes_by_name_ifindex_or_address_of_either_family(req, code, bits):
    r = run_replay([req], config=CONFIG6 + "[icmp6]\nextended_echo = on\n")
    body = bytes(the_answer(r)[IPv6].payload)
    assert body[0] == 161 and body[1] == code and body[7] == bits, body[:8].hex()


def test_an_icmp_probe_finds_a_port_by_its_ipv6_address_and_sees_both_families():
    """The IPv4 PROBE (42) of a dual-stack port: its IPv6 address names it,
    and the reply's bits say IPv4 and IPv6 are both active (A, 4, 6)."""
    import struct
    from scapy.all import IP
    from scapy.utils import checksum
    for addr, code, bits in ((US6, 0, 0x07), ("2001:db8:0:1::77", 2, 0)):
        obj = struct.pack("!HBB", 24, 3, 3) + bytes([0, 2, 16, 0]) + bytes(IPv6(src=addr))[8:24]
        ext = bytes([0x20, 0, 0, 0]) + obj
        ext = ext[:2] + struct.pack("!H", checksum(ext)) + ext[4:]
        hdr = bytes([42, 0, 0, 0, 0x12, 0x34, 7, 1])
        msg = hdr[:2] + struct.pack("!H", checksum(hdr + ext)) + hdr[4:] + ext
        q = Ether(dst=US_MAC, src=PEER_MAC) / IP(src="192.0.2.2", dst="192.0.2.1", proto=1) / Raw(msg)
        r = run_replay([q], config=CONFIG6 + "[icmp]\nextended_echo = on\n")
        (a,) = r.answers
        body = bytes(a[IP].payload)
        assert body[0] == 43 and body[1] == code and body[7] == bits, body[:8].hex()
        assert checksum(body) == 0


# --- Link Property Advertisements over IPv6 (issue 12's [lpa]) ---------------------------

def test_an_lpa_over_ipv6_is_heard_by_group_or_unicast_and_never_answered():
    from ifp_lpa import modem
    cfg = CONFIG6 + "[lpa]\nlisten = on\n"

    def lpa6(payload, dst="ff02::2", mac="33:33:00:00:00:02", dport=7575, **udp):
        return Ether(bytes(Ether(dst=mac, src=PEER_MAC) / IPv6(src=PEER_LL, dst=dst, hlim=1)
                           / UDP(sport=7575, dport=dport, **udp) / Raw(payload)))

    frames = [lpa6(modem(7)), lpa6(modem(8), dst=US6, mac=US_MAC),
              lpa6(modem(9), chksum=0),                      # RFC 8200 8.1: mandatory
              lpa6(modem(10), dport=7576, dst=US6, mac=US_MAC)]
    r = run_replay(frames, config=cfg)
    assert r.nonzero_drops() == {"lpa_heard": 2, "lpa_udp_checksum": 1}
    assert sorted(m["modem"] for m in r.stats["lpa"]["modems"]) == [7, 8]
    (a,) = checked(r.answers)  # only the other UDP port
    assert a[ICMPv6DestUnreach].code == 4
    # listen off: the group is not ours, unicast UDP is refused
    r = run_replay(frames, config=CONFIG6)
    assert r.nonzero_drops() == {"l2_other_mac": 2}
    assert r.stats["answers"]["icmp6_port_unreachable"] == 2
