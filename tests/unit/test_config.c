/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <rte_ip.h>

#include "ifp_config.h"
#include "ifp_test.h"

static char path[64];
static struct ifp_conf conf;
static char err[IFP_ERR_LEN];

static int
load(const char *text)
{
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/ifp-test-XXXXXX");
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	err[0] = '\0';
	int rc = ifp_config_load(path, &conf, err, sizeof(err));
	unlink(path);
	return rc;
}

Test(config, the_design_example_loads_with_its_values)
{
	const char *text =
		"[port 0]\n"
		"address = 192.0.2.1/24, 192.0.2.9/24\n"
		"mac = 02:00:00:00:00:01 ; optional\n"
		"mtu = 1500\n"
		"profile = af_packet\n"
		"\n[icmp]\necho = on\ntimestamp = on\naddress_mask = off\n"
		"extended_echo = off\necho_broadcast = off\nreassembly = on\n"
		"reply_ttl = 64\nextensions = off\n"
		"\n[routes]\n198.51.100.0/24 = unreachable host\n"
		"203.0.113.0/24 = mtu 1400\n192.0.2.128/25 = prohibited\n"
		"0.0.0.0/0 = drop\n"
		"\n[ratelimit]\nerrors_per_sec = 1000\nerrors_burst = 50\n"
		"per_source_per_sec = 100\nper_source_burst = 5\necho_per_sec = 0\n";

	cr_assert_eq(load(text), 0, "%s", err);
	cr_assert(conf.port[0].present);
	cr_assert_not(conf.port[1].present);
	cr_assert_eq(conf.port[0].n_addr, 2);
	cr_assert_eq(conf.port[0].addr[1].ip, RTE_BE32(IFP_TEST_IPV4(192, 0, 2, 9)));
	cr_assert_eq(conf.port[0].addr[0].bcast, RTE_BE32(IFP_TEST_IPV4(192, 0, 2, 255)));
	cr_assert(conf.port[0].mac_set);
	cr_assert_eq(conf.port[0].mac.addr_bytes[5], 1);
	cr_assert_str_eq(conf.port[0].profile, "af_packet");
	cr_assert_eq(conf.n_routes, 4);
	cr_assert_eq(conf.route[0].action, IFP_ROUTE_UNREACHABLE);
	cr_assert_eq(conf.route[0].arg, 1);
	cr_assert_eq(conf.route[0].prefix, IFP_TEST_IPV4(198, 51, 100, 0));
	cr_assert_eq(conf.route[1].action, IFP_ROUTE_MTU);
	cr_assert_eq(conf.route[1].arg, 1400);
	cr_assert_eq(conf.route[2].arg, 13);
	cr_assert_eq(conf.route[2].depth, 25);
	cr_assert_eq(conf.route[3].action, IFP_ROUTE_DROP);
	/* 0.0.0.0/0 is an ordinary route, kept out of rte_lpm (no depth 0) */
	cr_assert_eq(conf.route[3].depth, 0);
	cr_assert_eq(conf.route_default, 3);
	/* each route knows its line, for the errors of the table build */
	cr_assert_eq(conf.route[0].line, 18);
	cr_assert_eq(conf.route[3].line, 21);
	cr_assert_eq(conf.ratelimit.per_source_burst, 5);
}

Test(config, only_an_address_gives_the_design_defaults)
{
	cr_assert_eq(load("[port 1]\naddress = 10.1.2.3/32\n"), 0, "%s", err);
	cr_assert(conf.port[1].present);
	cr_assert_not(conf.port[1].mac_set);
	cr_assert_eq(conf.port[1].addr[0].bcast, 0, "a /32 has no broadcast");
	cr_assert_eq(conf.port[1].mtu, 1500);
	cr_assert(conf.icmp.echo);
	cr_assert(conf.icmp.timestamp);
	cr_assert_not(conf.icmp.address_mask);
	cr_assert_not(conf.icmp.extended_echo);
	cr_assert_not(conf.icmp.echo_broadcast);
	cr_assert(conf.icmp.reassembly);
	cr_assert_not(conf.icmp.extensions);
	cr_assert_eq(conf.icmp.reply_ttl, 64);
	cr_assert_eq(conf.ratelimit.errors_per_sec, 1000);
	cr_assert_eq(conf.ratelimit.errors_burst, 50);
	cr_assert_eq(conf.ratelimit.echo_per_sec, 0);
	cr_assert_eq(conf.n_routes, 0);
	cr_assert_eq(conf.route_default, IFP_ROUTE_NONE);
}

