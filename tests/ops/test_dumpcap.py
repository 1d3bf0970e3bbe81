"""dpdk-dumpcap attaches to a running icmpfp (rte_pdump_init) as a
secondary process and captures the echo requests it receives and the
replies it sends into a pcapng that tshark reads. Secondary processes share
the primary's hugepage memory, so this icmpfp runs on a private hugetlbfs."""
import os
import subprocess
import time

from ifp_lab import Lab
from ifp_ops import hugepages, wait_for

NS = f"ifp4d{os.getpid() % 10000}"
US = "192.0.2.1"
N = 20


def test_dumpcap_captures_requests_and_replies(tmp_path):
    pcap = tmp_path / "icmpfp.pcapng"
    log = tmp_path / "dumpcap.log"
    with hugepages(128) as huge, Lab(NS, huge_dir=huge) as lab:
        with open(log, "w") as logf:
            cap = subprocess.Popen(
                # line-buffered, so "Capturing on" shows when it is so
                ["stdbuf", "-oL", "-eL", "dpdk-dumpcap", "--file-prefix", lab.file_prefix, "-i", "0",
                 "-f", "icmp", "-c", str(2 * N), "-a", "duration:60", "-w", str(pcap)],
                stdout=logf, stderr=subprocess.STDOUT)
            try:
                wait_for(lambda: "Capturing on" in log.read_text() or cap.poll() is not None,
                         20, what="dumpcap attached")
                assert cap.poll() is None, log.read_text()
                # pdump enables capture on the queues asynchronously
                time.sleep(0.5)
                r = lab.sh("ping", "-c", str(N), "-i", "0.02", "-W", "2", US)
                assert f"{N} received" in r.stdout, r.stdout
                cap.wait(timeout=30)
            finally:
                if cap.poll() is None:
                    cap.terminate()
                    cap.wait(timeout=10)
        assert cap.returncode == 0, log.read_text()
        st = lab.stop()
    assert st["answers"]["echo_reply"] == N

    assert pcap.read_bytes()[:4] == b"\x0a\x0d\x0d\x0a", "not a pcapng"
    r = subprocess.run(["tshark", "-r", str(pcap), "-T", "fields", "-e", "icmp.type",
                        "-e", "icmp.seq", "-e", "ip.src", "-e", "ip.dst",
                        "-o", "ip.check_checksum:TRUE", "-e", "ip.checksum.status"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    rows = [line.split("\t") for line in r.stdout.splitlines() if line]
    assert len(rows) == 2 * N, r.stdout
    requests = [int(seq) for t, seq, src, dst, _ in rows if t == "8" and dst == US]
    replies = [int(seq) for t, seq, src, dst, _ in rows if t == "0" and src == US]
    assert sorted(requests) == list(range(1, N + 1))
    assert sorted(replies) == list(range(1, N + 1))
    assert all(ck == "2" or ck == "1" for *_, ck in rows), r.stdout
