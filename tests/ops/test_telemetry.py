"""A live icmpfp with two worker lcores answers a known number of pings;
dpdk-telemetry.py shows exactly that many echo replies in /icmpfp/stats,
the per-lcore views add up to the totals, /ethdev/stats agrees, and bad
parameters answer an error without hurting the daemon."""
import os
import re

from ifp_lab import Lab, eui64_link_local
from ifp_ops import settled_stats, tel1, telemetry

NS = f"ifp4t{os.getpid() % 10000}"
US = "192.0.2.1"
N = 157
# two workers, each owning one af_packet queue pair; lcore 2 shares a CPU
# with the main lcore, which sleeps between drains
LCORES = "0@0,1@1,2@0"

DROP_NAMES = None


def ping_count(out):
    m = re.search(r"(\d+) packets transmitted, (\d+) (?:packets )?received", out)
    assert m, out
    return int(m.group(1)), int(m.group(2))


def test_telemetry_counts_exactly_the_pings_answered():
    with Lab(NS, lcores=LCORES, qpairs=2) as lab:
        p = lab.file_prefix
        # before any traffic: every worker is listed and counts nothing yet
        st = tel1(p, "/icmpfp/stats")
        assert st["lcores"] == [1, 2], st
        r = lab.sh("ping", "-c", str(N), "-i", "0.005", "-W", "2", US)
        assert ping_count(r.stdout) == (N, N), r.stdout

        st = settled_stats(p, "echo_reply", N)
        assert st["answers"]["echo_reply"] == N, st
        assert st["rx"] == st["answered"] + st["ratelimited"] + st["dropped"], st
        # the first worker also sent what the box originated when the port
        # came up: a gratuitous ARP per address; lab.ini has IPv6 too: the
        # MLDv2 report, an NA for the link-local and one for 2001:db8:0:1::1
        assert st["tx"] == st["answered"] + st["originated"], st
        assert st["originated"] == 4 and st["originated_lost"] == 0, st

        # per-lcore numbers sum to the totals, counter by counter
        lcores = telemetry(p, *[f"/icmpfp/lcore,{i}" for i in st["lcores"]])
        for key in ("rx", "tx", "originated", "answered", "ratelimited", "dropped",
                    "bursts", "busy_cycles", "proc_cycles"):
            assert sum(lc[key] for lc in lcores) == st[key], key
        # idle cycles keep growing without traffic: the lcores were read later
        assert sum(lc["idle_cycles"] for lc in lcores) >= st["idle_cycles"]
        for kind in st["answers"]:
            assert sum(lc["answers"][kind] for lc in lcores) == st["answers"][kind], kind
        for lc in lcores:
            # every non-empty burst lands in one bucket; the sizes add to rx
            assert sum(lc["burst_size"].values()) == lc["bursts"], lc
            assert lc["bursts"] <= lc["rx"]
            assert lc["idle_cycles"] > 0
            assert 0 <= lc["busy_percent"] <= 100
            assert lc["snapshots"] > 0 and lc["snapshot_age_us"] < 1_000_000, lc
            assert lc["snapshots_lost"] == 0, lc
        assert sum(lc["rx"] for lc in lcores if lc["rx"]) == st["rx"]

        drops, ethdev, port, cfg = telemetry(p, "/icmpfp/drops", "/ethdev/stats,0",
                                             "/icmpfp/port,0", "/icmpfp/config")
        assert sum(drops.values()) == st["dropped"]
        assert "icmp_checksum" in drops and "tx_full" in drops
        for lc in lcores:
            assert set(lc["drops"]) == set(drops)
        # the NIC's view: every frame received reached a worker, every
        # frame sent (answers and the gratuitous ARP) left through one
        assert ethdev["ipackets"] == st["rx"], (ethdev, st)
        assert ethdev["opackets"] == st["tx"], (ethdev, st)
        assert port["ipackets"] == ethdev["ipackets"]
        assert port["opackets"] == ethdev["opackets"]
        assert port["link_status"] == "up" and port["profile"] == "af_packet"
        assert port["addresses"] == ["192.0.2.1/24"]
        assert port["addresses6"] == [eui64_link_local(lab.host_mac()) + "/64",
                                      "2001:db8:0:1::1/64"]
        assert cfg["generation"] == 0 and cfg["ports"] == [0]
        assert cfg["icmp"]["echo"] == "on" and cfg["icmp"]["reply_ttl"] == 64
        assert cfg["icmp6"]["echo"] == "on" and cfg["icmp6"]["reply_hop_limit"] == 64
        assert cfg["icmp6"]["echo_multicast"] == "off"
        # scripts/lab.ini's routes, both families, as the file gives them
        assert cfg["n_routes"] == 10 and len(cfg["routes"]) == 10, cfg
        assert {"198.51.100.0/24 = unreachable host", "2001:db8:dead::/48 = unreachable net",
                "2001:db8:beef::/48 = mtu 1400", "2001:db8:f00d::/48 = prohibited",
                "0.0.0.0/0 = drop", "::/0 = drop"} <= set(cfg["routes"]), cfg["routes"]

        # bad parameters answer an error (null), and the daemon carries on
        bad = telemetry(p, "/icmpfp/lcore,abc", "/icmpfp/lcore,0", "/icmpfp/lcore,99999",
                        "/icmpfp/lcore", "/icmpfp/lcore,1x", "/icmpfp/port,7",
                        "/icmpfp/port,-1", "/icmpfp/port", "/icmpfp/stats,1",
                        "/icmpfp/drops,x", "/icmpfp/ratelimit,1", "/icmpfp/config,0")
        assert bad == [None] * len(bad), bad
        rl = tel1(p, "/icmpfp/ratelimit")
        assert rl["ratelimited"] == st["ratelimited"]
        assert rl["errors_per_sec"] == 1000 and rl["per_source_burst"] == 5
        assert set(rl["ratelimited_by_lcore"]) == {"1", "2"}

        final = lab.stop()
    # the daemon's own final counters (read from the workers after they
    # stopped) are the ones telemetry served
    assert final["answers"]["echo_reply"] == N
    assert final["rx"] == st["rx"] and final["tx"] == st["tx"]