Test(config, the_design_ipv6_example_loads_with_its_values)
{
	const char *text =
		"[port 0]\n"
		"address = 192.0.2.1/24\n"
		"address6 = 2001:db8:0:1::1/64, 2001:db8:0:1::9/64\n"
		"link_local = auto\n"
		"mac = 02:00:00:00:00:01\n"
		"\n[icmp6]\necho = on\necho_multicast = off\nextended_echo = off\n"
		"reassembly = on\nreply_hop_limit = 64\nextensions = off\n";
	static const uint8_t ll[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0,
				       0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x01};
	static const uint8_t g1[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1,
				       0, 0, 0, 0, 0, 0, 0, 1};

	cr_assert_eq(load(text), 0, "%s", err);
	cr_assert_eq(conf.port[0].n_addr6, 3, "the link-local and two address6");
	cr_assert(conf.port[0].ll_auto);
	cr_assert_eq(memcmp(conf.port[0].addr6[0].ip, ll, 16), 0,
		     "modified EUI-64 of 02:00:00:00:00:01 is fe80::ff:fe00:1");
	cr_assert_eq(conf.port[0].addr6[0].depth, 64);
	cr_assert_eq(memcmp(conf.port[0].addr6[1].ip, g1, 16), 0);
	cr_assert_eq(conf.port[0].addr6[2].ip[15], 9);
	cr_assert_eq(conf.port[0].addr6[2].depth, 64);
	cr_assert(conf.icmp6.echo);
	cr_assert_not(conf.icmp6.echo_multicast);
	cr_assert_not(conf.icmp6.extended_echo);
	cr_assert(conf.icmp6.reassembly);
	cr_assert_not(conf.icmp6.extensions);
	cr_assert_eq(conf.icmp6.reply_hop_limit, 64);
}

Test(config, ipv6_routes_load_beside_ipv4_ones_with_their_icmpv6_codes)
{
	const char *text =
		"[port 0]\naddress = 192.0.2.1/24\naddress6 = 2001:db8:0:1::1/64\n"
		"[routes]\n"
		"198.51.100.0/24 = unreachable host\n"
		"2001:db8:dead::/48 = unreachable net\n"
		"2001:db8:1::/48 = unreachable host\n"
		"2001:db8:2::/48 = unreachable policy\n"
		"2001:db8:3::/48 = unreachable reject\n"
		"2001:db8:4::/48 = prohibited\n"
		"2001:db8:5::/48 = unreachable net-prohibited\n"
		"2001:db8:6::/48 = unreachable host-prohibited\n"
		"2001:db8:beef::/48 = mtu 1280\n"
		"2001:db8:7::/48 = modem 7\n"
		"2001:db8:8::1/128 = drop\n"
		"::/0 = drop\n"
		"0.0.0.0/0 = unreachable net\n";
	static const uint8_t dead[16] = {0x20, 0x01, 0x0d, 0xb8, 0xde, 0xad};
	/* RFC 4443 3.1 codes of type 1 */
	static const uint16_t codes[] = {0, 3, 5, 6, 1, 1, 1};

	cr_assert_eq(load(text), 0, "%s", err);
	cr_assert_eq(conf.n_routes, 13);
	cr_assert_not(conf.route[0].v6);
	cr_assert_eq(conf.route[0].arg, 1, "IPv4 host: 3/1");
	cr_assert(conf.route[1].v6);
	cr_assert_eq(memcmp(conf.route[1].prefix6, dead, 16), 0);
	cr_assert_eq(conf.route[1].depth, 48);
	cr_assert_eq(conf.route[1].line, 6);
	for (unsigned int i = 0; i < RTE_DIM(codes); i++) {
		cr_assert_eq(conf.route[1 + i].action, IFP_ROUTE_UNREACHABLE);
		cr_assert_eq(conf.route[1 + i].arg, codes[i], "route %u", 1 + i);
	}
	cr_assert_eq(conf.route[8].action, IFP_ROUTE_MTU);
	cr_assert_eq(conf.route[8].arg, 1280);
	cr_assert_eq(conf.route[9].action, IFP_ROUTE_MODEM);
	cr_assert_eq(conf.route[9].modem, 7);
	cr_assert_eq(conf.route[10].depth, 128);
	/* ::/0 and 0.0.0.0/0 are ordinary routes, each family its own, kept
	 * out of rte_lpm6 and rte_lpm (no depth 0) */
	cr_assert(conf.route[11].v6);
	cr_assert_eq(conf.route[11].depth, 0);
	cr_assert_eq(conf.route_default6, 11);
	cr_assert_eq(conf.route_default, 12);
}

Test(config, a_file_with_no_ipv6_route_has_no_ipv6_default)
{
	cr_assert_eq(load("[port 0]\naddress = 192.0.2.1/24\n[routes]\n0.0.0.0/0 = drop\n"),
		     0, "%s", err);
	cr_assert_eq(conf.route_default, 0);
	cr_assert_eq(conf.route_default6, IFP_ROUTE_NONE);
}

