/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * icmpfp: EAL, ports, queues and worker lcores around the fast path of lib/.
 *
 *   icmpfp [EAL options] -- -c FILE [--stats-period SEC] [--drivers-conf DIR]
 *          [--echo-x8]
 *
 * The manual is icmpfp(8) (man/icmpfp.8.in).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <numa.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_devargs.h>
#include <rte_ethdev.h>
#include <rte_kvargs.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_pdump.h>
#include <rte_telemetry.h>
#include <rte_vect.h>
#include <rte_version.h>

#include <systemd/sd-daemon.h>

#include "ifp_cksum.h"
#include "ifp_classify.h"
#include "ifp_config.h"
#include "ifp_ctl.h"
#include "ifp_link.h"
#include "ifp_log.h"
#include "ifp_lpa_adv.h"
#include "ifp_lpa_listen.h"
#include "ifp_proc.h"
#include "ifp_reload.h"
#include "ifp_report.h"
#include "ifp_route.h"
#include "ifp_stats_ring.h"
#include "ifp_telemetry.h"
#include "ifp_trace.h"
#include "ifp_trace_tel.h"
#include "ifp_txcheck.h"

/* the installed profiles, <prefix>/<datadir>/icmpfp/drivers-conf (meson) */
#ifndef IFP_DRIVERS_CONF_DIR
#define IFP_DRIVERS_CONF_DIR "/usr/share/icmpfp/drivers-conf"
#endif
#ifndef IFP_VERSION
#define IFP_VERSION "unknown"
#endif

/* One RX/TX queue pair a worker polls. */
struct worker_queue {
	uint16_t port;
	uint16_t queue;
};

/* A worker lcore: its fast-path context first, then what it polls. */
struct worker {
	struct ifp_lcore lc;
	struct ifp_stats_pub pub;
	uint16_t nq;
	uint16_t burst;
	/** the control ring (ifp_ctl.h), on the worker owning queue 0 */
	struct rte_ring *ctl;
	/** turns of the poll loop, read by the main lcore's watchdog */
	uint64_t loops;
#ifdef IFP_TEST_HOOKS
	uint64_t stall_at; /**< timer cycle to stop polling at (0: never) */
#endif
	struct worker_queue q[RTE_MAX_ETHPORTS];
	/** its packet trace (docs/trace.md): IFP_TRACE_KEEP records */
	struct ifp_trace_buf trace;
} __rte_cache_aligned;

static struct {
	struct ifp_conf conf;
	const char *config_path;
	const char *drivers_conf;
	uint32_t stats_period;
	struct ifp_profile profile[RTE_MAX_ETHPORTS];
	struct rte_mempool *pool[RTE_MAX_NUMA_NODES];
	struct rte_mempool *indirect[RTE_MAX_NUMA_NODES];
	struct worker *worker[RTE_MAX_LCORE];
	unsigned int n_workers;
	struct rte_ring *ctl; /* frames the box originates (ifp_ctl.h) */
	/* what start-up did, for fail() to undo */
	uint8_t port_state[RTE_MAX_ETHPORTS];
	bool links_watched;
	bool lpa_up;
	bool reload_up;
	bool routes_built;
	/* wall clock = base_ns + (tsc - base_tsc) * ns_per_tsc */
	uint64_t base_tsc;
	uint64_t base_ns;
	double ns_per_tsc;
	/* the same in fixed point for the workers: ns = tsc * ns_mult >> 32 */
	uint64_t ns_mult;
} app;

enum { PORT_DOWN, PORT_CONFIGURED, PORT_STARTED };

static atomic_bool quit;

static void
on_signal(int sig)
{
	(void)sig;
	atomic_store_explicit(&quit, true, memory_order_relaxed);
}

static void __rte_noreturn __rte_format_printf(1, 2) fail(const char *fmt, ...);

/* SIGINT and SIGTERM stop; SIGHUP is the reload's (ifp_reload.c), also
 * with sigaction() */
static void
signals_init(void)
{
	struct sigaction sa = {.sa_handler = on_signal, .sa_flags = SA_RESTART};

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0)
		fail("sigaction: %s", strerror(errno));
}

/*
 * Undo what start-up did, last first: ports started are stopped and
 * closed (a NIC left started would go on writing into memory EAL gives
 * back), then the control ring, LPA, reload and routes.
 */
static void
unwind(void)
{
	uint16_t port;

	if (app.links_watched)
		ifp_link_unwatch();
	for (int p = RTE_MAX_ETHPORTS - 1; p >= 0; p--) {
		port = (uint16_t)p;
		if (app.port_state[port] == PORT_STARTED && rte_eth_dev_stop(port) == 0)
			IFP_LOG(NOTICE, "port %u: stopped", port);
		if (app.port_state[port] != PORT_DOWN) {
			rte_eth_dev_close(port);
			IFP_LOG(NOTICE, "port %u: closed", port);
		}
		app.port_state[port] = PORT_DOWN;
	}
	ifp_ctl_free();
	if (app.lpa_up)
		ifp_lpa_fini();
	if (app.reload_up)
		ifp_reload_fini();
	if (app.routes_built) {
		ifp_routes_free(&app.conf);
		ifp_config_free(&app.conf);
	}
	app.links_watched = app.lpa_up = app.reload_up = app.routes_built = false;
}

/*
 * A start-up failure after EAL is up: say why on stderr (and in STATUS=),
 * undo what was started, and exit 1.
 */
static void __rte_noreturn __rte_format_printf(1, 2)
fail(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "icmpfp: %s\n", msg);
	sd_notifyf(0, "STATUS=failed: %s", msg);
	unwind();
	rte_eal_cleanup();
	exit(EXIT_FAILURE);
}

/*
 * The profile directory when neither --drivers-conf nor ICMPFP_DRIVERS_CONF
 * names one: drivers-conf/ beside the executable when there is one, which
 * only the build tree has (meson links build/app/drivers-conf to the
 * source's profiles), else the installed IFP_DRIVERS_CONF_DIR. The binary
 * holds no path of the tree it was built in.
 */
static const char *
drivers_conf_default(void)
{
	static char dir[PATH_MAX];
	char exe[PATH_MAX], *slash;
	struct stat st;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return IFP_DRIVERS_CONF_DIR;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash == NULL ||
	    snprintf(slash, sizeof(exe) - (size_t)(slash - exe), "/drivers-conf") >=
		    (int)(sizeof(exe) - (size_t)(slash - exe)))
		return IFP_DRIVERS_CONF_DIR;
	if (stat(exe, &st) < 0 || !S_ISDIR(st.st_mode) || realpath(exe, dir) == NULL)
		return IFP_DRIVERS_CONF_DIR;
	return dir;
}

