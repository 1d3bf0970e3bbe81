/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_STATS_H
#define IFP_STATS_H

/**
 * @file
 * Drop reasons, answer kinds and the per-lcore counters.
 *
 * Every received frame ends as exactly one of: answered (counted by kind),
 * rate-limited, or dropped for one reason of the table below. The names
 * printed by icmpfp-replay, the console and telemetry come from these same
 * tables, so a new reason cannot be forgotten in the output.
 */

#include <stdint.h>

#include <rte_common.h>

/* X(enum suffix, name shown to operators) */
#define IFP_DROP_REASONS(X)                                                  \
	X(L2_RUNT, "l2_runt")                 /* < 14 bytes of Ethernet */   \
	X(L2_OTHER_MAC, "l2_other_mac")       /* dst MAC not ours/bcast */   \
	X(L2_ETHERTYPE, "l2_ethertype")  /* not IPv4, ARP, IPv6 (on) or 802.1Q */ \
	X(L2_QINQ, "l2_qinq")                 /* more than one VLAN tag */   \
	X(L2_SPLIT_HEADER, "l2_split_header") /* headers span segments */    \
	X(ARP_TRUNCATED, "arp_truncated")                                    \
	X(ARP_FORMAT, "arp_format")           /* not Ethernet/IPv4 6/4 */    \
	X(ARP_NOT_REQUEST, "arp_not_request") /* replies, RARP, InARP */     \
	X(ARP_NOT_OURS, "arp_not_ours")       /* target not in A(P) */       \
	X(IP_RUNT, "ip_runt")                 /* < 20 bytes after L2 */      \
	X(IP_VERSION, "ip_version")                                          \
	X(IP_IHL, "ip_ihl")                   /* IHL < 5 or past frame */    \
	X(IP_TOTAL_LENGTH, "ip_total_length") /* < IHL*4 or > frame */       \
	X(RX_TRUNCATED, "rx_truncated")       /* cut by the port: too big */ \
	X(IP_CHECKSUM, "ip_checksum")                                        \
	X(IP_MARTIAN_SRC, "ip_martian_src")   /* RFC 1812 5.3.7 */           \
	X(IP_DST_BROADCAST, "ip_dst_broadcast")                              \
	X(IP_DST_MULTICAST, "ip_dst_multicast")                              \
	X(IP_FRAGMENT, "ip_fragment")         /* reassembly off */           \
	X(IP_SOURCE_ROUTE, "ip_source_route") /* RFC 7126 */                 \
	X(IP_FRAG_REASM, "ip_frag_reasm")     /* taken by reassembly */      \
	X(IP_FRAG_BAD, "ip_frag_bad")         /* empty, misaligned, >64K */  \
	X(L2_BCAST_TRANSIT, "l2_bcast_transit") /* link bcast, not ours */   \
	X(TRANSIT, "transit")                 /* not ours, route: drop */    \
	X(NOERR_ICMP_ERROR, "noerr_icmp_error") /* RFC 1122 3.2.2 */         \
	X(NOERR_FRAGMENT, "noerr_fragment")   /* not the first fragment */   \
	X(NOERR_BROADCAST, "noerr_broadcast") /* to bcast/mcast (IP or L2) */\
	X(NOERR_SOURCE, "noerr_source")       /* source not one host */      \
	X(NO_ROOM, "no_room")                 /* mbuf cannot hold answer */  \
	X(ICMP_RUNT, "icmp_runt")             /* < 8 bytes of ICMP */        \
	X(ICMP_CHECKSUM, "icmp_checksum")                                    \
	X(ICMP_DISABLED, "icmp_disabled")     /* type turned off */          \
	X(ICMP_LENGTH, "icmp_length")         /* wrong length for type */    \
	X(ICMP_ERROR_TO_US, "icmp_error_to_us") /* RFC 1122 3.2.2 */         \
	X(ICMP_REPLY_TO_US, "icmp_reply_to_us")                              \
	X(ICMP_INFO_REQUEST, "icmp_info_request") /* RFC 6918 */             \
	X(ICMP_UNKNOWN_TYPE, "icmp_unknown_type")                            \
	X(TCP, "tcp")                         /* no TCP here */              \
	X(LPA_HEARD, "lpa_heard")             /* decoded, to the main lcore */\
	X(LPA_BACKLOG, "lpa_backlog")         /* decoded, its ring full */   \
	X(LPA_UDP_LENGTH, "lpa_udp_length")   /* UDP length < 8 or > IP */   \
	X(LPA_UDP_CHECKSUM, "lpa_udp_checksum")                              \
	X(LPA_TRUNCATED, "lpa_truncated")     /* not whole blocks */         \
	X(LPA_BLOCK_LENGTH, "lpa_block_length") /* < 4 or past the end */    \
	X(LPA_RATE_LENGTH, "lpa_rate_length") /* Rate Block not 32 bytes */ \
	X(LPA_MODEM_ID, "lpa_modem_id")       /* Modem ID 0 */               \
	X(LPA_TOO_MANY, "lpa_too_many")       /* > IFP_LPA_BLOCKS_MAX */     \
	X(LPA_NEIGHBOUR, "lpa_neighbour")     /* ARP reply: advertise_to MAC */\
	X(TX_FULL, "tx_full")                 /* answer built, TX refused */ \
	X(IP6_RUNT, "ip6_runt")               /* < 40 bytes after L2 */      \
	X(IP6_VERSION, "ip6_version")                                        \
	X(IP6_PAYLOAD_LENGTH, "ip6_payload_length") /* past the frame */     \
	X(IP6_MARTIAN_SRC, "ip6_martian_src") /* mcast, ::1, mapped, :: */   \
	X(IP6_MARTIAN_DST, "ip6_martian_dst") /* ::, ::1, IPv4-mapped */     \
	X(IP6_DST_MULTICAST, "ip6_dst_multicast") /* not for a group here */ \
	X(IP6_DST_LINK_LOCAL, "ip6_dst_link_local") /* not ours: not routed */ \
	X(IP6_EXTHDR, "ip6_exthdr")           /* truncated, malformed */     \
	X(IP6_OPTION_DISCARD, "ip6_option_discard") /* RFC 8200 4.2 */       \
	X(IP6_NO_NEXT_HEADER, "ip6_no_next_header") /* 59 */                 \
	X(IP6_FRAGMENT, "ip6_fragment")       /* reassembly off */           \
	X(IP6_FRAG_REASM, "ip6_frag_reasm")   /* taken by reassembly */      \
	X(IP6_FRAG_BAD, "ip6_frag_bad")       /* empty, nested */            \
	X(ICMP6_RUNT, "icmp6_runt")           /* < 8 bytes of ICMPv6 */      \
	X(ICMP6_CHECKSUM, "icmp6_checksum")   /* pseudo-header included */   \
	X(ICMP6_DISABLED, "icmp6_disabled")   /* type turned off */          \
	X(ICMP6_ERROR_TO_US, "icmp6_error_to_us") /* RFC 4443 2.4 */         \
	X(ICMP6_REPLY_TO_US, "icmp6_reply_to_us")                            \
	X(ICMP6_UNKNOWN_TYPE, "icmp6_unknown_type") /* RFC 4443 2.4(b) */    \
	X(ND_HOP_LIMIT, "nd_hop_limit")       /* NDP not from on-link */     \
	X(ND_CODE, "nd_code")                                                \
	X(ND_RUNT, "nd_runt")                 /* shorter than its type */    \
	X(ND_OPTION, "nd_option")             /* zero or past the end */     \
	X(ND_DAD_SLLAO, "nd_dad_sllao")       /* from :: with an SLLAO */    \
	X(ND_DAD_DST, "nd_dad_dst")           /* from :: not to a group */   \
	X(ND_TARGET_MULTICAST, "nd_target_multicast")                        \
	X(ND_NOT_OURS, "nd_not_ours")         /* target not in A6(P) */      \
	X(ND_TO_US, "nd_to_us")               /* RS, RA, NA, redirect, MLD */\
	X(MLD_INVALID, "mld_invalid")         /* short, not link-local */    \
	X(MLD_NOT_OURS, "mld_not_ours")       /* query for another group */ \
	X(NO_MBUF, "no_mbuf")                 /* pool dry: answer not copied */ \
	X(POLICY_DENY, "policy_deny")         /* a [policy] rule or default */