Test(config, routes_of_both_families_share_the_limit)
{
	size_t cap = (IFP_MAX_ROUTES + 2) * 48 + 64;
	char *text = malloc(cap);
	size_t n;

	n = (size_t)snprintf(text, cap, "[port 0]\naddress = 192.0.2.1/24\n[routes]\n");
	for (unsigned int i = 0; i < IFP_MAX_ROUTES / 2; i++)
		n += (size_t)snprintf(text + n, cap - n, "%u.%u.%u.0/24 = drop\n",
				      10 + (i >> 16), (i >> 8) & 0xff, i & 0xff);
	for (unsigned int i = 0; i < IFP_MAX_ROUTES / 2; i++)
		n += (size_t)snprintf(text + n, cap - n, "2001:db8:%x::/48 = drop\n", i);
	cr_assert_eq(load(text), 0, "%s", err);
	cr_assert_eq(conf.n_routes, IFP_MAX_ROUTES);
	snprintf(text + n, cap - n, "2001:db8:ffff::/48 = drop\n");
	cr_assert_eq(load(text), -1);
	cr_assert_not_null(strstr(err, "more than 65536 routes"), "%s", err);
	/* on the line after the last accepted one */
	cr_assert_not_null(strstr(err, ":65540: "), "%s", err);
	free(text);
}

Test(config, a_port_without_address6_or_link_local_has_ipv6_off)
{
	cr_assert_eq(load("[port 0]\naddress = 192.0.2.1/24\n"), 0, "%s", err);
	cr_assert_eq(conf.port[0].n_addr6, 0);
}

Test(config, link_local_alone_turns_ipv6_on_with_that_address)
{
	cr_assert_eq(load("[port 0]\naddress = 192.0.2.1/24\nlink_local = fe80::1:2\n"
			  "[icmp6]\nreply_hop_limit = 255\necho_multicast = on\n"),
		     0, "%s", err);
	cr_assert_eq(conf.port[0].n_addr6, 1);
	cr_assert_not(conf.port[0].ll_auto);
	cr_assert_eq(conf.port[0].addr6[0].ip[0], 0xfe);
	cr_assert_eq(conf.port[0].addr6[0].ip[13], 1);
	cr_assert_eq(conf.port[0].addr6[0].ip[15], 2);
	cr_assert_eq(conf.icmp6.reply_hop_limit, 255);
	cr_assert(conf.icmp6.echo_multicast);
}

Test(config, link_local_auto_follows_the_mac_the_port_gets_later)
{
	cr_assert_eq(load("[port 0]\naddress = 192.0.2.1/24\nlink_local = auto\n"),
		     0, "%s", err);
	cr_assert(conf.port[0].ll_auto);
	memcpy(conf.port[0].mac.addr_bytes, "\x52\x54\x00\x12\x34\x56", 6);
	ifp_port_ll_auto(&conf.port[0]);
	/* 52:54:00:12:34:56 -> fe80::5054:ff:fe12:3456 */
	cr_assert_eq(conf.port[0].addr6[0].ip[8], 0x50);
	cr_assert_eq(conf.port[0].addr6[0].ip[9], 0x54);
	cr_assert_eq(conf.port[0].addr6[0].ip[11], 0xff);
	cr_assert_eq(conf.port[0].addr6[0].ip[12], 0xfe);
	cr_assert_eq(conf.port[0].addr6[0].ip[15], 0x56);
}

Test(config, slash_127_and_128_take_any_interface_identifier)
{
	cr_assert_eq(load("[port 0]\naddress = 192.0.2.1/24\n"
			  "address6 = 2001:db8::/127, 2001:db8:1::/128, fd00:1::1/48\n"),
		     0, "%s", err);
	cr_assert_eq(conf.port[0].n_addr6, 4);
}

Test(config, lpa_is_off_by_default_with_the_designs_values)
{
	cr_assert_eq(load("[port 0]\naddress = 192.0.2.1/24\n"), 0, "%s", err);
	cr_assert_not(conf.lpa.listen);
	cr_assert_not(conf.lpa.advertise);
	cr_assert_eq(conf.lpa.udp_port, 7575);
	cr_assert_eq(conf.lpa.hold, 3);
	cr_assert_eq(conf.lpa.interval, 1);
	cr_assert_eq(conf.lpa.ttl, 1);
	/* all-routers in both families */
	cr_assert_eq(conf.lpa.n_groups, 2);
	cr_assert_not(conf.lpa.group[0].v6);
	cr_assert_eq(conf.lpa.group[0].ip4, RTE_BE32(IFP_TEST_IPV4(224, 0, 0, 2)));
	cr_assert_arr_eq(conf.lpa.group_mac[0].addr_bytes, "\x01\x00\x5e\x00\x00\x02", 6);
	cr_assert(conf.lpa.group[1].v6);
	cr_assert_arr_eq(conf.lpa.group[1].ip6,
			 "\xff\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\x02", 16);
	cr_assert_arr_eq(conf.lpa.group_mac[1].addr_bytes, "\x33\x33\x00\x00\x00\x02", 6);
	cr_assert_eq(conf.lpa.n_to, 1);
	cr_assert_eq(conf.lpa.to[0].ip4, RTE_BE32(IFP_TEST_IPV4(224, 0, 0, 2)));
}