/* --drivers-conf, else $ICMPFP_DRIVERS_CONF, else drivers_conf_default() */
static const char *
drivers_conf_dir(void)
{
	const char *env = getenv("ICMPFP_DRIVERS_CONF");

	return env != NULL && env[0] != '\0' ? env : drivers_conf_default();
}

#define IFP_STATS_PERIOD_MAX 86400u

static void
usage_to(FILE *f)
{
	fprintf(f,
		"usage: icmpfp [EAL options] -- -c FILE [--stats-period SEC] [--drivers-conf DIR]\n"
		"       [--echo-x8]\n"
		"       icmpfp --check -c FILE [--drivers-conf DIR]\n"
		"       icmpfp -- --help | --version\n"
		"  -c FILE            config file (INI), its sections:\n");
	ifp_config_sections_print(f);
	fprintf(f,
		"  --check            check FILE and the profiles it names, print what it\n"
		"                     holds, exit 0 or 1; no EAL, no root, no hugepages\n"
		"  --stats-period SEC print a counter line every SEC seconds (0: off, at most\n"
		"                     86400)\n"
		"  --drivers-conf DIR port profiles (now %s)\n"
		"  --echo-x8          echo fast path in groups of eight (AVX-512 kernel only)\n"
		"SIGHUP reloads FILE; SIGINT or SIGTERM stops. Logs as type icmpfp\n"
		"(--log-level=icmpfp:debug). Under systemd (Type=notify) it sends READY=1,\n"
		"WATCHDOG=1 while every worker polls, and STATUS=. The manual: man 8 icmpfp\n",
		drivers_conf_dir());
}

/*
 * `icmpfp --check -c FILE`: load FILE as the daemon would, and the
 * profiles its ports name, without EAL (no root, no hugepages). What only
 * the ports can tell (does port N exist) is left to the start.
 */
static void __rte_noreturn
check_only(const char *path, const char *drivers)
{
	char err[IFP_ERR_LEN], line[2048];

	if (path == NULL) {
		usage_to(stderr);
		fprintf(stderr, "--check: -c FILE is required\n");
		exit(EXIT_FAILURE);
	}
	if (ifp_config_load(path, &app.conf, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		exit(EXIT_FAILURE);
	}
	for (unsigned int p = 0; p < IFP_MAX_PORTS; p++) {
		struct ifp_profile pr;

		if (!app.conf.port[p].present || app.conf.port[p].profile[0] == '\0')
			continue;
		if (ifp_profile_load(drivers, app.conf.port[p].profile, &pr, err,
				     sizeof(err)) < 0) {
			fprintf(stderr, "%s: [port %u] profile: %s\n", path, p, err);
			exit(EXIT_FAILURE);
		}
	}
	ifp_config_summary(&app.conf, path, line, sizeof(line));
	printf("%s\n", line);
	ifp_config_policy_print(&app.conf, stdout);
	printf("%s: OK\n", path);
	exit(EXIT_SUCCESS);
}

/* `icmpfp --help`: EAL prints this before its own options */
static void
usage_hook(const char *prog)
{
	(void)prog;
	usage_to(stdout);
	printf("\n");
}

/*
 * `icmpfp -- --help` and `icmpfp -- --version` answer before EAL starts, so
 * they need no hugepages, no root and leave no /run/dpdk behind.
 */
static void
early_args(int argc, char **argv)
{
	const char *check_path = NULL, *check_drivers = drivers_conf_dir();
	bool check = false;
	int i = 1, first;

	while (i < argc && strcmp(argv[i], "--") != 0)
		i++;
	/* --check stands anywhere and takes no EAL options; its -c is
	 * icmpfp's (after "--" when there is one), not EAL's coremask */
	first = i < argc ? i + 1 : 1;
	for (int k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--check") == 0)
			check = true;
		else if (k >= first && k + 1 < argc &&
			 (strcmp(argv[k], "-c") == 0 || strcmp(argv[k], "--config") == 0))
			check_path = argv[++k];
		else if (strcmp(argv[k], "--drivers-conf") == 0 && k + 1 < argc)
			check_drivers = argv[++k];
	}
	if (check)
		check_only(check_path, check_drivers);
	for (i++; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0 ||
		    strcmp(argv[i], "--stats-period") == 0 ||
		    strcmp(argv[i], "--drivers-conf") == 0) {
			i++; /* its value */
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage_to(stdout);
			exit(EXIT_SUCCESS);
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("icmpfp %s (%s)\n", IFP_VERSION, rte_version());
			exit(EXIT_SUCCESS);
		}
	}
}

static void
parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"stats-period", required_argument, NULL, 'p'},
		{"drivers-conf", required_argument, NULL, 'd'},
		{"echo-x8", no_argument, NULL, 'x'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt;

	app.drivers_conf = drivers_conf_dir();
	optind = 1;
	while ((opt = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			app.config_path = optarg;
			break;
		case 'p':
			if (ifp_config_parse_u32(optarg, 0, IFP_STATS_PERIOD_MAX,
						 &app.stats_period) < 0)
				fail("--stats-period '%s': not a number of seconds from 0 to %u",
				     optarg, IFP_STATS_PERIOD_MAX);
			break;
		case 'd':
			app.drivers_conf = optarg;
			break;
		case 'x':
			ifp_classify_x8_enable(true);
			break;
		default:
			usage_to(opt == 'h' ? stdout : stderr);
			if (opt == 'h') {
				rte_eal_cleanup();
				exit(EXIT_SUCCESS);
			}
			fail("unknown option (see above)");
		}
	}
	if (app.config_path == NULL) {
		usage_to(stderr);
		fail("-c FILE is required");
	}
}

static inline uint64_t
now_ns(uint64_t tsc)
{
	return app.base_ns + (uint64_t)((double)(tsc - app.base_tsc) * app.ns_per_tsc);
}

/* now_ns() once a burst on a worker: a multiply and a shift, no double
 * (within a nanosecond of now_ns() for centuries of uptime) */
static inline uint64_t
worker_now_ns(uint64_t tsc)
{
	return app.base_ns +
	       (uint64_t)(((unsigned __int128)(tsc - app.base_tsc) * app.ns_mult) >> 32);
}

