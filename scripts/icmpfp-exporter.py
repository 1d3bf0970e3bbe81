#!/usr/bin/python3
"""icmpfp-exporter: serve a running icmpfp's counters to Prometheus.

Every scrape of /metrics connects to icmpfp's DPDK telemetry socket (the one
dpdk-telemetry.py uses), asks /icmpfp/stats, /icmpfp/lcore,<id>,
/icmpfp/config, /icmpfp/ratelimit, /icmpfp/port,<id>, /icmpfp/lpa,
/icmpfp/policy, /icmpfp/routes,<from> and /icmpfp/pools, and answers in the Prometheus text
exposition format, labelled by lcore, port, kind and reason, the modems
heard in Link Property Advertisements by source and modem, the [policy]
rules by line and action, the [routes] lines by FILE:LINE and prefix, and
the mbuf pools by name.
Nothing is cached: a scrape sees what icmpfp folded from its stats rings at
most ~20 ms before.

    icmpfp-exporter.py [--file-prefix PREFIX | --socket PATH]
                       [--listen ADDR] [--port PORT]

Debian: python3-prometheus-client.
"""
import argparse
import json
import os
import signal
import socket
import sys
import threading

from prometheus_client import start_http_server
from prometheus_client.core import (CollectorRegistry, CounterMetricFamily,
                                    GaugeMetricFamily, HistogramMetricFamily)

SOCKET_NAME = "dpdk_telemetry.v2"
# /icmpfp/lcore's burst_size buckets: name -> largest size it holds
BURST_BUCKETS = [("1", 1), ("2_3", 3), ("4_7", 7), ("8_15", 15), ("16_31", 31),
                 ("32_63", 63), ("64", 64)]


def runtime_dir(prefix):
    """Where DPDK puts a file-prefix's sockets (as dpdk-telemetry.py)."""
    base = "/var/run/dpdk"
    if os.getuid() != 0:
        base = os.environ.get("XDG_RUNTIME_DIR", "/tmp") + "/dpdk"
    return os.path.join(base, prefix)