Test(config, the_lpa_section_and_a_modem_route_load_with_their_values)
{
	const char *text =
		"[port 0]\naddress = 192.0.2.1/24\n"
		"[port 1]\naddress = 198.18.7.1/24\n"
		"[routes]\n10.20.0.0/16 = modem 7\n10.21.0.0/16 = modem 4294967295\n"
		"[lpa]\nlisten = on\nudp_port = 7000\n"
		"groups = 224.0.0.2, 239.1.2.3, ff02::2\nhold = 10\n"
		"advertise = on\ninterval = 5\n"
		"advertise_to = 224.0.0.2, 198.18.7.20, 192.0.2.2\nttl = 4\n";

	cr_assert_eq(load(text), 0, "%s", err);
	cr_assert_eq(conf.route[0].action, IFP_ROUTE_MODEM);
	cr_assert_eq(conf.route[0].modem, 7);
	cr_assert_eq(conf.route[0].line, 6);
	cr_assert_eq(conf.route[1].modem, UINT32_MAX);
	cr_assert(conf.lpa.listen);
	cr_assert(conf.lpa.advertise);
	cr_assert_eq(conf.lpa.udp_port, 7000);
	cr_assert_eq(conf.lpa.hold, 10);
	cr_assert_eq(conf.lpa.interval, 5);
	cr_assert_eq(conf.lpa.ttl, 4);
	cr_assert_eq(conf.lpa.n_groups, 3);
	/* 239.1.2.3: the low 23 bits */
	cr_assert_arr_eq(conf.lpa.group_mac[1].addr_bytes, "\x01\x00\x5e\x01\x02\x03", 6);
	cr_assert(conf.lpa.group[2].v6);
	cr_assert_eq(conf.lpa.n_to, 3);
	cr_assert_eq(conf.lpa.to[1].ip4, RTE_BE32(IFP_TEST_IPV4(198, 18, 7, 20)));
}

Test(config, advertise_to_takes_ipv6_groups_and_neighbours_beside_ipv4_ones)
{
	const char *text =
		"[port 0]\naddress = 192.0.2.1/24\naddress6 = 2001:db8:0:1::1/64\n"
		"[port 1]\naddress = 198.18.7.1/24\n"
		"[lpa]\nadvertise = on\n"
		"advertise_to = 224.0.0.2, ff02::2, 2001:db8:0:1::2, fe80::2, ff05::2, "
		"192.0.2.2\n";

	cr_assert_eq(load(text), 0, "%s", err);
	cr_assert_eq(conf.lpa.n_to, 6);
	cr_assert_not(conf.lpa.to[0].v6);
	cr_assert(conf.lpa.to[1].v6);
	cr_assert_eq(conf.lpa.to[1].ip6[0], 0xff);
	cr_assert(conf.lpa.to[2].v6);
	cr_assert_arr_eq(conf.lpa.to[2].ip6, IFP_TEST_IP6_PEER, 16);
	cr_assert_not(conf.lpa.to[5].v6);
}

Test(config, groups_none_listens_to_unicast_only)
{
	cr_assert_eq(load("[port 0]\naddress = 192.0.2.1/24\n[lpa]\nlisten = on\n"
			  "groups = none\n"), 0, "%s", err);
	cr_assert_eq(conf.lpa.n_groups, 0);
}

struct bad_case {
	char text[256];
	char want[128]; /* ":LINE: words of the reason"; arrays, not pointers:
			 * Criterion hands parameters to a new process */
};