/* the workers' clock, read on the main lcore (LPA hold timer, rounds) */
static uint64_t
main_clock_ns(void)
{
	return now_ns(rte_rdtsc());
}

static void
clock_init(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	app.base_tsc = rte_rdtsc();
	app.base_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	app.ns_per_tsc = 1e9 / (double)rte_get_tsc_hz();
	app.ns_mult = (uint64_t)((1e9 * 4294967296.0) / (double)rte_get_tsc_hz());
}

/* "net_af_packet" -> "af_packet", "mlx5_pci" -> "mlx5" */
static void
profile_name_of(const char *driver, char *out, size_t len)
{
	char *us;

	if (strncmp(driver, "net_", 4) == 0)
		driver += 4;
	snprintf(out, len, "%s", driver);
	us = strstr(out, "_pci");
	if (us != NULL && us[4] == '\0')
		*us = '\0';
}

static int
port_socket(uint16_t port)
{
	int s = rte_eth_dev_socket_id(port);

	return s < 0 ? 0 : s;
}

static struct rte_mempool *
port_pool(uint16_t port)
{
	return app.pool[port_socket(port)];
}

static void
pools_create(void)
{
	uint32_t need[RTE_MAX_NUMA_NODES] = {0};
	uint16_t room[RTE_MAX_NUMA_NODES] = {0};
	uint16_t port;

	RTE_ETH_FOREACH_DEV(port) {
		const struct ifp_profile *pr = &app.profile[port];
		uint32_t per_q;

		if (!app.conf.port[port].present)
			continue;
		/* every descriptor may hold an mbuf, plus one burst in
		 * flight and the per-lcore caches */
		per_q = pr->rx_desc + pr->tx_desc + 2 * pr->burst;
		need[port_socket(port)] += RTE_MAX(per_q, pr->mbufs) * app.n_workers;
		room[port_socket(port)] = RTE_MAX(room[port_socket(port)], pr->mbuf_size);
	}
	for (unsigned int s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		char name[RTE_MEMPOOL_NAMESIZE];
		uint32_t n;

		if (need[s] == 0)
			continue;
		/* plus what the reassembly tables may hold, and the
		 * per-lcore caches */
		n = need[s] + app.n_workers * (IFP_FRAG_MBUFS_MAX + 256) + 1024;
		snprintf(name, sizeof(name), "ifp_pool_%u", s);
		app.pool[s] = rte_pktmbuf_pool_create(name, n, 256, 0,
						      room[s] + RTE_PKTMBUF_HEADROOM, s);
		if (app.pool[s] == NULL)
			fail("socket %u: mempool of %u mbufs: %s",
			     s, n, rte_strerror(rte_errno));
		/* indirect mbufs of reply fragments, held until TX frees them */
		snprintf(name, sizeof(name), "ifp_indirect_%u", s);
		app.indirect[s] = rte_pktmbuf_pool_create(name, 4096 * app.n_workers + 1024,
							  64, 0, 0, s);
		if (app.indirect[s] == NULL)
			fail("socket %u: indirect mempool: %s", s,
			     rte_strerror(rte_errno));
		IFP_LOG(INFO, "socket %u: %u mbufs of %u bytes", s, n, room[s]);
	}
}

/* Mbufs taken from the pools and not given back (caches count as free). */
static unsigned int
pools_in_use(void)
{
	unsigned int n = 0;

	for (unsigned int s = 0; s < RTE_MAX_NUMA_NODES; s++)
		if (app.pool[s] != NULL)
			n += rte_mempool_in_use_count(app.pool[s]);
	return n;
}

static unsigned int
pools_size(void)
{
	unsigned int n = 0;

	for (unsigned int s = 0; s < RTE_MAX_NUMA_NODES; s++)
		if (app.pool[s] != NULL)
			n += app.pool[s]->size;
	return n;
}

/*
 * /icmpfp/pools: each mbuf pool, its size and the mbufs taken from it
 * (per-lcore caches count as free), and what the reassembly tables may
 * hold at most; read from any thread, as rte_mempool_avail_count() allows.
 */
static int
pools_telemetry(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	if (params != NULL && params[0] != '\0')
		return -EINVAL;
	rte_tel_data_start_dict(d);
	for (unsigned int s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		struct rte_mempool *pools[2] = {app.pool[s], app.indirect[s]};

		for (unsigned int i = 0; i < RTE_DIM(pools); i++) {
			struct rte_tel_data *p;

			if (pools[i] == NULL || (p = rte_tel_data_alloc()) == NULL)
				continue;
			rte_tel_data_start_dict(p);
			rte_tel_data_add_dict_int(p, "socket", (int)s);
			rte_tel_data_add_dict_u64(p, "size", pools[i]->size);
			rte_tel_data_add_dict_u64(p, "in_use", rte_mempool_in_use_count(pools[i]));
			if (i == 0)
				rte_tel_data_add_dict_u64(p, "reassembly_max",
							  (uint64_t)app.n_workers * IFP_FRAG_MBUFS_MAX);
			if (rte_tel_data_add_dict_container(d, pools[i]->name, p, 0) != 0)
				rte_tel_data_free(p);
		}
	}
	return 0;
}

static void
port_profile(uint16_t port, const struct rte_eth_dev_info *info)
{
	struct ifp_port_conf *pc = &app.conf.port[port];
	char name[64], err[IFP_ERR_LEN];

	if (pc->profile[0] != '\0') {
		if (ifp_profile_load(app.drivers_conf, pc->profile,
				     &app.profile[port], err, sizeof(err)) < 0)
			fail("port %u: %s", port, err);
		return;
	}
	profile_name_of(info->driver_name, name, sizeof(name));
	if (ifp_profile_load(app.drivers_conf, name, &app.profile[port], err,
			     sizeof(err)) < 0) {
		IFP_LOG(WARNING, "port %u (%s): no usable profile '%s' (%s); using defaults",
			port, info->driver_name, name, err);
		ifp_profile_defaults(&app.profile[port]);
		snprintf(app.profile[port].name, sizeof(app.profile[port].name),
			 "defaults");
	}
}

/*
 * af_packet hands over at most its frame size less the TPACKET_V2 header
 * and the offset of the link-layer header in the frame (the kernel's
 * tpacket_rcv: TPACKET_ALIGN(52 + 16) - 14 = 66 bytes), and cuts longer
 * frames instead of dropping them. The kernel reassembles IPv4 fragments
 * before af_packet sees them (PACKET_FANOUT_FLAG_DEFRAG), so a datagram of
 * up to 65535 bytes may arrive as one frame.
 */