class Telemetry:
    """One connection to the telemetry socket: query(cmd) -> value."""

    def __init__(self, path, timeout=2.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        hello = json.loads(self.sock.recv(1024).decode())
        self.max_len = hello["max_output_len"]
        self.pid = hello["pid"]

    def query(self, cmd):
        self.sock.send(cmd.encode())
        reply = json.loads(self.sock.recv(self.max_len).decode())
        return reply[cmd.split(",")[0]]

    def close(self):
        self.sock.close()


class IcmpfpCollector:
    def __init__(self, path):
        self.path = path

    def collect(self):
        up = GaugeMetricFamily("icmpfp_up", "1 when icmpfp's telemetry socket answered")
        try:
            tel = Telemetry(self.path)
        except (OSError, ValueError, KeyError):
            up.add_metric([], 0)
            yield up
            return
        try:
            metrics = list(self.read(tel))
        except (OSError, ValueError, KeyError, TypeError):
            up.add_metric([], 0)
            yield up
            return
        finally:
            tel.close()
        up.add_metric([], 1)
        yield up
        yield from metrics

    def read(self, tel):
        stats = tel.query("/icmpfp/stats")
        cfg = tel.query("/icmpfp/config")
        rl = tel.query("/icmpfp/ratelimit")
        lcores = {i: tel.query(f"/icmpfp/lcore,{i}") for i in stats["lcores"]}
        ports = {p: tel.query(f"/icmpfp/port,{p}") for p in cfg["ports"]}
        hz = stats["tsc_hz"]

        def per_lcore(name, doc, key, kind=CounterMetricFamily):
            m = kind(name, doc, labels=["lcore"])
            for i, lc in lcores.items():
                m.add_metric([str(i)], lc[key])
            return m

        yield per_lcore("icmpfp_rx_packets", "Frames received by the worker", "rx")
        yield per_lcore("icmpfp_tx_packets", "Frames the PMD accepted for sending", "tx")
        yield per_lcore("icmpfp_originated_packets",
                        "Frames the box originated (gratuitous ARP, ...), part of tx",
                        "originated")
        yield per_lcore("icmpfp_originated_lost_packets",
                        "Frames the box originated that the PMD refused", "originated_lost")
        yield per_lcore("icmpfp_answered_packets", "Received frames that got an answer",
                        "answered")
        yield per_lcore("icmpfp_ratelimited_packets",
                        "Received frames whose answer a rate limit withheld", "ratelimited")
        yield per_lcore("icmpfp_bursts", "Non-empty RX bursts", "bursts")
        yield per_lcore("icmpfp_rl_src_evictions",
                        "Per-source rate-limit entries recycled while still limiting",
                        "rl_src_evictions")
        yield per_lcore("icmpfp_frag_freed",
                        "Fragments the reassembly table let go (timed out or replaced)",
                        "frag_freed")

        ans = CounterMetricFamily("icmpfp_answers", "Answers sent, by kind",
                                  labels=["lcore", "kind"])
        rl_by = CounterMetricFamily("icmpfp_ratelimited_by_kind",
                                    "Answers a rate limit withheld, by kind",
                                    labels=["lcore", "kind"])
        drops = CounterMetricFamily("icmpfp_dropped_packets",
                                    "Received frames dropped, by reason",
                                    labels=["lcore", "reason"])
        cyc = CounterMetricFamily("icmpfp_cycles", "TSC cycles of the worker's polls",
                                  labels=["lcore", "state"])
        secs = CounterMetricFamily("icmpfp_cpu_seconds",
                                   "Seconds the worker spent on polls, by state",
                                   labels=["lcore", "state"])
        cpp = GaugeMetricFamily("icmpfp_cycles_per_packet",
                                "Busy cycles per received frame since start",
                                labels=["lcore"])
        busy = GaugeMetricFamily("icmpfp_busy_ratio",
                                 "Busy cycles over all cycles since start (0 to 1)",
                                 labels=["lcore"])
        hist = HistogramMetricFamily("icmpfp_rx_burst_size",
                                     "Frames per non-empty RX burst", labels=["lcore"])
        for i, lc in lcores.items():
            label = str(i)
            for kind, n in lc["answers"].items():
                ans.add_metric([label, kind], n)
            for kind, n in lc["ratelimited_by"].items():
                rl_by.add_metric([label, kind], n)
            for reason, n in lc["drops"].items():
                drops.add_metric([label, reason], n)
            for state in ("busy", "idle", "proc"):
                cyc.add_metric([label, state], lc[f"{state}_cycles"])
                secs.add_metric([label, state], lc[f"{state}_cycles"] / hz)
            cpp.add_metric([label], lc["busy_cycles"] / lc["rx"] if lc["rx"] else 0.0)
            total = lc["busy_cycles"] + lc["idle_cycles"]
            busy.add_metric([label], lc["busy_cycles"] / total if total else 0.0)
            acc, buckets = 0, []
            for name, le in BURST_BUCKETS:
                acc += lc["burst_size"][name]
                buckets.append((str(float(le)), acc))
            buckets.append(("+Inf", acc))
            # the sizes of all non-empty bursts add up to the frames received
            hist.add_metric([label], buckets, lc["rx"])
        yield from (ans, rl_by, drops, cyc, secs, cpp, busy, hist)

        port_labels = ["port", "name"]
        prx = CounterMetricFamily("icmpfp_port_rx_packets", "ethdev ipackets",
                                  labels=port_labels)
        ptx = CounterMetricFamily("icmpfp_port_tx_packets", "ethdev opackets",
                                  labels=port_labels)
        pmiss = CounterMetricFamily("icmpfp_port_rx_missed_packets",
                                    "ethdev imissed: dropped by the NIC, no descriptor",
                                    labels=port_labels)
        perr = CounterMetricFamily("icmpfp_port_errors", "ethdev ierrors/oerrors/rx_nombuf",
                                   labels=port_labels + ["direction"])
        link = GaugeMetricFamily("icmpfp_port_link_up", "1 when the link is up",
                                 labels=port_labels)
        speed = GaugeMetricFamily("icmpfp_port_link_speed_mbps", "Link speed",
                                  labels=port_labels)
        lev = CounterMetricFamily("icmpfp_port_link_events",
                                  "Link changes seen since start", labels=port_labels + ["to"])
        for p, info in ports.items():
            pl = [str(p), info["name"]]
            prx.add_metric(pl, info["ipackets"])
            ptx.add_metric(pl, info["opackets"])
            pmiss.add_metric(pl, info["imissed"])
            perr.add_metric(pl + ["rx"], info["ierrors"])
            perr.add_metric(pl + ["tx"], info["oerrors"])
            perr.add_metric(pl + ["rx_nombuf"], info["rx_nombuf"])
            link.add_metric(pl, 1 if info["link_status"] == "up" else 0)
            speed.add_metric(pl, info["link_speed_mbps"])
            lev.add_metric(pl + ["up"], info["link_up_events"])
            lev.add_metric(pl + ["down"], info["link_down_events"])
        yield from (prx, ptx, pmiss, perr, link, speed, lev)

        gen = GaugeMetricFamily("icmpfp_config_generation",
                                "Reloads that took effect since start (0: the start config)")
        gen.add_metric([], cfg["generation"])
        rel = CounterMetricFamily("icmpfp_config_reloads", "SIGHUP reloads, by result",
                                  labels=["result"])
        rel.add_metric(["ok"], cfg["reloads_ok"])
        rel.add_metric(["refused"], cfg["reloads_failed"])
        pend = GaugeMetricFamily("icmpfp_config_restart_pending",
                                 "1 when the file changes [port N] settings that only a "
                                 "restart applies (what: which)", labels=["what"])
        pend.add_metric([cfg.get("restart_pending", "")],
                        1 if cfg.get("restart_pending") else 0)
        routes = GaugeMetricFamily("icmpfp_config_routes", "Routes in the running config")
        routes.add_metric([], cfg["n_routes"])
        limits = GaugeMetricFamily("icmpfp_ratelimit_config",
                                   "Rate limits in force ([ratelimit])", labels=["key"])
        for key in ("errors_per_sec", "errors_burst", "per_source_per_sec",
                    "per_source_burst", "echo_per_sec"):
            limits.add_metric([key], rl[key])
        yield from (gen, rel, pend, routes, limits)
        yield from self.lpa(tel.query("/icmpfp/lpa"), stats.get("lpa", {}))
        yield from self.policy(tel.query("/icmpfp/policy"))
        yield from self.route_hits(tel)
        yield from self.pools(tel.query("/icmpfp/pools"))

    @staticmethod
    def pools(pools):
        """Each mbuf pool: its size, the mbufs taken from it and not given
        back, what reassembly may hold of it at most."""
        pl = ["pool", "socket"]
        size = GaugeMetricFamily("icmpfp_mbufs_size", "Mbufs of the pool", labels=pl)
        used = GaugeMetricFamily("icmpfp_mbufs_in_use",
                                 "Mbufs taken from the pool and not given back "
                                 "(per-lcore caches count as free)", labels=pl)
        reasm = GaugeMetricFamily("icmpfp_mbufs_reassembly_max",
                                  "Mbufs of the pool the reassembly tables may hold "
                                  "at most", labels=pl)
        for name, p in (pools or {}).items():
            lab = [name, str(p["socket"])]
            size.add_metric(lab, p["size"])
            used.add_metric(lab, p["in_use"])
            if "reassembly_max" in p:
                reasm.add_metric(lab, p["reassembly_max"])
        yield from (size, used, reasm)

    @staticmethod
    def route_hits(tel):
        """Each [routes] line's hits (frames its route decided), paging
        through /icmpfp/routes,FROM; counted from zero by a reload's new
        config (docs/configuration.md)."""
        hits = CounterMetricFamily("icmpfp_route_hits",
                                   "Transit frames a [routes] line decided, summed "
                                   "over the workers (line: FILE:LINE)",
                                   labels=["line", "prefix"])
        start = 0
        while True:
            page = tel.query(f"/icmpfp/routes,{start}")
            for line, prefix, n in zip(page["line"], page["prefix"], page["hits"]):
                hits.add_metric([f"{page['file']}:{line}", prefix], n)
            start += len(page["prefix"])
            if not page["prefix"] or start >= page["n_routes"]:
                break
        yield hits

    @staticmethod
    def policy(pol):
        """Each [policy] rule's matches (line "default": the default's), and
        of them the denied and the rate-limited."""
        fams = {
            key: CounterMetricFamily(f"icmpfp_policy_{key}",
                                     f"Frames a [policy] rule {what}, summed over "
                                     "the workers (line: of the config file; "
                                     "default: what no rule matched)",
                                     labels=["line", "action"])
            for key, what in (("matched", "decided"), ("denied", "denied"),
                              ("limited", "rate-limited"))}
        for line, r in (pol or {}).items():
            if not isinstance(r, dict):
                continue
            for key, fam in fams.items():
                fam.add_metric([line, r["action"]], r[key])
        yield from fams.values()

    @staticmethod
    def lpa(modems, counters):
        """The modems of the LPAs heard, and what listening and advertising
        did."""
        ml = ["source", "modem"]
        up = GaugeMetricFamily("icmpfp_lpa_up",
                               "1 while the modem's last LPA said up, within hold",
                               labels=ml)
        rate = GaugeMetricFamily("icmpfp_lpa_rate_bps",
                                 "The modem's rates, bit/s, by kind and direction "
                                 "(out: leaving the modem over its link)",
                                 labels=ml + ["kind", "direction"])
        mtu = GaugeMetricFamily("icmpfp_lpa_mtu", "The modem's MTU (0: none given)",
                                labels=ml)
        age = GaugeMetricFamily("icmpfp_lpa_age_seconds",
                                "Seconds since the modem's last LPA", labels=ml)
        for m in (modems or {}).values():
            lab = [m["source"], str(m["modem"])]
            up.add_metric(lab, m["up"])
            for direction in ("out", "in"):
                for kind in ("current", "min", "max"):
                    key = f"rate_{direction}_{kind}"
                    if key in m:
                        rate.add_metric(lab + [kind, direction], m[key])
            mtu.add_metric(lab, m["mtu"])
            age.add_metric(lab, m["age_ms"] / 1000)
        yield from (up, rate, mtu, age)
        if not counters:
            return
        blocks = CounterMetricFamily("icmpfp_lpa_blocks",
                                     "Rate Blocks heard and applied to the modem table")
        blocks.add_metric([], counters["blocks"])
        adv = CounterMetricFamily("icmpfp_lpa_advertised",
                                  "Link Property Advertisements icmpfp sent about its ports")
        adv.add_metric([], counters["adv_datagrams"])
        yield from (blocks, adv)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--file-prefix", default="rte",
                    help="icmpfp's EAL --file-prefix (default: rte)")
    ap.add_argument("--socket", help="telemetry socket path (overrides --file-prefix)")
    ap.add_argument("--listen", default="127.0.0.1", help="address to serve on")
    ap.add_argument("--port", type=int, default=9848, help="TCP port (default 9848)")
    args = ap.parse_args()
    path = args.socket or os.path.join(runtime_dir(args.file_prefix), SOCKET_NAME)

    # only icmpfp's metrics: no exporter process/GC noise
    registry = CollectorRegistry()
    registry.register(IcmpfpCollector(path))
    start_http_server(args.port, addr=args.listen, registry=registry)
    print(f"icmpfp-exporter: http://{args.listen}:{args.port}/metrics from {path}",
          flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