enum ifp_drop {
#define IFP_X_ENUM(e, s) IFP_DROP_##e,
	IFP_DROP_REASONS(IFP_X_ENUM)
#undef IFP_X_ENUM
	IFP_DROP_MAX
};

/* What an answer is, for the console's columns. */
enum ifp_answer_class {
	IFP_ANS_CLASS_REPLY,    /**< a query answered: echo, timestamp, ... */
	IFP_ANS_CLASS_ERROR,    /**< an ICMP error about a datagram */
	IFP_ANS_CLASS_NEIGHBOR, /**< address resolution: ARP, ND */
};

/* X(enum suffix, name, class) */
#define IFP_ANSWER_KINDS(X)                                                  \
	X(ECHO, "echo_reply", REPLY)                                         \
	X(ARP, "arp_reply", NEIGHBOR)                                        \
	X(TIMESTAMP, "timestamp_reply", REPLY)                               \
	X(MASK, "address_mask_reply", REPLY)                                 \
	X(EXT_ECHO, "extended_echo_reply", REPLY)                            \
	X(UNREACH_ROUTE, "unreachable_route", ERROR) /* 3/0,1,9,10,13 */     \
	X(PORT_UNREACH, "port_unreachable", ERROR)   /* 3/3 */               \
	X(PROTO_UNREACH, "proto_unreachable", ERROR) /* 3/2 */               \
	X(FRAG_NEEDED, "frag_needed", ERROR)         /* 3/4, RFC 1191 */     \
	X(TIME_EXCEEDED, "time_exceeded", ERROR)     /* 11/0 */              \
	X(UNREACH_MODEM, "unreachable_modem", ERROR) /* 3/0: modem down */   \
	X(PARAM_PROBLEM, "param_problem", ERROR)     /* 12/0 */              \
	X(ECHO6, "icmp6_echo_reply", REPLY)          /* 129 */               \
	X(EXT_ECHO6, "icmp6_extended_echo_reply", REPLY) /* 161 */           \
	X(NA, "nd_advert", NEIGHBOR)                 /* 136, RFC 4861 */     \
	X(MLD_REPORT, "mld_report", NEIGHBOR)        /* 143, RFC 3810 */     \
	X(PORT_UNREACH6, "icmp6_port_unreachable", ERROR) /* 1/4 */          \
	X(PARAM_PROBLEM6, "icmp6_param_problem", ERROR)   /* 4/0,1,2,3 */  \
	X(UNREACH_ROUTE6, "icmp6_unreachable_route", ERROR) /* 1/0,1,3,5,6 */\
	X(TIME_EXCEEDED6, "icmp6_time_exceeded", ERROR)   /* 3/0 */          \
	X(PKT_TOO_BIG6, "icmp6_packet_too_big", ERROR)    /* 2/0, RFC 8201 */\
	X(UNREACH_MODEM6, "icmp6_unreachable_modem", ERROR) /* 1/0: modem down */

