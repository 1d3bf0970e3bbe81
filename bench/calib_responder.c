/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The calibration of issue 14: the least an echo responder that verifies
 * both checksums can do on a port. RX, the two verifications (DPDK's
 * inline rte_raw_cksum()), the swap of both address pairs, the RFC 1624
 * update of the type, TX; anything else is freed. Nothing is counted but
 * what bench/vs-testpmd.sh reads: the port's stats on the telemetry socket
 * and, on SIGINT, cycles a packet with icmpfp's accounting (busy: the
 * polls that got packets, RX to RX; proc: from the end of RX to TX).
 *
 *   calib_responder EAL-OPTIONS   (one port, one worker lcore)
 */
#include <inttypes.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#define BURST 32

static atomic_bool quit;
static uint64_t rx_pkts, proc_cycles, busy_cycles;

static void
on_signal(int sig)
{
	(void)sig;
	atomic_store(&quit, true);
}

/* 0 when @p m is an echo request whose checksums verify, now its reply */
static int
answer(struct rte_mbuf *m)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)(ip + 1);
	struct rte_ether_addr mac;
	uint16_t len = rte_be_to_cpu_16(ip->total_length);
	uint32_t sum;
	rte_be32_t a;

	if (eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
	    ip->version_ihl != RTE_IPV4_VHL_DEF ||
	    ip->next_proto_id != IPPROTO_ICMP || len < 28 ||
	    len + sizeof(*eth) > m->data_len ||
	    icmp->icmp_type != RTE_IP_ICMP_ECHO_REQUEST ||
	    rte_raw_cksum(ip, sizeof(*ip)) != 0xffff ||
	    rte_raw_cksum(icmp, len - sizeof(*ip)) != 0xffff)
		return -1;
	mac = eth->dst_addr;
	eth->dst_addr = eth->src_addr;
	eth->src_addr = mac;
	a = ip->src_addr;
	ip->src_addr = ip->dst_addr;
	ip->dst_addr = a;
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	/* RFC 1624 eqn. 3: the type's word from 0x0800 to 0x0000 */
	sum = (uint16_t)~icmp->icmp_cksum + (uint16_t)~RTE_BE16(0x0800);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	icmp->icmp_cksum = (uint16_t)~sum;
	return 0;
}

static int
worker(void *arg)
{
	struct rte_mbuf *pkts[BURST];
	uint64_t t0 = rte_rdtsc(), t1;

	(void)arg;
	while (!atomic_load_explicit(&quit, memory_order_relaxed)) {
		uint16_t n = rte_eth_rx_burst(0, 0, pkts, BURST), k = 0, sent;

		t1 = rte_rdtsc();
		if (n == 0) {
			t0 = t1;
			continue;
		}
		busy_cycles += t1 - t0;
		for (uint16_t i = 0; i < n; i++) {
			if (answer(pkts[i]) == 0)
				pkts[k++] = pkts[i];
			else
				rte_pktmbuf_free(pkts[i]);
		}
		t0 = rte_rdtsc();
		proc_cycles += t0 - t1;
		busy_cycles += t0 - t1;
		rx_pkts += n;
		sent = rte_eth_tx_burst(0, 0, pkts, k);
		if (sent < k)
			rte_pktmbuf_free_bulk(&pkts[sent], k - sent);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct rte_eth_conf conf = {0};
	struct rte_mempool *mp;
	unsigned int lcore;

	if (rte_eal_init(argc, argv) < 0)
		rte_exit(EXIT_FAILURE, "EAL\n");
	lcore = rte_get_next_lcore(-1, 1, 0);
	if (lcore >= RTE_MAX_LCORE || rte_eth_dev_count_avail() < 1)
		rte_exit(EXIT_FAILURE, "one port and one worker lcore\n");
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	mp = rte_pktmbuf_pool_create("calib", 8192, 256, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (mp == NULL || rte_eth_dev_configure(0, 1, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup(0, 0, 512, rte_eth_dev_socket_id(0), NULL, mp) != 0 ||
	    rte_eth_tx_queue_setup(0, 0, 512, rte_eth_dev_socket_id(0), NULL) != 0 ||
	    rte_eth_dev_start(0) != 0)
		rte_exit(EXIT_FAILURE, "port 0\n");
	rte_eal_remote_launch(worker, NULL, lcore);
	while (!atomic_load(&quit))
		rte_delay_ms(100);
	rte_eal_mp_wait_lcore();
	printf("final: rx %" PRIu64 " busy %.1f proc %.1f\n", rx_pkts,
	       (double)busy_cycles / (double)(rx_pkts ? rx_pkts : 1),
	       (double)proc_cycles / (double)(rx_pkts ? rx_pkts : 1));
	rte_eth_dev_stop(0);
	rte_eth_dev_close(0);
	rte_eal_cleanup();
	return 0;
}