#define AF_PACKET_FRAME_OVERHEAD 66
#define AF_PACKET_FRAMESZ_DEFAULT 2048

/* The largest frame @p port hands over whole; 0 when it never cuts. */
static uint32_t
port_rx_frame_max(uint16_t port, const struct rte_eth_dev_info *info)
{
	const struct rte_devargs *da = rte_dev_devargs(info->device);
	uint32_t framesz = AF_PACKET_FRAMESZ_DEFAULT;
	struct rte_kvargs *kv;
	const char *v;

	if (strcmp(info->driver_name, "net_af_packet") != 0)
		return 0;
	kv = da != NULL && da->args != NULL ? rte_kvargs_parse(da->args, NULL) : NULL;
	v = kv != NULL ? rte_kvargs_get(kv, "framesz") : NULL;
	if (v != NULL && ifp_config_parse_u32(v, 1, INT32_MAX, &framesz) < 0) {
		char bad[32];

		snprintf(bad, sizeof(bad), "%s", v);
		rte_kvargs_free(kv);
		fail("port %u (%s): framesz=%s: not a number of bytes", port,
		     info->driver_name, bad);
	}
	rte_kvargs_free(kv);
	if (framesz <= AF_PACKET_FRAME_OVERHEAD)
		return 0;
	if (framesz - AF_PACKET_FRAME_OVERHEAD < UINT16_MAX + RTE_ETHER_HDR_LEN)
		IFP_LOG(WARNING, "port %u (%s): frames over %u bytes arrive cut (framesz=%u); "
			"the kernel reassembles IPv4 fragments before af_packet sees them, so "
			"datagrams over %u bytes are dropped as rx_truncated: raise framesz= and "
			"blocksz= in the --vdev devargs (and mbuf_size in the af_packet profile)",
			port, info->driver_name, framesz - AF_PACKET_FRAME_OVERHEAD, framesz,
			framesz - AF_PACKET_FRAME_OVERHEAD - RTE_ETHER_HDR_LEN);
	return framesz - AF_PACKET_FRAME_OVERHEAD;
}

static void
port_check_numa(uint16_t port)
{
	unsigned int lcore;
	int psock = rte_eth_dev_socket_id(port);

	if (psock < 0 || numa_available() < 0)
		return;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		int node = numa_node_of_cpu((int)rte_lcore_to_cpu_id(lcore));

		if (node >= 0 && node != psock)
			IFP_LOG(WARNING, "port %u is on socket %d but lcore %u runs on node %d: "
				"every packet crosses the interconnect", port, psock, lcore, node);
	}
}

/*
 * The Ethernet groups of [lpa] groups must reach the port: asked of the NIC
 * by list, or all multicast when it keeps no list. A PMD with neither
 * (af_packet: the kernel interface under it decides) is left as it is.
 */
static void
port_lpa_groups(uint16_t port, const struct ifp_conf *c)
{
	struct rte_ether_addr macs[IFP_LPA_GROUPS_MAX];
	uint32_t n = 0;
	int rc;

	if (c->lpa.listen)
		for (unsigned int i = 0; i < c->lpa.n_groups; i++)
			macs[n++] = c->lpa.group_mac[i];
	rc = rte_eth_dev_set_mc_addr_list(port, n ? macs : NULL, n);
	if (rc == 0 || n == 0)
		return;
	rc = rte_eth_allmulticast_enable(port);
	if (rc != 0)
		IFP_LOG(NOTICE, "port %u: the NIC takes neither a multicast list nor all "
			"multicast (%s): LPAs to the groups arrive only if it passes them",
			port, strerror(-rc));
}

static void
port_init(uint16_t port)
{
	struct ifp_port_conf *pc = &app.conf.port[port];
	const struct ifp_profile *pr;
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf = {0};
	struct rte_eth_rxconf rxconf;
	struct rte_eth_txconf txconf;
	uint16_t nq = (uint16_t)app.n_workers;
	uint16_t rx_desc, tx_desc;
	int socket = port_socket(port), rc;

	rc = rte_eth_dev_info_get(port, &info);
	if (rc != 0)
		fail("port %u: cannot get device info: %s", port,
		     strerror(-rc));
	port_profile(port, &info);
	pr = &app.profile[port];
	pc->rx_frame_max = port_rx_frame_max(port, &info);
	if (info.max_rx_queues < nq || info.max_tx_queues < nq)
		fail("port %u (%s): %u worker lcores need %u RX/TX queue pairs, the port has %u/%u "
		     "(af_packet: add qpairs=%u to its devargs; or give fewer lcores)",
		     port, info.driver_name, nq, nq, info.max_rx_queues,
		     info.max_tx_queues, nq);

	if (nq > 1 && pr->rss && info.flow_type_rss_offloads != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP &
						   info.flow_type_rss_offloads;
		if (conf.rx_adv_conf.rss_conf.rss_hf == 0)
			conf.rx_adv_conf.rss_conf.rss_hf = info.flow_type_rss_offloads;
	} else if (nq > 1) {
		IFP_LOG(WARNING, "port %u (%s): no RSS; flows reach queue 0 only",
			port, info.driver_name);
	}
	if (pr->rx_ipv4_cksum && (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM))
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_IPV4_CKSUM;
	if (pr->tx_ipv4_cksum && (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM)) {
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
		pc->flags |= IFP_PORT_TX_IPV4_CKSUM;
	}
	if (pr->tx_fast_free && (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE))
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;

	conf.intr_conf.lsc = ifp_link_has_lsc(port);
	rc = rte_eth_dev_configure(port, nq, nq, &conf);
	if (rc == 0)
		app.port_state[port] = PORT_CONFIGURED;
	if (rc != 0)
		fail("port %u (%s): configure %u queues: %s", port,
		     info.driver_name, nq, strerror(-rc));
	rx_desc = pr->rx_desc;
	tx_desc = pr->tx_desc;
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(port, &rx_desc, &tx_desc);
	if (rc != 0)
		fail("port %u: descriptors: %s", port, strerror(-rc));

	rxconf = info.default_rxconf;
	rxconf.offloads = conf.rxmode.offloads;
	txconf = info.default_txconf;
	txconf.offloads = conf.txmode.offloads;
	for (uint16_t q = 0; q < nq; q++) {
		rc = rte_eth_rx_queue_setup(port, q, rx_desc, socket, &rxconf,
					    app.pool[socket]);
		if (rc != 0)
			fail("port %u: RX queue %u: %s", port, q,
			     strerror(-rc));
		rc = rte_eth_tx_queue_setup(port, q, tx_desc, socket, &txconf);
		if (rc != 0)
			fail("port %u: TX queue %u: %s", port, q,
			     strerror(-rc));
	}

	rc = rte_eth_dev_set_mtu(port, pc->mtu);
	if (rc != 0)
		IFP_LOG(WARNING, "port %u: cannot set MTU %u (%s); keeping the port's",
			port, pc->mtu, strerror(-rc));
	if (pc->mac_set) {
		rc = rte_eth_dev_default_mac_addr_set(port, &pc->mac);
		if (rc != 0) {
			IFP_LOG(WARNING, "port %u: cannot set MAC (%s); receiving promiscuously",
				port, strerror(-rc));
			rte_eth_promiscuous_enable(port);
		}
	} else {
		rte_eth_macaddr_get(port, &pc->mac);
	}
	/* link_local = auto: from the MAC the port now has */
	ifp_port_ll_auto(pc);
	rte_eth_dev_get_name_by_port(port, pc->name);

	rc = rte_eth_dev_start(port);
	if (rc == 0)
		app.port_state[port] = PORT_STARTED;
	if (rc != 0)
		fail("port %u (%s): start: %s", port,
		     info.driver_name, strerror(-rc));
	port_lpa_groups(port, &app.conf);
	port_check_numa(port);
	IFP_LOG(INFO, "port %u (%s, profile %s in %s): %u queue pair%s, %u/%u descriptors%s%s",
		port, pc->name, pr->name, app.drivers_conf, nq, nq == 1 ? "" : "s", rx_desc, tx_desc,
		(conf.rxmode.offloads & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM) ? ", rx ip cksum" : "",
		(pc->flags & IFP_PORT_TX_IPV4_CKSUM) ? ", tx ip cksum" : "");
}