static struct bad_case bad_cases[] = {
	{"[port 0]\naddress = 192.0.2.1/24\n[bogus]\nx = 1\n", ":3: unknown section [bogus]"},
	{"[port 0]\naddress = 192.0.2.1/24\ncolour = blue\n", ":3: unknown key 'colour'"},
	{"[port 0]\naddress = 192.0.2.1/24\n\n[icmp]\necho = maybe\n", ":5: echo = 'maybe'"},
	{"[port 0]\naddress = 192.0.2.1\n", ":2: address '192.0.2.1' is not"},
	{"[port 0]\naddress = 192.0.2.1/33\n", ":2: address"},
	{"[port 0]\naddress = 127.0.0.1/8\n", ":2: address '127.0.0.1/8' is in"},
	{"[port 0]\naddress = 192.0.2.1/24, 192.0.2.1/24\n", ":2: address '192.0.2.1/24' given twice"},
	{"[port 0]\nmtu = 1500\n", ":1: [port 0] has no address"},
	{"[port 0]\naddress = 192.0.2.1/24\nmtu = 40\n", ":3: mtu '40'"},
	{"[port 0]\naddress = 192.0.2.1/24\nmac = 01:00:5e:00:00:01\n", ":3: mac"},
	{"[port 0]\naddress = 192.0.2.1/24\nmac = zz\n", ":3: mac 'zz'"},
	{"[port 0]\naddress = 192.0.2.1/24\nprofile = ../etc/passwd\n", ":3: profile"},
	{"[port 99]\naddress = 192.0.2.1/24\n", ":1: [port 99]"},
	{"[port 0]\naddress = 192.0.2.1/24\n[icmp]\nreply_ttl = 0\n", ":4: reply_ttl '0'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[icmp]\necho = on\necho = off\n", ":5: [icmp] echo given twice"},
	{"[port 0]\naddress = 192.0.2.1/24\n[port 0]\nmtu = 1400\n", ":3: section [port 0] given twice"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n10.0.0.1/8 = drop\n", ":4: route '10.0.0.1/8' has host bits set"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n10.0.0.0/8 = teleport\n", ":4: route action 'teleport'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n10.0.0.0/8 = unreachable far\n", ":4: unreachable 'far'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n10.0.0.0/8 = mtu 20\n", ":4: mtu '20'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n10.0.0.0/8 = drop\n10.0.0.0/8 = mtu 1400\n", ":5: route '10.0.0.0/8' given twice (first at line 4)"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n0.0.0.1/0 = drop\n", ":4: route '0.0.0.1/0' has host bits set"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n0.0.0.0/0 = drop\n0.0.0.0/00 = mtu 1400\n", ":5: route '0.0.0.0/00' given twice"},
	{"[port 0]\naddress = 192.0.2.1/24\n[ratelimit]\nper_source_burst = 2\n", ":4: per_source_burst '2'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[ratelimit]\nerrors_per_sec = -1\n", ":4: errors_per_sec '-1'"},
	{"[port 0]\naddress = 192.0.2.1/24\njust some words\n", ":3: expected 'key = value'"},
	{"address = 192.0.2.1/24\n", ":1: entry before any [section]"},
	{"[port 0\naddress = 192.0.2.1/24\n", ":1: section header without ']'"},
	{"[icmp]\necho = on\n", ": no [port N] section"},
	/* IPv6 (design "IPv6 (dual stack)") */
	{"[port 0]\naddress = 192.0.2.1/24\naddress6 = 2001:db8::1\n", ":3: address6 '2001:db8::1' is not"},
	{"[port 0]\naddress = 192.0.2.1/24\naddress6 = 2001:db8::1/129\n", ":3: address6 '2001:db8::1/129' is not"},
	{"[port 0]\naddress = 192.0.2.1/24\naddress6 = 2001:zz::1/64\n", ":3: address6 '2001:zz::1/64' is not"},
	{"[port 0]\naddress = 192.0.2.1/24\naddress6 = ff02::1/64\n", ":3: address6 'ff02::1/64' is multicast"},
	{"[port 0]\naddress = 192.0.2.1/24\naddress6 = ::/64\n", ":3: address6 '::/64' is the unspecified"},
	{"[port 0]\naddress = 192.0.2.1/24\naddress6 = ::1/128\n", ":3: address6 '::1/128' is the loopback"},
	{"[port 0]\naddress = 192.0.2.1/24\naddress6 = ::ffff:192.0.2.1/128\n", ":3: address6 '::ffff:192.0.2.1/128' is in ::/8"},
	{"[port 0]\naddress = 192.0.2.1/24\naddress6 = fe80::1/64\n", ":3: address6 'fe80::1/64' is link-local"},
	{"[port 0]\naddress = 192.0.2.1/24\naddress6 = fec0::1/64\n", ":3: address6 'fec0::1/64' is site-local"},
	{"[port 0]\naddress = 192.0.2.1/24\naddress6 = 2001:db8:0:1::/64\n", ":3: address6 '2001:db8:0:1::/64' is the Subnet-Router anycast"},
	{"[port 0]\naddress = 192.0.2.1/24\naddress6 = 2001:db8::1/64, 2001:db8::1/64\n", ":3: address6 '2001:db8::1/64' given twice"},
	{"[port 0]\naddress = 192.0.2.1/24\nlink_local = 2001:db8::1\n", ":3: link_local '2001:db8::1'"},
	{"[port 0]\naddress = 192.0.2.1/24\nlink_local = fe80::1/10\n", ":3: link_local 'fe80::1/10'"},
	{"[port 0]\naddress = 192.0.2.1/24\nlink_local = fe80::\n", ":3: link_local 'fe80::'"},
	{"[port 0]\naddress = 192.0.2.1/24\nlink_local = fe80:1::1\n", ":3: link_local 'fe80:1::1'"},
	{"[port 0]\naddress = 192.0.2.1/24\naddress6 = 2001:db8::1/64\nmtu = 1200\n", ":4: [port 0] mtu 1200 is below IPv6's minimum of 1280"},
	{"[port 0]\naddress = 192.0.2.1/24\n[icmp6]\nreply_hop_limit = 256\n", ":4: reply_hop_limit '256'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[icmp6]\necho_multicast = sometimes\n", ":4: echo_multicast = 'sometimes'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[icmp6]\nreply_ttl = 64\n", ":4: unknown key 'reply_ttl' in [icmp6]"},
	{"[port 0]\naddress = 192.0.2.1/24\n[icmp6]\necho = on\n[icmp6]\necho = off\n", ":5: section [icmp6] given twice"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n10.20.0.0/16 = modem 0\n", ":4: modem '0' is not a Modem ID"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n10.20.0.0/16 = modem x7\n", ":4: modem 'x7'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n10.20.0.0/16 = modem 4294967296\n", ":4: modem '4294967296'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n10.20.0.0/16 = modem\n", ":4: route action 'modem'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n2001:db8:zz::/48 = drop\n", ":4: route '2001:db8:zz::/48' is not an IPv6 prefix/len"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n2001:db8::/129 = drop\n", ":4: route '2001:db8::/129' is not an IPv6 prefix/len"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n2001:db8::1 = drop\n", ":4: route '2001:db8::1' is not an IPv6 prefix/len"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n2001:db8::1/64 = drop\n", ":4: route '2001:db8::1/64' has host bits set"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n2001:db8:0:1::/63 = drop\n", ":4: route '2001:db8:0:1::/63' has host bits set"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n::1/0 = drop\n", ":4: route '::1/0' has host bits set"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n2001:db8:beef::/48 = mtu 1279\n", ":4: mtu '1279' must be 1280 to 65535 (IPv6's minimum MTU is 1280"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n2001:db8:beef::/48 = mtu 65536\n", ":4: mtu '65536' must be 1280 to 65535"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n2001:db8::/32 = drop\n2001:db8:0::/32 = mtu 1400\n", ":5: route '2001:db8:0::/32' given twice"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n::/0 = drop\n0::/0 = mtu 1400\n", ":5: route '0::/0' given twice"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n2001:db8::/32 = drop\n2001:db8::/32 = drop\n", ":5: route '2001:db8::/32' given twice (first at line 4)"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n2001:db8::/32 = unreachable far\n", ":4: unreachable 'far'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n2001:db8::/32 = modem 0\n", ":4: modem '0' is not a Modem ID"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n2001:db8::/32 = teleport\n", ":4: route action 'teleport'"},
	/* IPv4 has no code for a failed policy or a reject route */
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n10.0.0.0/8 = unreachable policy\n", ":4: unreachable 'policy' is an ICMPv6 code (1/5): IPv4 has none"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n10.0.0.0/8 = unreachable reject\n", ":4: unreachable 'reject' is an ICMPv6 code (1/6)"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\nlisten = sometimes\n", ":4: listen = 'sometimes'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\nudp_port = 0\n", ":4: udp_port '0'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\nudp_port = 65536\n", ":4: udp_port '65536'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\nhold = 0\n", ":4: hold '0' must be 1 to 86400"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\n\ninterval = 1.5\n", ":5: interval '1.5'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\nttl = 256\n", ":4: ttl '256'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\ngroups = 224.0.0.2, 10.0.0.1\n", ":4: groups '10.0.0.1' is not a multicast group"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\ngroups = 2001:db8::1\n", ":4: groups '2001:db8::1' is not a multicast"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\ngroups = all-routers\n", ":4: groups 'all-routers' is not an IPv4 or IPv6"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\ngroups = 224.0.0.2, 224.0.0.2\n", ":4: groups '224.0.0.2' given twice"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\ngroups = 224.0.0.1,224.0.0.2,224.0.0.3,224.0.0.4,224.0.0.5,224.0.0.6,224.0.0.7,224.0.0.8,224.0.0.9\n", ":4: groups: more than 8"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\nadvertise = on\nadvertise_to = 198.51.100.7\n", ":5: advertise_to '198.51.100.7' is on no port's subnet"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\nadvertise_to = 192.0.2.1\n", ":4: advertise_to '192.0.2.1' is an address or broadcast"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\nadvertise_to = 192.0.2.255\n", ":4: advertise_to '192.0.2.255' is an address or broadcast"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\nadvertise_to = 127.0.0.1\n", ":4: advertise_to '127.0.0.1' is in 0/8"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\nadvertise_to = 224.0.0.2, near\n", ":4: advertise_to 'near'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\nflavour = mild\n", ":4: unknown key 'flavour' in [lpa]"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\nadvertise_to = ff02::2\n", ":4: advertise_to 'ff02::2': no port has IPv6"},
	{"[port 0]\naddress = 192.0.2.1/24\naddress6 = 2001:db8:0:1::1/64\n[lpa]\nadvertise_to = ff01::2\n", ":5: advertise_to 'ff01::2' is a group of reserved or interface"},
	{"[port 0]\naddress = 192.0.2.1/24\naddress6 = 2001:db8:0:1::1/64\n[lpa]\nadvertise_to = ff00::2\n", ":5: advertise_to 'ff00::2' is a group of reserved"},
	{"[port 0]\naddress = 192.0.2.1/24\naddress6 = 2001:db8:0:1::1/64\n[lpa]\nadvertise_to = 2001:db8:9::2\n", ":5: advertise_to '2001:db8:9::2' is on no port's address6"},
	{"[port 0]\naddress = 192.0.2.1/24\naddress6 = 2001:db8:0:1::1/64\n[lpa]\nadvertise_to = 2001:db8:0:1::1\n", ":5: advertise_to '2001:db8:0:1::1' is an address of port 0"},
	{"[port 0]\naddress = 192.0.2.1/24\naddress6 = 2001:db8:0:1::1/64\n[lpa]\nadvertise_to = ::1\n", ":5: advertise_to '::1' is :: or ::1"},
	{"[port 0]\naddress = 192.0.2.1/24\naddress6 = 2001:db8:0:1::1/64\n[lpa]\nadvertise_to = ::ffff:192.0.2.2\n", ":5: advertise_to '::ffff:192.0.2.2' is in ::/8"},
	{"[port 0]\naddress = 192.0.2.1/24\nlink_local = auto\n[lpa]\nadvertise_to = ff05::2\n", ":5: advertise_to 'ff05::2' is a group wider than the link"},
	{"[port 0]\naddress = 192.0.2.1/24\nlink_local = auto\n[lpa]\nadvertise_to = 2001:db8:0:1::2\n", ":5: advertise_to '2001:db8:0:1::2' is on no port's address6"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\nhold = 3\n[lpa]\nhold = 4\n", ":5: section [lpa] given twice"},
	/* issue 19: every word of a route's action is used */
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n100.64.0.0/10 = mtu 1400 1500\n", ":4: route action 'mtu 1400 1500': 'mtu' takes one word, '1500'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n10.0.0.0/8 = unreachable host foo\n", ":4: route action 'unreachable host foo'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n10.0.0.0/8 = modem 7 8\n", ":4: route action 'modem 7 8'"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n10.0.0.0/8 = drop now\n", ":4: route action 'drop now': 'drop' takes no word"},
	{"[port 0]\naddress = 192.0.2.1/24\n[routes]\n2001:db8::/32 = prohibited 3\n", ":4: route action 'prohibited 3'"},
	/* the reader's own messages */
	{"[port 0]\naddress = 192.0.2.1/24\n[icmp]\necho =\n", ":4: 'echo =' has no value"},
	{"[port 0]\naddres = 192.0.2.1/24\n", ":2: unknown key 'addres' in [port 0]: did you mean 'address'? (known: address, address6"},
	{"[port 0]\naddress = 192.0.2.1/24\n[icmp]\necoh = on\n", ":4: unknown key 'ecoh' in [icmp]: did you mean 'echo'? (known: echo, timestamp"},
	{"[port 0]\naddress = 192.0.2.1/24\n[ratelimit]\nburst = 5\n", ":4: unknown key 'burst' in [ratelimit] (known: errors_per_sec"},
	{"[port 0]\naddress = 192.0.2.1/24\n[lpa]\nlisen = on\n", ":4: unknown key 'lisen' in [lpa]: did you mean 'listen'?"},
	{"[port 0]\naddress = 192.0.2.1/24\n[route]\n10.0.0.0/8 = drop\n", ":3: unknown section [route]: did you mean [routes]?"},
	{"[port 0]\naddress = 192.0.2.1/24\n[ratelimit]\nper_source_burst = 2\n", ":4: per_source_burst '2' must be 3 to 100000000"},
	{"[port x]\naddress = 192.0.2.1/24\n", ":1: [port x]: expected [port N]"},
	{"[port 0]\naddress = 192.0.2.1/24\nmtu = 1500\nmtu = 1400\n", ":4: [port 0] mtu given twice (first at line 3)"},
};

