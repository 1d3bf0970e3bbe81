#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Cycles a packet from a responder's output, as the bench scripts read it.

    cycles.py LOG

Prints "<busy> <proc>": icmpfp's final counters (busy_cycles / rx, every
cycle of the polls that got packets; proc_cycles / rx, the fast path alone),
or calib_responder's "final:" line (the same accounting). Nothing when the
log has neither.
"""
import json
import re
import sys

for line in open(sys.argv[1]):
    if line.startswith("final counters: "):
        c = json.loads(line[len("final counters: "):])
        rx = max(c["rx"], 1)
        print("%.1f %.1f" % (c["busy_cycles"] / rx, c["proc_cycles"] / rx))
        break
    m = re.match(r"final: rx \d+ busy (\S+) proc (\S+)", line)
    if m:
        print("%s %s" % m.groups())
        break
