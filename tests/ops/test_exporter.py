"""scripts/icmpfp-exporter.py against a live icmpfp: /metrics fetched with
curl is valid Prometheus text (promtool check metrics and the
prometheus_client parser) and carries the numbers telemetry shows."""
import os
import re
import shutil
import subprocess
import time

from prometheus_client.parser import text_string_to_metric_families

from ifp_harness import ROOT
from ifp_lab import Lab
from ifp_ops import PY, free_tcp_port, settled_stats, tel1, telemetry, wait_for

NS = f"ifp4e{os.getpid() % 10000}"
US = "192.0.2.1"
N = 64
EXPORTER = os.path.join(ROOT, "scripts", "icmpfp-exporter.py")
LAB_INI = os.path.join(ROOT, "scripts", "lab.ini")


def route_hits(lab):
    """{prefix: hits} of /icmpfp/routes (lab.ini has fewer than a page)."""
    r = tel1(lab.file_prefix, "/icmpfp/routes,0")
    assert r["file"] == LAB_INI
    return dict(zip(r["prefix"], r["hits"]))


def curl_metrics(port):
    r = subprocess.run(["curl", "-sS", "--max-time", "10", "-D", "-",
                        f"http://127.0.0.1:{port}/metrics"],
                       capture_output=True, text=True, timeout=20)
    assert r.returncode == 0, r.stderr
    # text mode turned the CRLFs of the header into newlines
    head, _, body = r.stdout.partition("\n\n")
    assert " 200 " in head.splitlines()[0], head
    assert re.search(r"(?i)^content-type: text/plain; version=0\.0\.4", head, re.M), head
    return body


def samples(text):
    """{(name, frozenset(labels.items())): value} of every sample."""
    out = {}
    for fam in text_string_to_metric_families(text):
        for s in fam.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def total(smp, metric, **match):
    return sum(v for (n, labels), v in smp.items() if n == metric
               and all(dict(labels).get(k) == w for k, w in match.items()))


class Exporter:
    def __init__(self, prefix):
        self.port = free_tcp_port()
        self.proc = subprocess.Popen([PY, EXPORTER, "--file-prefix", prefix,
                                      "--port", str(self.port)],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True)
        wait_for(self.listening, 10, what="exporter listening")

    def listening(self):
        assert self.proc.poll() is None, self.proc.stdout.read()
        return subprocess.run(["curl", "-s", "-o", "/dev/null", "--max-time", "2",
                               f"http://127.0.0.1:{self.port}/metrics"]).returncode == 0

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def documented_totals():
    """{counter: exporter metric, or None} of docs/counters.md's "The totals"."""
    with open(os.path.join(ROOT, "docs", "counters.md")) as f:
        sec = f.read().split("## The totals", 1)[1].split("\n## ", 1)[0]
    out = {}
    for line in sec.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        metric = re.match(r"`(icmpfp_\w+)", cells[2])
        for name in re.findall(r"`(\w+)`", cells[0]):
            out[name] = metric.group(1) if metric else None
    return out


# what the scrape is compared with, from /icmpfp/stats
COUNTERS = ("rx", "tx", "answered", "dropped", "ratelimited", "answers", "bursts")