ParameterizedTestParameters(config, a_bad_file_is_refused_with_its_line_and_reason)
{
	return cr_make_param_array(struct bad_case, bad_cases, RTE_DIM(bad_cases));
}

ParameterizedTest(struct bad_case *c, config, a_bad_file_is_refused_with_its_line_and_reason)
{
	cr_assert_eq(load(c->text), -1, "accepted:\n%s", c->text);
	cr_assert_not_null(strstr(err, path), "no file name in: %s", err);
	cr_assert_not_null(strstr(err, c->want), "want '%s' in: %s", c->want, err);
	/* a line is named only when one is to blame */
	cr_assert(strncmp(err + strlen(path), ":0:", 3) != 0, "%s", err);
}

Test(config, a_missing_file_is_refused_with_errno_text)
{
	cr_assert_eq(ifp_config_load("/nonexistent/icmpfp.ini", &conf, err,
				     sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "/nonexistent/icmpfp.ini"));
	cr_assert_not_null(strstr(err, "No such file"));
	cr_assert_null(strstr(err, ":0:"), "%s", err);
}

Test(config, hash_and_semicolon_comments_are_accepted_anywhere)
{
	cr_assert_eq(load("# the edge box\n"
			  "[port 0] ; first port\n"
			  "address = 192.0.2.1/24 # its subnet\n"
			  "  ; indented\n"
			  "[routes]\n"
			  "10.0.0.0/8 = mtu 1400 # tunnel\n"), 0, "%s", err);
	cr_assert_eq(conf.port[0].n_addr, 1);
	cr_assert_eq(conf.n_routes, 1);
	cr_assert_eq(conf.route[0].arg, 1400);
	cr_assert_eq(conf.route[0].line, 6);
}

