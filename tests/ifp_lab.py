"""A live icmpfp on net_af_packet over a veth whose peer is in a network
namespace (scripts/lab.sh). Needs root; fails, never skips, without it."""
import json
import os
import re
import signal
import subprocess
import time

from ifp_harness import ICMPFP, ROOT, eal_runtime_remove

LAB = os.path.join(ROOT, "scripts", "lab.sh")


def loss(out):
    """(transmitted, received) from ping's summary."""
    m = re.search(r"(\d+) packets transmitted, (\d+) (?:packets )?received", out)
    assert m, out
    return int(m.group(1)), int(m.group(2))


def eui64_link_local(mac):
    """fe80:: and the modified EUI-64 of mac (RFC 4291 appendix A): what
    link_local = auto gives a port with that MAC."""
    b = [int(x, 16) for x in mac.split(":")]
    b[0] ^= 0x02
    iid = b[:3] + [0xff, 0xfe] + b[3:]
    return "fe80::" + ":".join(f"{iid[i] << 8 | iid[i + 1]:x}" for i in range(0, 8, 2))


def require_root():
    if os.geteuid() != 0:
        raise AssertionError("the lab tests need root (network namespaces, veth, af_packet)")


class Lab:
    """One namespace + veth pair + icmpfp. Use as a context manager."""

    DEVARGS = "qdisc_bypass=1,blocksz=8192,framesz=8192,framecnt=512"

    def __init__(self, name, config=None, stats_period=0, extra_eal=(), lcores="0-1",
                 qpairs=1, huge_dir=None, devargs=DEVARGS, icmpfp=ICMPFP,
                 second_port=None, env=None):
        """lcores: EAL -l list (or an --lcores map when it holds '@');
        huge_dir: a hugetlbfs mount to use instead of --no-huge (secondary
        processes such as dpdk-dumpcap can only attach to hugepage memory);
        devargs: af_packet's, after iface= and qpairs=;
        icmpfp: the binary (default: the build tree's);
        second_port: "A.B.C.D/LEN", the client's address on a second veth
        pair, NAME-c2 in the namespace, whose other end NAME-h2 is icmpfp's
        port 1 (also af_packet);
        env: variables added to icmpfp's environment."""
        require_root()
        self.icmpfp = icmpfp
        self.ns = name
        self.second_port = second_port
        self.host_if2 = f"{name}-h2"
        self.client_if2 = f"{name}-c2"
        self.file_prefix = f"icmpfp-{name}"
        self.lcores = lcores
        self.qpairs = qpairs
        self.huge_dir = huge_dir
        self.host_if = f"{name}-h"
        self.client_if = f"{name}-c"
        self.config = config or os.path.join(ROOT, "scripts", "lab.ini")
        self.stats_period = stats_period
        self.extra_eal = list(extra_eal)
        self.proc = None
        self.log = f"/tmp/{name}-icmpfp.log"
        self.devargs = devargs
        self.env = dict(os.environ, **(env or {}))

    def __enter__(self):
        subprocess.run(["bash", LAB, "up", self.ns], check=True, capture_output=True,
                       timeout=60)
        try:
            if self.second_port:
                self.second_pair_up()
            self.start()
        except BaseException:
            self.down()
            raise
        return self

    def second_pair_up(self):
        """As scripts/lab.sh does for the first pair: icmpfp's end has no
        address and no IPv6, so the kernel never answers on it."""
        def ip(*args, ns=False):
            pre = ["ip", "netns", "exec", self.ns] if ns else []
            subprocess.run([*pre, *args], check=True, capture_output=True, timeout=30)
        ip("ip", "link", "add", self.host_if2, "type", "veth", "peer", "name",
           self.client_if2)
        ip("ip", "link", "set", self.client_if2, "netns", self.ns)
        ip("sysctl", "-qw", f"net.ipv6.conf.{self.host_if2}.disable_ipv6=1")
        ip("ip", "link", "set", self.host_if2, "up")
        ip("sysctl", "-qw", f"net.ipv6.conf.{self.client_if2}.disable_ipv6=1", ns=True)
        ip("ip", "addr", "add", self.second_port, "dev", self.client_if2, ns=True)
        ip("ip", "link", "set", self.client_if2, "up", ns=True)

    def start(self):
        lcores = ["--lcores" if "@" in self.lcores else "-l", self.lcores]
        memory = (["--huge-dir", self.huge_dir, "-m", "128"] if self.huge_dir
                  else ["--no-huge", "-m", "256"])
        cmd = [self.icmpfp, *lcores, *memory, "--no-pci",
               "--file-prefix", self.file_prefix,
               "--vdev", f"net_af_packet0,iface={self.host_if},qpairs={self.qpairs},"
               + self.devargs,
               *([] if not self.second_port else [
                   "--vdev", f"net_af_packet1,iface={self.host_if2},qpairs={self.qpairs},"
                   + self.devargs]),
               *self.extra_eal, "--", "-c", self.config,
               "--stats-period", str(self.stats_period)]
        self.logf = open(self.log, "w")
        self.proc = subprocess.Popen(cmd, stdout=self.logf, stderr=subprocess.STDOUT,
                                     env=self.env)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"icmpfp exited {self.proc.returncode}:\n{self.output()}")
            if "running on" in self.output():
                return
            time.sleep(0.1)
        raise AssertionError(f"icmpfp did not start:\n{self.output()}")

    def output(self):
        with open(self.log) as f:
            return f.read()

    def host_mac(self):
        """The MAC of icmpfp's veth end (net_af_packet takes it)."""
        with open(f"/sys/class/net/{self.host_if}/address") as f:
            return f.read().strip()

    def sh(self, *args, timeout=60, check=False):
        """Run a command in the client namespace."""
        return subprocess.run(["ip", "netns", "exec", self.ns, *args], capture_output=True,
                              text=True, timeout=timeout, check=check)

    def signal(self, sig):
        self.proc.send_signal(sig)

    def pin_neighbour(self, ip):
        """Make the client's ARP entry for icmpfp's address permanent. A long
        run otherwise crosses the entry's STALE/PROBE transitions, during
        which the client kernel itself may discard a packet it was asked to
        send (IpOutDiscards): a loss icmpfp never saw."""
        r = self.sh("ping", "-c", "1", "-W", "2", ip)
        assert " 0% packet loss" in r.stdout or "1 received" in r.stdout or "Unreachable" in r.stdout, r.stdout
        m = re.search(r"lladdr (\S+)", self.sh("ip", "neigh", "show", ip, "dev", self.client_if).stdout)
        assert m, f"no ARP entry for {ip}"
        self.sh("ip", "neigh", "replace", ip, "lladdr", m.group(1), "dev", self.client_if,
                "nud", "permanent", check=True)

    def stop(self):
        """SIGINT, wait, return the final counters (dict) from its output."""
        if self.proc is None:
            return None
        self.proc.send_signal(signal.SIGINT)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("icmpfp did not stop on SIGINT")
        self.proc = None
        self.logf.close()
        out = self.output()
        assert rc == 0, f"icmpfp exited {rc}:\n{out}"
        m = re.search(r"^final counters: (\{.*\})$", out, re.M)
        assert m, f"no final counters:\n{out}"
        return json.loads(m.group(1))

    def down(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
        subprocess.run(["bash", LAB, "down", self.ns], capture_output=True, timeout=60)
        eal_runtime_remove(self.file_prefix)
        # what a failed check needs of the log is in its message (stop());
        # IFP_KEEP_LOGS=1 keeps the file
        if os.environ.get("IFP_KEEP_LOGS") != "1" and os.path.exists(self.log):
            os.unlink(self.log)
        if self.second_port:
            subprocess.run(["ip", "link", "del", self.host_if2], capture_output=True,
                           timeout=30)

    def __exit__(self, *exc):
        self.down()
        return False