/* Wait a little for the link, then announce the port's addresses. */
static void
port_up(uint16_t port)
{
	struct rte_eth_link link = {0};
	char status[RTE_ETH_LINK_MAX_STR_LEN];

	for (int i = 0; i < 30; i++) {
		if (rte_eth_link_get_nowait(port, &link) == 0 && link.link_status)
			break;
		rte_delay_ms(100);
	}
	rte_eth_link_to_str(status, sizeof(status), &link);
	IFP_LOG(INFO, "port %u: %s", port, status);
	ifp_link_watch(port, app.profile[port].name);
	app.links_watched = true;
	/* sent by the first worker once it runs */
	ifp_ctl_port_up(port, &app.conf.port[port], app.pool[port_socket(port)]);
}

/* Main lcore: a link went up or down (ifp_link.h). */
static void
port_link_event(uint16_t port, bool up, void *arg)
{
	(void)arg;
	if (up && port < IFP_MAX_PORTS && app.conf.port[port].present)
		ifp_ctl_port_up(port, &app.conf.port[port],
				app.pool[port_socket(port)]);
	/* the LPAs of every port that is up say what changed, this one's
	 * included, as a modem announces its link events */
	ifp_lpa_adv_event();
}

/* turns of the loop between two reports of a quiescent state (and the
 * config and LPA view picked up, worker 0's control ring drained): every
 * turn costs more than it gives, and a reload waits a few microseconds more
 * (ifp_reload.h) */
#define WORKER_QUIESCE_TURNS 16

/*
 * A turn of the poll loop, for the watchdog (sd_tick()); every 4096 turns
 * (a few ms idle, more under load) the reassembly table lets go of what
 * timed out. Test builds stop polling here when IFP_TEST_STALL says so
 * (workers_create()).
 */
static inline void
worker_beat(struct worker *w)
{
#ifdef IFP_TEST_HOOKS
	if (unlikely(w->stall_at != 0 && rte_get_timer_cycles() >= w->stall_at)) {
		IFP_LOG(WARNING, "lcore %u: stalled by IFP_TEST_STALL (test build)",
			rte_lcore_id());
		while (!atomic_load_explicit(&quit, memory_order_relaxed))
			rte_delay_us_sleep(1000);
		w->stall_at = 0;
	}
#endif
	__atomic_store_n(&w->loops, w->loops + 1, __ATOMIC_RELAXED);
	if (unlikely((w->loops & 4095) == 0))
		ifp_lcore_frag_sweep(&w->lc, now_ns(rte_rdtsc()));
}

/* rte_eth_tx_burst(); test builds first check the TX contract (ifp_txcheck.h) */
static inline uint16_t
tx_burst(uint16_t port, uint16_t queue, struct rte_mbuf **tx, uint16_t n)
{
	ifp_txcheck(port, tx, n, port_pool(port));
	return rte_eth_tx_burst(port, queue, tx, n);
}

/*
 * Cycle accounting with two TSC reads a burst (one per empty poll): every
 * read closes the interval since the previous one, and every interval is
 * counted once. The one ending after an RX is busy when the RX returned
 * frames (it holds the previous burst's TX and this RX, as testpmd's
 * --record-core-cycles does), idle when it did not; the one ending after
 * ifp_process_burst() is busy and also proc. So busy + idle is all the
 * time, and under load busy / rx is the whole loop's cost a packet.
 */