/*
 * A section whose keys are data, as routes and policy rules are: the
 * reader hands over keys with spaces and '/', repeats included, each with
 * its line.
 */
static char seen_keys[8][128];
static int seen_lines[8];
static unsigned int n_seen;

static int
rules_entry(struct ifp_ini *x, const char *key, const char *value)
{
	for (unsigned int i = 0; i < n_seen; i++)
		if (strcmp(seen_keys[i], key) == 0)
			return ifp_ini_error(x, "rule '%s' given twice (first at line %d)",
					     key, seen_lines[i]);
	cr_assert_str_eq(value, "drop");
	snprintf(seen_keys[n_seen], sizeof(seen_keys[0]), "%s", key);
	seen_lines[n_seen++] = x->line;
	return 0;
}

Test(config, a_section_of_data_keys_sees_spaces_slashes_and_repeats)
{
	static const struct ifp_ini_section policy = {.name = "policy", .entry = rules_entry};
	static const struct ifp_ini_section *const sec[] = {&policy};
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/ifp-test-ini-%d", getpid());
	f = fopen(path, "w");
	fputs("[policy]\n"
	      "10.0.0.0/8 to 192.0.2.1 echo,timestamp = drop\n"
	      "\n"
	      "any   echo = drop\n"
	      "10.0.0.0/8 to 192.0.2.1 echo,timestamp = drop\n", f);
	fclose(f);
	n_seen = 0;
	cr_assert_eq(ifp_ini_read(path, sec, 1, NULL, err, sizeof(err)), -1);
	unlink(path);
	cr_assert_eq(n_seen, 2);
	cr_assert_str_eq(seen_keys[0], "10.0.0.0/8 to 192.0.2.1 echo,timestamp");
	cr_assert_str_eq(seen_keys[1], "any   echo");
	cr_assert_eq(seen_lines[1], 4);
	cr_assert_not_null(strstr(err, ":5: rule '10.0.0.0/8 to 192.0.2.1 echo,timestamp' "
				  "given twice (first at line 2)"), "%s", err);
}

