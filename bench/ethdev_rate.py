#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Packet rate of a running DPDK process, from its telemetry socket.

    ethdev_rate.py FILE_PREFIX SECONDS [PORT]

Reads /ethdev/stats,PORT twice, SECONDS apart (monotonic clock, measured
around the reads themselves), and prints one line:
    <rx Mpps> <tx Mpps> <rx packets> <tx packets>
It speaks the same protocol as dpdk-telemetry.py (a SOCK_SEQPACKET socket in
the runtime directory of the prefix), in one process, so that the interval
does not include two interpreter start-ups.
"""
import json
import os
import socket
import sys
import time


def runtime_dir(prefix):
    base = "/var/run/dpdk" if os.geteuid() == 0 else \
        os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/tmp"), "dpdk")
    return os.path.join(base, prefix)


def connect(prefix, tries=50):
    path = os.path.join(runtime_dir(prefix), "dpdk_telemetry.v2")
    for _ in range(tries):
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            s.connect(path)
            info = json.loads(s.recv(4096).decode())
            return s, int(info.get("max_output_len", 16384))
        except OSError:
            time.sleep(0.1)
    sys.exit(f"ethdev_rate: cannot connect to {path}")


def stats(s, maxlen, port):
    s.send(f"/ethdev/stats,{port}".encode())
    reply = json.loads(s.recv(maxlen).decode())
    st = reply["/ethdev/stats"]
    return st["ipackets"], st["opackets"]


def main():
    prefix, secs = sys.argv[1], float(sys.argv[2])
    port = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    s, maxlen = connect(prefix)
    t0a = time.monotonic()
    i0, o0 = stats(s, maxlen, port)
    t0b = time.monotonic()
    time.sleep(secs)
    t1a = time.monotonic()
    i1, o1 = stats(s, maxlen, port)
    t1b = time.monotonic()
    dt = (t1a + t1b) / 2 - (t0a + t0b) / 2
    print(f"{(i1 - i0) / dt / 1e6:.3f} {(o1 - o0) / dt / 1e6:.3f} "
          f"{i1 - i0} {o1 - o0}")


if __name__ == "__main__":
    main()