static int
worker_main(void *arg)
{
	struct worker *w = arg;
	struct ifp_lcore *lc = &w->lc;
	struct rte_mbuf *pkts[IFP_BURST_MAX], *tx[IFP_TX_MAX];
	uint64_t t0 = rte_rdtsc();
	unsigned int turn = 0;

	IFP_LOG(INFO, "lcore %u: polling %u queues", rte_lcore_id(), w->nq);
	ifp_reload_worker_online(lc->lcore_id);
	ifp_reload_worker_quiescent(lc);
	ifp_lpa_worker_refresh(lc);
	while (!atomic_load_explicit(&quit, memory_order_relaxed)) {
		worker_beat(w);
		/* between bursts nothing holds the config: a reload may
		 * free the one this worker used so far */
		if (++turn == WORKER_QUIESCE_TURNS) {
			turn = 0;
			ifp_reload_worker_quiescent(lc);
			ifp_lpa_worker_refresh(lc);
			/* worker 0 sends what the main lcore originates */
			if (w->ctl != NULL)
				ifp_ctl_worker_drain(w->ctl, lc, 0);
		}
		for (uint16_t i = 0; i < w->nq; i++) {
			const struct worker_queue *q = &w->q[i];
			struct rte_mbuf **out;
			uint16_t n, ntx, sent = 0;
			uint64_t t1;

			n = rte_eth_rx_burst(q->port, q->queue, pkts, w->burst);
			t1 = rte_rdtsc();
			if (n == 0) {
				lc->st.idle_cycles += t1 - t0;
				t0 = t1;
				continue;
			}
			lc->st.busy_cycles += t1 - t0;
			lc->now_ns = worker_now_ns(t1);
			lc->rx_queue = q->queue;
			/* an all-echo burst goes back out of pkts itself */
			ntx = ifp_process_burst_out(lc, pkts, n, tx, &out);
			t0 = rte_rdtsc();
			lc->st.proc_cycles += t0 - t1;
			lc->st.busy_cycles += t0 - t1;
			if (likely(ntx != 0))
				sent = tx_burst(q->port, q->queue, out, ntx);
			ifp_tx_account(lc, out, ntx, sent);
			lc->st.bursts++;
			lc->st.burst_hist[ifp_burst_bucket(n)]++;
		}
		ifp_stats_ring_publish_due(&w->pub, &lc->st, t0);
	}
	ifp_reload_worker_offline(lc->lcore_id);
	ifp_stats_ring_publish(&w->pub, &lc->st, rte_rdtsc());
	return 0;
}

#ifdef IFP_TEST_HOOKS
/*
 * Test builds: IFP_TEST_STALL=LCORE:SEC makes worker LCORE stop polling SEC
 * seconds after start (worker_beat()), as a hung PMD would. The timer
 * cycle to stop at, 0 for every other lcore.
 */
static uint64_t
test_stall_at(unsigned int lcore)
{
	const char *e = getenv("IFP_TEST_STALL");
	unsigned int l, sec;

	if (e == NULL || sscanf(e, "%u:%u", &l, &sec) != 2 || l != lcore)
		return 0;
	IFP_LOG(WARNING, "lcore %u stops polling in %u s (IFP_TEST_STALL)", l, sec);
	return rte_get_timer_cycles() + (uint64_t)sec * rte_get_timer_hz() + 1;
}
#endif

/* The trace buffer of worker @p lcore (ifp_trace_tel.h), or NULL. */
static struct ifp_trace_buf *
worker_trace(unsigned int lcore)
{
	return lcore < RTE_MAX_LCORE && app.worker[lcore] != NULL
		       ? &app.worker[lcore]->trace
		       : NULL;
}

static void
workers_create(void)
{
	char err[IFP_ERR_LEN];
	unsigned int lcore, idx = 0;

	RTE_LCORE_FOREACH_WORKER(lcore) {
		struct worker *w;
		uint16_t port;
		int rc;

		w = rte_zmalloc_socket("worker", sizeof(*w), RTE_CACHE_LINE_SIZE,
				       (int)rte_lcore_to_socket_id(lcore));
		if (w == NULL)
			fail("lcore %u: no memory for its context", lcore);
		ifp_lcore_init(&w->lc, &app.conf, lcore, app.n_workers);
		w->lc.worker = idx; /* its counters in a [policy] */
		ifp_trace_init(&w->trace, lcore);
		w->lc.trace = &w->trace;
		w->lc.trace_file = app.config_path;
		if (ifp_lcore_frag_create(&w->lc, (int)rte_lcore_to_socket_id(lcore), err,
					  sizeof(err)) < 0)
			fail("%s", err);
		w->lc.indirect_pool = app.indirect[rte_lcore_to_socket_id(lcore)];
		if (w->lc.indirect_pool == NULL)
			w->lc.indirect_pool = app.indirect[0];
		RTE_ETH_FOREACH_DEV(port)
			if (port < IFP_MAX_PORTS && app.conf.port[port].present)
				w->lc.tx_pool[port] = port_pool(port);
		rc = ifp_stats_ring_create(lcore, &w->pub);
		if (rc == 0)
			rc = ifp_reload_worker_register(lcore);
		if (rc != 0)
			fail("lcore %u: stats ring or RCU: %s", lcore,
			     strerror(-rc));
		w->lc.lpa_ring = ifp_lpa_ring_create(lcore,
						     (int)rte_lcore_to_socket_id(lcore));
		if (w->lc.lpa_ring == NULL)
			fail("lcore %u: LPA ring: %s", lcore,
			     rte_strerror(rte_errno));
		w->burst = IFP_BURST_MAX;
		/* queue idx of every port is this worker's: idx 0 sends what
		 * the main lcore originates */
		if (idx == 0)
			w->ctl = app.ctl;
		RTE_ETH_FOREACH_DEV(port) {
			if (!app.conf.port[port].present)
				continue;
			w->q[w->nq].port = port;
			w->q[w->nq].queue = (uint16_t)idx;
			w->nq++;
			w->burst = RTE_MIN(w->burst, app.profile[port].burst);
		}
#ifdef IFP_TEST_HOOKS
		w->stall_at = test_stall_at(lcore);
#endif
		app.worker[lcore] = w;
		idx++;
	}
}

static void
stats_sum(struct ifp_stats *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
		if (app.worker[l] != NULL)
			ifp_stats_fold(sum, &app.worker[l]->lc.st);
}

static void
config_check_ports(void)
{
	uint16_t n = rte_eth_dev_count_avail();
	uint16_t port;

	if (n == 0)
		fail("no ports: give EAL a device (-a PCI or --vdev ...)");
	for (uint16_t p = 0; p < IFP_MAX_PORTS; p++)
		if (app.conf.port[p].present && !rte_eth_dev_is_valid_port(p))
			fail("%s: [port %u]: no such port (EAL has %u)",
			     app.config_path, p, n);
	RTE_ETH_FOREACH_DEV(port) {
		if (port >= IFP_MAX_PORTS || !app.conf.port[port].present)
			IFP_LOG(WARNING, "port %u has no [port %u] section: left down",
				port, port);
	}
}

/*
 * systemd (sd_notify(3), docs/operations.md): READY=1 once every port is
 * started and every worker polls; WATCHDOG=1 at half of WATCHDOG_USEC, only
 * while every worker's loop has turned since the last ping; STATUS= a line
 * of rates and totals, naming the workers that stopped. Without
 * NOTIFY_SOCKET each sd_notify() is a no-op.
 */