Test(config, the_section_table_lists_each_section_once_with_whether_it_reloads)
{
	unsigned int n;
	const struct ifp_ini_section *const *s = ifp_config_sections(&n);
	const char *want[] = {"port", "icmp", "icmp6", "routes", "ratelimit", "lpa",
			      "policy"};

	cr_assert_eq(n, RTE_DIM(want));
	for (unsigned int i = 0; i < n; i++) {
		cr_assert_str_eq(s[i]->name, want[i]);
		cr_assert_not_null(s[i]->entry);
		cr_assert_eq(s[i]->reloads, i != 0, "[%s]", s[i]->name);
	}
}

Test(config, every_shipped_driver_profile_loads)
{
	static const char *const names[] = {
		"af_packet", "tap", "pcap", "null", "ring", "memif",
		"virtio", "ixgbe", "i40e", "ice", "mlx5",
	};
	struct ifp_profile p;

	for (unsigned int i = 0; i < RTE_DIM(names); i++)
		cr_assert_eq(ifp_profile_load(IFP_SOURCE_DIR "/drivers-conf", names[i],
					      &p, err, sizeof(err)), 0, "%s", err);
}

Test(config, a_bad_profile_is_refused_with_its_line)
{
	struct ifp_profile p;
	FILE *f = fopen("/tmp/ifp-test-badprofile.ini", "w");

	fputs("; comment\n[profile]\nrx_desc = 5\n", f);
	fclose(f);
	cr_assert_eq(ifp_profile_load("/tmp", "ifp-test-badprofile", &p, err,
				      sizeof(err)), -1);
	unlink("/tmp/ifp-test-badprofile.ini");
	cr_assert_not_null(strstr(err, "ifp-test-badprofile.ini:3: rx_desc '5'"), "%s", err);
}