enum ifp_answer {
#define IFP_X_ENUM(e, s, c) IFP_ANS_##e,
	IFP_ANSWER_KINDS(IFP_X_ENUM)
#undef IFP_X_ENUM
	IFP_ANS_MAX
};

/*
 * RX burst sizes in power-of-two buckets: 1, 2-3, 4-7, ... 32-63, 64 and up
 * (IFP_BURST_MAX is 64). Bucket i holds sizes 2^i to 2^(i+1) - 1.
 */
#define IFP_BURST_HIST 7

/** Histogram bucket of a non-empty burst of @p n frames. */
static inline unsigned int
ifp_burst_bucket(unsigned int n)
{
	unsigned int b = 31 - (unsigned int)__builtin_clz(n | 1);

	return b < IFP_BURST_HIST ? b : IFP_BURST_HIST - 1;
}

/** Name of a drop reason, as operators see it. */
const char *ifp_drop_name(enum ifp_drop r);
/** Name of an answer kind, as operators see it. */
const char *ifp_answer_name(enum ifp_answer a);
/** Class of an answer kind (the console's replies, errors, arp/nd). */
enum ifp_answer_class ifp_answer_class(enum ifp_answer a);

/**
 * Counters of one lcore. Written only by the lcore that owns them; readers
 * on other lcores fold copies (64-bit aligned loads are not torn on the
 * architectures DPDK supports).
 */
struct ifp_stats {
	uint64_t rx;          /**< frames received */
	uint64_t tx;          /**< frames handed to the PMD and accepted */
	/** of tx: frames the box originated itself (gratuitous ARP, ...),
	 * not answers to anything received */
	uint64_t originated;
	/** frames the box originated that the PMD refused (freed) */
	uint64_t originated_lost;
	uint64_t answered;    /**< received frames that got an answer */
	uint64_t ratelimited; /**< received frames whose answer was limited */
	uint64_t answers[IFP_ANS_MAX];
	/** rate-limited, by the kind of answer that was not sent */
	uint64_t ratelimited_by[IFP_ANS_MAX];
	uint64_t dropped[IFP_DROP_MAX];
	uint64_t frag_freed;  /**< fragments the reassembly table let go */
	/** per-source rate-limit entries recycled while still limiting: a
	 * spoofed-source flood wider than the table (ifp_ratelimit.h) */
	uint64_t rl_src_evictions;
	uint64_t busy_cycles; /**< TSC cycles of non-empty polls, RX to TX */
	uint64_t proc_cycles; /**< TSC cycles inside ifp_process_burst() */
	uint64_t bursts;      /**< non-empty RX bursts */
	uint64_t idle_cycles; /**< TSC cycles of empty polls */
	uint64_t burst_hist[IFP_BURST_HIST]; /**< bursts by ifp_burst_bucket() */
};

/** Sum of all drop counters. */
uint64_t ifp_stats_dropped_total(const struct ifp_stats *s);

/** Add every counter of @p src into @p dst. */
void ifp_stats_fold(struct ifp_stats *dst, const struct ifp_stats *src);

#endif /* IFP_STATS_H */
