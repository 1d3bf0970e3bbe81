"""Helpers of the operator tests: dpdk-telemetry.py, hugepages for
secondary processes, waiting on a condition."""
import contextlib
import json
import os
import socket
import subprocess
import tempfile
import time

TELEMETRY = "/usr/bin/dpdk-telemetry.py"
PY = "/usr/bin/python3"


def telemetry(prefix, *cmds):
    """Run each command through Debian's dpdk-telemetry.py (one process,
    stdin not a tty: one JSON line per reply). Returns the replies' values,
    in order (None for a command that answered an error)."""
    r = subprocess.run([PY, TELEMETRY, "-f", prefix], input="\n".join(cmds) + "\n",
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = [line for line in r.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == len(cmds), f"{cmds} -> {r.stdout}{r.stderr}"
    out = []
    for cmd, line in zip(cmds, lines):
        reply = json.loads(line)
        key = cmd.split(",")[0]
        assert list(reply) == [key], reply
        out.append(reply[key])
    return out


def tel1(prefix, cmd):
    return telemetry(prefix, cmd)[0]


def wait_for(fn, timeout=5.0, step=0.05, what="condition"):
    """Poll fn() until it returns a true value; return that value."""
    deadline = time.time() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(step)


def settled_stats(prefix, key, want, timeout=5.0):
    """/icmpfp/stats once answers[key] reached want (snapshots are
    published every 10 ms and folded by the main lcore)."""
    def get():
        s = tel1(prefix, "/icmpfp/stats")
        return s if s["answers"][key] >= want else None
    s = wait_for(get, timeout, what=f"{key} >= {want}")
    time.sleep(0.1)
    return tel1(prefix, "/icmpfp/stats")


def free_tcp_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def hugepages(pages=128):
    """A private hugetlbfs mount with at least `pages` free 2 MiB pages;
    nr_hugepages goes back down by what was added."""
    nr = "/proc/sys/vm/nr_hugepages"
    free = int(open("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages").read())
    added = max(0, pages - free)
    if added:
        before = int(open(nr).read())
        with open(nr, "w") as f:
            f.write(str(before + added))
        got = int(open("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages").read())
        assert got >= pages, f"could only reserve {got} free hugepages"
    d = tempfile.mkdtemp(prefix="ifp-huge-")
    subprocess.run(["mount", "-t", "hugetlbfs", "-o", "pagesize=2M", "nodev", d], check=True)
    try:
        yield d
    finally:
        subprocess.run(["umount", d], check=False)
        os.rmdir(d)
        if added:
            cur = int(open(nr).read())
            with open(nr, "w") as f:
                f.write(str(max(0, cur - added)))
