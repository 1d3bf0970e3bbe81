"""icmpfp under systemd's notify protocol (sd_notify(3)), without systemd:
the test binds its own NOTIFY_SOCKET and sets WATCHDOG_USEC, as systemd
does for Type=notify and WatchdogSec=. It sees READY=1 once the worker
polls, WATCHDOG=1 every half period, STATUS= lines with the counters; then
the worker, stalled on purpose by the test build's fault hook
(IFP_TEST_STALL), stops the pings and STATUS= names it. One lab for all.
Needs root."""
import os
import socket
import time

from ifp_lab import Lab

NS = f"ifpsd{os.getpid() % 100000}"
WATCHDOG_S = 1.0
STALL_AFTER_S = 5


def collect(sock, until):
    """(time, message) of every datagram until the monotonic time until."""
    got = []
    while time.monotonic() < until:
        sock.settimeout(max(0.01, until - time.monotonic()))
        try:
            data = sock.recv(4096)
        except socket.timeout:
            break
        got.append((time.monotonic(), data.decode()))
    return got


def test_ready_watchdog_status_and_a_stalled_worker(tmp_path):
    path = str(tmp_path / "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    env = {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": str(int(WATCHDOG_S * 1e6)),
           "IFP_TEST_STALL": f"1:{STALL_AFTER_S}"}
    try:
        with Lab(NS, env=env) as lab:
            t0 = time.monotonic()
            r = lab.sh("ping", "-c", "3", "-i", "0.2", "-W", "2", "192.0.2.1")
            assert r.returncode == 0, r.stdout + r.stderr
            msgs = collect(sock, t0 + STALL_AFTER_S + 4 * WATCHDOG_S)
            st = lab.stop()
            msgs += collect(sock, time.monotonic() + 0.5)
    finally:
        sock.close()
    text = "\n".join(m for _, m in msgs)
    assert msgs and "READY=1" in msgs[0][1], text
    pings = [t for t, m in msgs if "WATCHDOG=1" in m.split("\n")]
    assert len(pings) >= 4, text
    # every half period while the worker polls (the main loop wakes every
    # 10 ms; the machine is shared: generous bounds)
    gaps = [round(b - a, 3) for a, b in zip(pings, pings[1:])]
    assert all(0.3 * WATCHDOG_S <= g <= 1.0 * WATCHDOG_S for g in gaps), gaps
    # the stall: pings stop, for good, within a period; STATUS names lcore 1
    stall_log = [t for t, m in msgs if "stalled: lcore 1" in m]
    assert stall_log, text
    assert pings[-1] < stall_log[0], (pings, stall_log)
    assert msgs[-1][0] - pings[-1] >= 2.5 * WATCHDOG_S, text
    assert any("STATUS=" in m and "answered" in m and "rx " in m for _, m in msgs), text
    assert any("STOPPING=1" in m for _, m in msgs), text
    assert st["answered"] >= 3