static struct {
	uint64_t ping_period; /* timer cycles; 0: no watchdog */
	uint64_t last_ping;
	uint64_t last_status;
	uint64_t loops[RTE_MAX_LCORE];  /* at the last check */
	uint64_t turned[RTE_MAX_LCORE]; /* when the loop last turned */
	struct ifp_stats prev;
	bool stalled;
} sd;

/* Wait until every worker has turned its loop once, then READY=1. */
static void
sd_ready(void)
{
	uint64_t usec, start = rte_get_timer_cycles(), hz = rte_get_timer_hz();
	unsigned int lcore;
	bool waiting = true, warned = false;

	while (waiting && !atomic_load_explicit(&quit, memory_order_relaxed)) {
		waiting = false;
		RTE_LCORE_FOREACH_WORKER(lcore)
			if (__atomic_load_n(&app.worker[lcore]->loops, __ATOMIC_RELAXED) == 0)
				waiting = true;
		if (waiting && !warned && rte_get_timer_cycles() - start > 5 * hz) {
			IFP_LOG(WARNING, "a worker has not polled 5 s after its launch");
			warned = true;
		}
		if (waiting)
			rte_delay_us_sleep(1000);
	}
	RTE_LCORE_FOREACH_WORKER(lcore) {
		sd.loops[lcore] = __atomic_load_n(&app.worker[lcore]->loops, __ATOMIC_RELAXED);
		sd.turned[lcore] = rte_get_timer_cycles();
	}
	sd.last_ping = sd.last_status = rte_get_timer_cycles();
	if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
		sd.ping_period = usec / 2 * hz / 1000000u;
		IFP_LOG(INFO, "systemd watchdog: %" PRIu64 " ms, a ping every %" PRIu64 " ms while "
			"every worker polls", usec / 1000, usec / 2000);
	}
	sd_notifyf(0, "READY=1\nSTATUS=running on %u worker lcores", app.n_workers);
}

/* STATUS=: rates since the last one, totals, and the stalled workers */
static void
sd_status(uint64_t now, const char *stalled)
{
	struct ifp_stats t;
	uint64_t dropped = 0;
	double secs = (double)(now - sd.last_status) / (double)rte_get_timer_hz();

	ifp_stats_ring_total(&t);
	for (unsigned int i = 0; i < IFP_DROP_MAX; i++)
		dropped += t.dropped[i];
	if (secs <= 0)
		secs = 1;
	sd_notifyf(0, "STATUS=%s%srx %.0f/s tx %.0f/s, answered %" PRIu64 ", ratelimited %" PRIu64
		   ", dropped %" PRIu64,
		   stalled[0] ? stalled : "", stalled[0] ? "; " : "",
		   (double)(t.rx - sd.prev.rx) / secs, (double)(t.tx - sd.prev.tx) / secs,
		   t.answered, t.ratelimited, dropped);
	sd.prev = t;
	sd.last_status = now;
}

/* The main loop's turn: a ping when due and every worker polls, a status
 * every second (at once when a worker stops or starts again). */
static void
sd_tick(void)
{
	uint64_t now = rte_get_timer_cycles(), hz = rte_get_timer_hz();
	uint64_t check = sd.ping_period ? sd.ping_period : hz;
	char stalled[256] = "";
	size_t len = 0;
	unsigned int lcore;

	/* stopping: a stalled worker let go turns its loop once more */
	if (now - sd.last_ping < check || atomic_load_explicit(&quit, memory_order_relaxed))
		return;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		uint64_t n = __atomic_load_n(&app.worker[lcore]->loops, __ATOMIC_RELAXED);

		if (n != sd.loops[lcore]) {
			sd.loops[lcore] = n;
			sd.turned[lcore] = now;
			continue;
		}
		if (len < sizeof(stalled))
			len += (size_t)snprintf(stalled + len, sizeof(stalled) - len,
						"%slcore %u has not polled for %.1f s",
						len ? ", " : "stalled: ", lcore,
						(double)(now - sd.turned[lcore]) / (double)hz);
	}
	sd.last_ping = now;
	if (len == 0 && sd.ping_period)
		sd_notify(0, "WATCHDOG=1");
	if ((len != 0) != sd.stalled) {
		sd.stalled = len != 0;
		if (sd.stalled)
			IFP_LOG(ERR, "%s: no watchdog ping", stalled);
		else
			IFP_LOG(NOTICE, "every worker polls again");
		sd_status(now, stalled);
	} else if (now - sd.last_status >= hz || sd.stalled) {
		sd_status(now, stalled);
	}
}