def test_exporter_metrics_parse_and_match_telemetry():
    with Lab(NS) as lab:
        exp = Exporter(lab.file_prefix)
        try:
            r = lab.sh("ping", "-c", str(N), "-i", "0.005", "-W", "2", US)
            assert f"{N} received" in r.stdout, r.stdout
            # three TTL-1 probes the route of 203.0.113.0/24 decides
            lab.sh("ping", "-c", "3", "-i", "0.1", "-t", "1", "-W", "1", "203.0.113.5")
            wait_for(lambda: route_hits(lab)["203.0.113.0/24"] == 3, 5,
                     what="3 hits of 203.0.113.0/24")
            st = settled_stats(lab.file_prefix, "echo_reply", N)
            # the client's kernel sends frames of its own (a router
            # solicitation, an MLD report) whenever it likes: compare a
            # scrape taken between two snapshots that agree
            for _ in range(20):
                body = curl_metrics(exp.port)
                after = tel1(lab.file_prefix, "/icmpfp/stats")
                if all(after[k] == st[k] for k in COUNTERS):
                    break
                st = after
                time.sleep(0.2)
            else:
                raise AssertionError("counters never held still across a scrape")
        finally:
            exp.stop()
        cfg, port, lcore = telemetry(lab.file_prefix, "/icmpfp/config", "/icmpfp/port,0",
                                     "/icmpfp/lcore,1")
        hits = route_hits(lab)
        pools = tel1(lab.file_prefix, "/icmpfp/pools")
        final = lab.stop()

    if shutil.which("promtool"):
        r = subprocess.run(["promtool", "check", "metrics"], input=body,
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, r.stdout + r.stderr
    smp = samples(body)
    assert total(smp, "icmpfp_up") == 1
    assert total(smp, "icmpfp_answers_total", kind="echo_reply") == N == st["answers"]["echo_reply"]
    assert total(smp, "icmpfp_answers_total", kind="echo_reply", lcore="1") == N
    for kind, n in st["answers"].items():
        assert total(smp, "icmpfp_answers_total", kind=kind) == n, kind
    assert total(smp, "icmpfp_rx_packets_total") == st["rx"]
    assert total(smp, "icmpfp_tx_packets_total") == st["tx"]
    assert total(smp, "icmpfp_answered_packets_total") == st["answered"]
    assert total(smp, "icmpfp_dropped_packets_total") == st["dropped"]
    assert total(smp, "icmpfp_ratelimited_packets_total") == st["ratelimited"]
    # every drop reason of the table is there, labelled
    reasons = {dict(l)["reason"] for (n, l) in smp if n == "icmpfp_dropped_packets_total"}
    assert {"icmp_checksum", "ip_martian_src", "tx_full"} <= reasons
    # burst histogram: cumulative, +Inf = bursts, sum = frames received
    assert total(smp, "icmpfp_rx_burst_size_count", lcore="1") == \
        total(smp, "icmpfp_bursts_total", lcore="1")
    assert total(smp, "icmpfp_rx_burst_size_sum", lcore="1") == st["rx"]
    assert total(smp, "icmpfp_rx_burst_size_bucket", lcore="1", le="1.0") <= \
        total(smp, "icmpfp_rx_burst_size_bucket", lcore="1", le="+Inf")
    assert 0 < total(smp, "icmpfp_busy_ratio", lcore="1") < 1
    assert total(smp, "icmpfp_cycles_per_packet", lcore="1") > 0
    # the port: the NIC counters telemetry showed
    assert total(smp, "icmpfp_port_rx_packets_total", port="0") == port["ipackets"]
    assert total(smp, "icmpfp_port_tx_packets_total", port="0") == port["opackets"]
    assert total(smp, "icmpfp_port_link_up", port="0", name=port["name"]) == 1
    assert total(smp, "icmpfp_config_generation") == cfg["generation"] == 0
    assert cfg["restart_pending"] == ""
    assert total(smp, "icmpfp_config_restart_pending", what="") == 0
    # each [routes] line of lab.ini, by FILE:LINE and prefix, as /icmpfp/routes
    with open(LAB_INI) as f:
        ini = f.read().splitlines()
    for prefix, n in hits.items():
        line = next(i for i, t in enumerate(ini, 1) if t.startswith(prefix + " = "))
        assert total(smp, "icmpfp_route_hits_total", line=f"{LAB_INI}:{line}",
                     prefix=prefix) == n, prefix
    assert hits["203.0.113.0/24"] == 3 and len(hits) == 10
    # the mbuf pools of /icmpfp/pools (the alert on mbufs in use growing)
    assert pools
    for name, p in pools.items():
        lab_ = {"pool": name, "socket": str(p["socket"])}
        assert total(smp, "icmpfp_mbufs_size", **lab_) == p["size"], name
        # af_packet holds no mbuf between bursts: 0 is what an idle box has
        assert ("icmpfp_mbufs_in_use", frozenset(lab_.items())) in smp, name
        assert total(smp, "icmpfp_mbufs_in_use", **lab_) <= p["size"], name
        if "reassembly_max" in p:
            assert total(smp, "icmpfp_mbufs_reassembly_max", **lab_) == p["reassembly_max"]

    # every view shows every counter: the final counters, telemetry, the
    # exporter, and docs/counters.md names each (issue 19)
    doc = documented_totals()
    names = {n for (n, _) in smp}
    for key in final:
        assert key in doc, f"final counter '{key}' is not in docs/counters.md"
    for name, metric in doc.items():
        assert name in final or name in lcore, f"documented '{name}' is in no view"
        if metric is None:
            continue
        assert name in lcore, f"'{name}' is not in /icmpfp/lcore,1"
        if name in final:
            # the totals view too (dropped there is the sum of the reasons)
            assert name in st, f"'{name}' is not in /icmpfp/stats"
        assert any(n == metric or n.startswith(metric + "_") for n in names), \
            f"'{name}': no {metric} in the scrape"
    for kind in final["ratelimited_by"]:
        assert ("icmpfp_ratelimited_by_kind_total",
                frozenset({"lcore": "1", "kind": kind}.items())) in smp, kind
    assert total(smp, "icmpfp_ratelimit_config", key="errors_per_sec") == 1000


def test_exporter_without_icmpfp_says_down():
    exp = Exporter(f"icmpfp-none-{os.getpid()}")
    try:
        body = curl_metrics(exp.port)
    finally:
        exp.stop()
    smp = samples(body)
    assert total(smp, "icmpfp_up") == 0
    assert not any(n.startswith("icmpfp_rx") for (n, _) in smp)