int
main(int argc, char **argv)
{
	char err[IFP_ERR_LEN];
	struct ifp_stats prev = {0}, total;
	uint64_t last, link_last;
	unsigned int lcore;
	uint16_t port;
	bool simd_forced = false;
	int rc;

	early_args(argc, argv);
	/* EAL's own options, before it takes them out of argv */
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strncmp(argv[i], "--force-max-simd-bitwidth",
			    strlen("--force-max-simd-bitwidth")) == 0)
			simd_forced = true;
	rte_set_application_usage_hook(usage_hook);
	rc = rte_eal_init(argc, argv);
	if (rc < 0)
		rte_exit(EXIT_FAILURE, "EAL: %s\n", rte_strerror(rte_errno));
	argc -= rc;
	argv += rc;
	argv[0] = "icmpfp";
	/*
	 * DPDK caps SIMD at 256 bits unless told otherwise. On a CPU that runs
	 * 512-bit vectors at full clock, the fast configuration is the default:
	 * raise the cap (for our kernels and for the PMDs' own AVX-512 paths)
	 * unless the user set it with --force-max-simd-bitwidth, which wins.
	 */
	if (!simd_forced && ifp_cksum_avx512_cheap() &&
	    rte_vect_get_max_simd_bitwidth() < RTE_VECT_SIMD_512 &&
	    rte_vect_set_max_simd_bitwidth(RTE_VECT_SIMD_512) == 0)
		IFP_LOG(INFO, "this CPU runs AVX-512 at full clock: SIMD width 512 "
			"(--force-max-simd-bitwidth sets another)");
	IFP_LOG(NOTICE, "checksum kernel: %s (SIMD width %u)", ifp_cksum_select(),
		rte_vect_get_max_simd_bitwidth());
	parse_args(argc, argv);
	/* dpdk-dumpcap and dpdk-pdump attach as secondary processes */
	rc = rte_pdump_init();
	if (rc != 0)
		IFP_LOG(WARNING, "rte_pdump_init: %s: no packet capture",
			rte_strerror(rte_errno));

	if (ifp_config_load(app.config_path, &app.conf, err, sizeof(err)) < 0)
		fail("%s", err);
	config_check_ports();
	app.n_workers = rte_lcore_count() - 1;
	if (app.n_workers == 0)
		fail("icmpfp needs a worker lcore besides the main one (e.g. -l 0-1)");
	if (ifp_routes_build(&app.conf, app.config_path, "ifp_routes_0",
			     (int)rte_socket_id(), app.n_workers, err, sizeof(err)) < 0)
		fail("%s", err);
	app.routes_built = true;
	if (ifp_config_policy_build(&app.conf, app.config_path, "ifp_policy_0",
				    (int)rte_socket_id(), app.n_workers, err,
				    sizeof(err)) < 0)
		fail("%s", err);
	rc = ifp_reload_init(app.config_path, &app.conf, app.n_workers);
	if (rc != 0)
		fail("reload set-up: %s", strerror(-rc));
	app.reload_up = true;
	rc = ifp_lpa_init(ifp_reload_live.qs, main_clock_ns);
	if (rc != 0)
		fail("LPA set-up: %s", strerror(-rc));
	app.lpa_up = true;
	ifp_lpa_adv_init(port_pool);

	signals_init();
	clock_init();

	RTE_ETH_FOREACH_DEV(port) {
		struct rte_eth_dev_info info;

		if (!app.conf.port[port].present)
			continue;
		if (rte_eth_dev_info_get(port, &info) == 0)
			port_profile(port, &info);
	}
	pools_create();
	app.ctl = ifp_ctl_create((int)rte_socket_id());
	if (app.ctl == NULL)
		fail("control ring: %s", rte_strerror(rte_errno));
	RTE_ETH_FOREACH_DEV(port)
		if (app.conf.port[port].present)
			port_init(port);
	RTE_ETH_FOREACH_DEV(port)
		if (app.conf.port[port].present)
			port_up(port);

	workers_create();
	rc = ifp_telemetry_init();
	if (rc == 0)
		rc = rte_telemetry_register_cmd("/icmpfp/pools", pools_telemetry,
						"Each mbuf pool: size, in_use, reassembly_max. No parameters");
	if (rc == 0)
		rc = ifp_trace_tel_init(worker_trace);
	if (rc != 0)
		IFP_LOG(WARNING, "telemetry commands: %s", strerror(-rc));
	RTE_LCORE_FOREACH_WORKER(lcore)
		rte_eal_remote_launch(worker_main, app.worker[lcore], lcore);

	sd_ready();
	{
		char sum[2048];

		ifp_config_summary(&app.conf, app.config_path, sum, sizeof(sum));
		IFP_LOG(NOTICE, "%s; running on %u worker lcore%s; SIGINT or SIGTERM stops",
			sum, app.n_workers, app.n_workers == 1 ? "" : "s");
	}
	last = link_last = rte_get_timer_cycles();
	while (!atomic_load_explicit(&quit, memory_order_relaxed)) {
		uint64_t now, hz = rte_get_timer_hz();
		const struct ifp_conf *conf;

		rte_delay_us_sleep(IFP_STATS_PUBLISH_MS * 1000);
		ifp_stats_ring_drain();
		if (ifp_reload_poll() == 1) {
			/* [lpa] listen or groups may have changed */
			conf = atomic_load_explicit(&ifp_reload_live.conf,
						    memory_order_acquire);
			RTE_ETH_FOREACH_DEV(port)
				if (conf->port[port].present)
					port_lpa_groups(port, conf);
		}
		now = rte_get_timer_cycles();
		if (now - link_last >= hz / 1000 * IFP_LINK_POLL_MS) {
			ifp_link_poll();
			link_last = now;
		}
		ifp_link_events(port_link_event, NULL);
		/* the config the workers run: the main lcore is the one that
		 * frees it */
		conf = atomic_load_explicit(&ifp_reload_live.conf,
					    memory_order_acquire);
		ifp_lpa_step(conf, main_clock_ns());
		ifp_lpa_adv_tick(conf, main_clock_ns());
		sd_tick();
		if (app.stats_period && now - last >= app.stats_period * hz) {
			ifp_stats_ring_console(stdout, &prev, (double)(now - last) / (double)hz);
			last = now;
		}
	}

	sd_notify(0, "STOPPING=1\nSTATUS=stopping");
	rte_eal_mp_wait_lcore();
	/* the workers' last snapshots, then nothing more to watch */
	ifp_stats_ring_drain();
	ifp_link_unwatch();
	rte_pdump_uninit();
	/* Ports stopped and closed give back every mbuf they hold (RX rings,
	 * a pcap's infinite_rx copy), the reassembly tables the fragments
	 * they held: what is still in use then has leaked. */
	RTE_ETH_FOREACH_DEV(port) {
		if (!app.conf.port[port].present)
			continue;
		rte_eth_dev_stop(port);
		rte_eth_dev_close(port);
	}
	RTE_LCORE_FOREACH_WORKER(lcore)
		ifp_lcore_frag_free(&app.worker[lcore]->lc);
	ifp_ctl_free();
	stats_sum(&total);
	total.originated_lost += ifp_ctl_lost();
	printf("final counters: ");
	ifp_report_json_open(stdout, &total);
	printf(", \"mbufs_in_use\": %u, \"mbufs_total\": %u}\n", pools_in_use(),
	       pools_size());
	RTE_LCORE_FOREACH_WORKER(lcore) {
		printf("lcore %u: ", lcore);
		ifp_report_json(stdout, &app.worker[lcore]->lc.st);
	}
	fflush(stdout);
	if (ifp_report_check(&total) < 0)
		IFP_LOG(ERR, "counters do not add up: rx != answered + ratelimited + dropped");

	RTE_LCORE_FOREACH_WORKER(lcore) {
		rte_free(app.worker[lcore]);
	}
	/* before the QSBR variable it waits on goes */
	ifp_lpa_fini();
	ifp_reload_fini();
	ifp_stats_ring_free();
	ifp_routes_free(&app.conf);
	ifp_config_free(&app.conf);
	rte_eal_cleanup();
	return 0;
}
