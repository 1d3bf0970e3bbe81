#!/usr/bin/python3
"""icmpfpctl: look at a running icmpfp and steer it, over its DPDK telemetry
socket (docs/icmpfpctl.md).

    icmpfpctl [-f PREFIX] [--json] COMMAND ...

Python's standard library only. The socket is DPDK's telemetry v2: a
SOCK_SEQPACKET Unix socket <runtime dir>/<file-prefix>/dpdk_telemetry.v2
that greets with {"version", "pid", "max_output_len"} and answers each
"/command[,params]" with {"/command": value}; value is null for a command
it does not have or parameters it refused.
"""
import argparse
import ipaddress
import json
import os
import signal
import socket
import struct
import sys
import time

SOCKET_NAME = "dpdk_telemetry.v2"
# the --file-prefix of the systemd unit (scripts/icmpfp.service.in)
DEFAULT_PREFIX = "icmpfp"
# seconds between the two reads of a rate
INTERVAL = 1.0


class CtlError(Exception):
    """An error for the operator: printed as is, exit status 1."""


class Missing(CtlError):
    """The daemon does not have a command this needs."""

    def __init__(self, cmd):
        super().__init__(f"this icmpfp does not have {cmd}: it comes with a newer "
                         "icmpfp (docs/icmpfpctl.md)")


def runtime_dirs(prefix):
    """Where EAL puts a file-prefix's sockets: root's, then the user's
    (as rte_eal_get_runtime_dir and dpdk-telemetry.py)."""
    dirs = ["/var/run/dpdk"]
    if os.getuid() != 0:
        dirs.insert(0, os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/tmp"), "dpdk"))
    return [os.path.join(d, prefix) for d in dirs]


class Telemetry:
    """One connection: query(cmd) -> the value of its reply."""

    def __init__(self, prefix, socket_path=None, timeout=3.0):
        self.prefix = prefix
        paths = [socket_path] if socket_path else [
            os.path.join(d, SOCKET_NAME) for d in runtime_dirs(prefix)]
        path = None
        for p in paths:
            try:
                os.stat(p)
            except PermissionError:
                raise CtlError(f"{p}: permission denied: icmpfp's socket is root's, "
                               "run icmpfpctl as root") from None
            except OSError:
                continue
            path = p
            break
        if path is None:
            raise CtlError(f"no icmpfp at file-prefix '{prefix}': no {paths[-1]} "
                           "(is it running? its EAL --file-prefix is -f)")
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.settimeout(timeout)
        try:
            self.sock.connect(path)
            hello = json.loads(self.sock.recv(1024).decode())
        except PermissionError:
            self.sock.close()
            raise CtlError(f"{path}: permission denied: icmpfp's socket is root's, "
                           "run icmpfpctl as root") from None
        except (ConnectionRefusedError, FileNotFoundError):
            self.sock.close()
            raise CtlError(f"no icmpfp at file-prefix '{prefix}': {path} refuses "
                           "connections (a stale socket of a process that ended?)") from None
        except (OSError, ValueError) as e:
            self.sock.close()
            raise CtlError(f"{path}: not a DPDK telemetry socket ({e})") from None
        self.max_len = hello.get("max_output_len", 16384)
        self.pid = hello.get("pid")
        self._cmds = None

    def peer_pid(self):
        """The daemon's PID as the kernel saw it connect (SO_PEERCRED)."""
        cred = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                    struct.calcsize("3i"))
        return struct.unpack("3i", cred)[0]

    def raw(self, cmd):
        self.sock.send(cmd.encode())
        reply = json.loads(self.sock.recv(self.max_len).decode())
        return reply.get(cmd.split(",")[0])

    def commands(self):
        if self._cmds is None:
            self._cmds = set(self.raw("/") or [])
        return self._cmds

    def check_icmpfp(self):
        if "/icmpfp/stats" not in self.commands():
            raise CtlError(f"{self.path}: a DPDK process (pid {self.pid}) that is not "
                           "icmpfp: it has no /icmpfp/ telemetry commands")

    def query(self, cmd):
        """The value; Missing when the daemon lacks the command, CtlError
        when it refused the parameters."""
        name = cmd.split(",")[0]
        if name not in self.commands():
            raise Missing(name)
        v = self.raw(cmd)
        if v is None:
            raise CtlError(f"icmpfp refused '{cmd}' (bad parameters)")
        return v

    def close(self):
        self.sock.close()


# ---- the clear mark: counters stay monotonic, views subtract ----

def mark_path(prefix):
    base = "/run/icmpfp" if os.getuid() == 0 else os.path.join(
        os.environ.get("XDG_RUNTIME_DIR", "/tmp"), "icmpfp")
    return os.path.join(os.environ.get("ICMPFPCTL_MARK_DIR", base), f"icmpfpctl-{prefix}.json")


def snapshot(tel):
    stats = tel.query("/icmpfp/stats")
    lcores = {str(i): tel.query(f"/icmpfp/lcore,{i}") for i in stats["lcores"]}
    return {"stats": stats, "drops": tel.query("/icmpfp/drops"), "lcores": lcores}


def mark_write(tel):
    path = mark_path(tel.prefix)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    snap = snapshot(tel)
    snap.update(pid=tel.pid, time=time.time())
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(snap, f)
    os.replace(tmp, path)
    return path


def mark_read(tel):
    """The mark of this daemon (same PID, counters not below it), or None."""
    try:
        with open(mark_path(tel.prefix)) as f:
            m = json.load(f)
    except (OSError, ValueError):
        return None
    return m if m.get("pid") == tel.pid else None


def minus(cur, old):
    """cur - old over the numbers of two equal-shaped dicts; what old lacks
    or a counter that fell (a restart) stays as cur."""
    if isinstance(cur, dict):
        return {k: minus(v, old.get(k) if isinstance(old, dict) else None)
                for k, v in cur.items()}
    if isinstance(cur, int) and not isinstance(cur, bool) and isinstance(old, int) \
            and old <= cur:
        return cur - old
    return cur


# counters whose difference means nothing: kept as read
NOT_COUNTERS = {"tsc_hz", "config_generation", "lcores", "cycles_per_packet",
                "busy_percent", "lcore", "socket", "snapshots", "snapshot_age_us",
                "modems", "modems_up", "views"}


def since_mark(cur, old):
    out = minus(cur, old or {})
    for k in NOT_COUNTERS & cur.keys():
        out[k] = cur[k]
    return out


# ---- output ----

def table(rows, head):
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    lines = []
    for r in [head] + rows:
        cells = [str(c).rjust(w) if isinstance(c, (int, float)) or i else str(c).ljust(w)
                 for i, (c, w) in enumerate(zip(r, widths))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def rate(a, b, dt):
    return f"{(b - a) / dt:.1f}" if dt > 0 else "-"


def stats_view(tel, args):
    mark = mark_read(tel)
    s1 = tel.query("/icmpfp/stats")
    if args.json:
        return since_mark(s1, mark and mark["stats"])
    t1 = time.monotonic()
    time.sleep(args.interval)
    s2 = tel.query("/icmpfp/stats")
    dt = time.monotonic() - t1
    base = mark["stats"] if mark else {}
    d = since_mark(s2, base)
    rows = [[k, d[k], rate(s1[k], s2[k], dt)] for k in
            ("rx", "tx", "answered", "ratelimited", "dropped")]
    out = [("since clear" if mark else "since start") + f", rates over {dt:.1f} s",
           table(rows, ["counter", "total", "per sec"]), ""]
    ans = [[k, d["answers"][k], rate(s1["answers"][k], v, dt)]
           for k, v in s2["answers"].items() if d["answers"][k] or v != s1["answers"][k]]
    out.append(table(sorted(ans, key=lambda r: -r[1]), ["answer", "total", "per sec"])
               if ans else "no answers")
    drops = tel.query("/icmpfp/drops")
    d1 = minus(drops, (mark or {}).get("drops") or {})
    top = sorted(((n, r) for r, n in d1.items() if n), reverse=True)[:5]
    if top:
        out += ["", table([[r, n] for n, r in top], ["top drop reason", "total"])]
    return "\n".join(out)


def errors_view(tel, args):
    mark = mark_read(tel)
    drops = tel.query("/icmpfp/drops")
    d = minus(drops, (mark or {}).get("drops") or {})
    rows = sorted(((n, r) for r, n in d.items() if n), key=lambda x: (-x[0], x[1]))
    if args.json:
        return {r: n for n, r in rows}
    if not rows:
        return "no drops" + (" since clear" if mark else "")
    return table([[n, r] for n, r in rows], ["Count", "Reason"])


def runtime_view(tel, args):
    mark = mark_read(tel)
    stats = tel.query("/icmpfp/stats")
    hz = stats["tsc_hz"] or 1
    out = {}
    for i in stats["lcores"]:
        lc = tel.query(f"/icmpfp/lcore,{i}")
        d = minus(lc, (mark or {}).get("lcores", {}).get(str(i)) or {})
        busy, idle = d["busy_cycles"], d["idle_cycles"]
        out[str(i)] = {
            "rx": d["rx"], "answered": d["answered"], "dropped": d["dropped"],
            "bursts": d["bursts"],
            "busy_percent": round(100.0 * busy / (busy + idle), 1) if busy + idle else 0.0,
            "cycles_per_packet": round(busy / d["rx"], 1) if d["rx"] else 0.0,
            "packets_per_burst": round(d["rx"] / d["bursts"], 2) if d["bursts"] else 0.0,
            "busy_seconds": round(busy / hz, 3),
        }
    if args.json:
        return out
    rows = [[f"lcore {i}", v["rx"], v["bursts"], f"{v['busy_percent']:.1f}",
             f"{v['cycles_per_packet']:.1f}", f"{v['packets_per_burst']:.2f}"]
            for i, v in out.items()]
    return (("since clear\n" if mark else "since start\n") +
            table(rows, ["worker", "rx", "bursts", "busy %", "cycles/pkt", "pkts/burst"]))


def ports_view(tel, args):
    cfg = tel.query("/icmpfp/config")
    ports = {str(p): tel.query(f"/icmpfp/port,{p}") for p in cfg["ports"]}
    if args.json:
        return ports
    out = []
    for p, i in ports.items():
        out.append(f"port {p} {i['name']} ({i.get('driver', '?')}) {i['mac'].lower()} mtu {i['mtu']}"
                   f" link {i['link_status']} {i['link_speed_mbps']} Mb/s")
        out.append("  addresses: " + ", ".join(i["addresses"] + i.get("addresses6", [])))
        out.append(f"  rx {i.get('ipackets', 0)}  tx {i.get('opackets', 0)}  "
                   f"missed {i.get('imissed', 0)}  rx errors {i.get('ierrors', 0)}  "
                   f"tx errors {i.get('oerrors', 0)}  rx_nombuf {i.get('rx_nombuf', 0)}")
    return "\n".join(out)


def lpa_view(tel, args):
    modems = tel.query("/icmpfp/lpa") or {}
    if args.json:
        return modems
    if not modems:
        return "no modems heard"
    rows = [[m["modem"], m["source"], m["state"], m["mtu"],
             m.get("rate_out_current", "-"), m.get("rate_in_current", "-"),
             f"{m['age_ms'] / 1000:.1f}"] for m in modems.values()]
    return table(rows, ["modem", "source", "state", "mtu", "out bit/s", "in bit/s", "age s"])


def config_view(tel, args):
    cfg = tel.query("/icmpfp/config")
    if args.json:
        return cfg
    out = [f"file {cfg['path']}  generation {cfg['generation']}  reloads ok "
           f"{cfg['reloads_ok']}  refused {cfg['reloads_failed']}"]
    if cfg.get("last_reload_error"):
        out.append(f"last refused: {cfg['last_reload_error']}")
    for sec in ("icmp", "icmp6", "ratelimit", "lpa"):
        if isinstance(cfg.get(sec), dict):
            out.append(f"[{sec}] " + ", ".join(f"{k}={v}" for k, v in cfg[sec].items()))
    out.append(f"[routes] {cfg['n_routes']}")
    out += ["  " + r for r in cfg.get("routes", [])]
    return "\n".join(out)


def routes_view(tel, args):
    """/icmpfp/routes[,FROM]: a page of parallel arrays (docs/icmpfpctl.md)."""
    rows, start = [], 0
    while True:
        page = tel.query(f"/icmpfp/routes,{start}")
        n = len(page["prefix"])
        for k in range(n):
            rows.append({"line": page["line"][k], "prefix": page["prefix"][k],
                         "action": page["action"][k], "hits": page["hits"][k]})
        start += n
        if n == 0 or start >= page["n_routes"]:
            break
    if args.json:
        return {"file": page.get("file", ""), "routes": rows}
    if not rows:
        return "no [routes]: every transit frame is dropped (transit), TTL 1 earns Time Exceeded"
    return table([[f"{page.get('file', '')}:{r['line']}", r["prefix"], r["action"], r["hits"]]
                  for r in rows], ["line", "prefix", "action", "hits"])


def route_get(tel, args):
    """/icmpfp/route,ADDRESS: its route (or local, or none) and what the
    two probes earn, as `ip route get` and `show ip fib` say it."""
    try:
        ipaddress.ip_address(args.address)
    except ValueError:
        raise CtlError(f"route get: {args.address}: not an IPv4 or IPv6 address") from None
    r = tel.query(f"/icmpfp/route,{args.address}")
    if args.json:
        return r
    if r["action"] == "local":
        return (f"{r['address']} is icmpfp's own address: answered as [icmp] / [icmp6] "
                "say, no route")
    if r.get("line"):
        out = [f"{r['address']} via {r['prefix']} = {r['action']}  "
               f"({r['file']}:{r['line']}, {r.get('hits', 0)} hits)"]
    else:
        out = [f"{r['address']}: no route"]
    for probe, what in (("ttl1", "TTL / hop limit 1"), ("df1500", "1500 bytes, DF")):
        p = r.get(probe) or {}
        out.append(f"  {what}: {p.get('outcome', '?')} "
                   f"{p.get('answer') or p.get('reason') or ''}".rstrip())
    return "\n".join(out)


def policy_view(tel, args):
    """/icmpfp/policy: each rule by line with its counts, then the default
    (docs/policy.md)."""
    p = tel.query("/icmpfp/policy")
    rules = [v for k, v in p.items() if isinstance(v, dict) and k != "default"]
    rules.sort(key=lambda v: int(v["at"].rsplit(":", 1)[1]))
    if "default" in p:
        rules.append(p["default"])
    if args.json:
        return {"rules": p.get("rules", 0), "rules_not_shown": p.get("rules_not_shown", 0),
                "policy": rules}
    if not rules:
        return "no [policy]: every answer is allowed"
    out = table([[v["at"] if v["text"] != "default" else "default", v["text"], v["action"],
                  v["matched"], v["denied"], v["limited"]] for v in rules],
                ["line", "rule", "action", "matched", "denied", "limited"])
    if p.get("rules_not_shown"):
        out += f"\n({p['rules_not_shown']} more rules not shown)"
    return out


def trace_records(tel):
    """Every record kept, oldest first: /icmpfp/trace lists them as
    "LCORE/ID", /icmpfp/trace_record,LCORE,ID gives one."""
    idx = tel.query("/icmpfp/trace")
    recs = []
    for key in idx.get("records", []):
        lcore, rid = key.split("/")
        r = tel.raw(f"/icmpfp/trace_record,{lcore},{rid}")
        if r is not None:  # overwritten since the index
            recs.append(r)
    return idx, recs


def trace_block(r):
    end = r.get("answer") or r.get("reason") or ""
    head = f"frame {r['frame']}"
    if "lcore" in r:
        head += (f"  lcore {r['lcore']} port {r['port']} queue {r['queue']}  "
                 f"{r.get('wall_time', '')}")
    lines = [head, "  " + r["summary"]]
    lines += ["    " + s for s in r["steps"]]
    lines.append(f"  => {r['outcome']} {end}".rstrip())
    return "\n".join(lines)


def trace_show(tel, args):
    idx, recs = trace_records(tel)
    if args.json:
        return recs
    out = [trace_block(r) for r in recs]
    out.append(f"{len(recs)} frames kept, {idx.get('left', 0)} still armed")
    return "\n\n".join(out)


def trace_file(args):
    """show trace --file: icmpfp-replay --trace's JSON Lines, read offline."""
    try:
        f = sys.stdin if args.file == "-" else open(args.file)
    except OSError as e:
        raise CtlError(f"{args.file}: {e.strerror}") from None
    with f:
        recs = []
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    recs.append(json.loads(line))
                except ValueError:
                    raise CtlError(f"{args.file}:{n}: not a JSON object") from None
    if args.json:
        return recs
    return "\n\n".join([trace_block(r) for r in recs] + [f"{len(recs)} frames"])


def trace_add(tel, args):
    params = [str(args.n)]
    if args.src:
        params.append(f"src={args.src}")
    if args.port is not None:
        params.append(f"port={args.port}")
    if args.dropped:
        params.append("dropped")
    r = tel.query("/icmpfp/trace," + ",".join(params))
    return r if args.json else (f"tracing the next {args.n} frames on each worker"
                                + (f" ({' '.join(params[1:])})" if params[1:] else ""))


def trace_clear(tel, args):
    r = tel.query("/icmpfp/trace,clear")
    return r if args.json else "trace records cleared"


def clear(tel, args):
    path = mark_write(tel)
    return {"mark": path} if args.json else (
        f"cleared: shows count from now ({path}); icmpfp's own counters go on")


def reload(tel, args):
    before = tel.query("/icmpfp/config")
    pid = tel.peer_pid()
    if tel.pid and pid != tel.pid:
        raise CtlError(f"the socket's peer is pid {pid}, its greeting says {tel.pid}")
    try:
        os.kill(pid, signal.SIGHUP)
    except PermissionError:
        raise CtlError(f"cannot signal icmpfp (pid {pid}): run icmpfpctl as root") from None
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        after = tel.query("/icmpfp/config")
        if after["reloads_ok"] > before["reloads_ok"]:
            res = {"result": "ok", "generation": after["generation"], "path": after["path"]}
            return res if args.json else (f"reloaded {after['path']}: generation "
                                          f"{after['generation']}")
        if after["reloads_failed"] > before["reloads_failed"]:
            res = {"result": "refused", "error": after["last_reload_error"],
                   "generation": after["generation"]}
            if args.json:
                print(json.dumps(res))
                sys.exit(1)
            raise CtlError(f"refused, generation {after['generation']} stays: "
                           f"{after['last_reload_error']}")
        time.sleep(0.05)
    raise CtlError(f"icmpfp (pid {pid}) did not report the reload within {args.timeout} s")


# ---- watch ----

def watch_lines(tel, prev, cur, dt):
    s0, s1 = prev["stats"], cur["stats"]
    lines = [f"icmpfp -f {tel.prefix} (pid {tel.pid})   every {dt:.1f} s   q: quit", ""]
    for k in ("rx", "tx", "answered", "ratelimited", "dropped"):
        lines.append(f"{k:<12}{s1[k]:>16}{rate(s0[k], s1[k], dt):>14}/s")
    lines.append("")
    moving = sorted(((s1["answers"][k] - s0["answers"][k], k) for k in s1["answers"]),
                    reverse=True)
    lines.append("answers/s: " + ", ".join(f"{k} {n / dt:.0f}" for n, k in moving[:4] if n)
                 if moving and moving[0][0] else "answers/s: none")
    for i, lc in cur["lcores"].items():
        p = prev["lcores"].get(i, lc)
        busy = lc["busy_cycles"] - p["busy_cycles"]
        total = busy + lc["idle_cycles"] - p["idle_cycles"]
        rx = lc["rx"] - p["rx"]
        lines.append(f"lcore {i}: busy {100.0 * busy / total if total else 0:5.1f} %  "
                     f"{busy / rx if rx else 0:8.0f} cycles/pkt  rx {rx / dt:.0f}/s")
    return lines


def watch(tel, args):
    import curses

    def run(scr):
        curses.curs_set(0)
        scr.timeout(int(args.interval * 1000))
        prev, t0 = snapshot(tel), time.monotonic()
        scr.erase()
        scr.addstr(0, 0, f"icmpfp -f {tel.prefix}: reading...")
        scr.refresh()
        while True:
            key = scr.getch()
            if key in (ord("q"), ord("Q")):
                return
            cur, t1 = snapshot(tel), time.monotonic()
            h, w = scr.getmaxyx()
            scr.erase()
            for y, line in enumerate(watch_lines(tel, prev, cur, t1 - t0)[:h - 1]):
                scr.addnstr(y, 0, line, w - 1)
            scr.refresh()
            prev, t0 = cur, t1

    try:
        curses.wrapper(run)
    except KeyboardInterrupt:
        pass
    return None


VIEWS = {"stats": stats_view, "errors": errors_view, "runtime": runtime_view,
         "ports": ports_view, "routes": routes_view, "lpa": lpa_view,
         "config": config_view, "policy": policy_view, "trace": trace_show}


def parser():
    ap = argparse.ArgumentParser(prog="icmpfpctl", description=__doc__.split("\n\n")[0])
    ap.add_argument("-f", "--file-prefix", default=DEFAULT_PREFIX,
                    help=f"icmpfp's EAL --file-prefix (default: {DEFAULT_PREFIX}, "
                         "the systemd unit's)")
    ap.add_argument("-s", "--socket", help="the telemetry socket's path (overrides -f)")
    ap.add_argument("--json", action="store_true", help="JSON instead of tables")
    ap.add_argument("-i", "--interval", type=float, default=INTERVAL,
                    help="seconds between the reads of a rate (default 1)")
    sub = ap.add_subparsers(dest="cmd", required=True, metavar="COMMAND")
    show = sub.add_parser("show", help="stats, errors, runtime, ports, routes, lpa, "
                                       "config, policy, trace")
    show.add_argument("what", choices=sorted(VIEWS))
    show.add_argument("--file", metavar="JSONL",
                      help="show trace: the records icmpfp-replay --trace wrote "
                           "(- for stdin), no daemon needed")
    route = sub.add_parser("route", help="route get ADDRESS")
    route.add_argument("verb", choices=["get"])
    route.add_argument("address")
    trace = sub.add_parser("trace", help="trace add N [src PREFIX] [port P] [dropped]; "
                                         "trace clear")
    trace.add_argument("verb", choices=["add", "clear"])
    trace.add_argument("rest", nargs="*", metavar="ARG")
    sub.add_parser("clear", help="count the shows from now on")
    rl = sub.add_parser("reload", help="re-read the config file (SIGHUP)")
    rl.add_argument("--timeout", type=float, default=10.0,
                    help="seconds to wait for the result (default 10)")
    sub.add_parser("watch", help="a refreshing view of the rates; q or Ctrl-C leaves")
    return ap


def trace_args(args):
    """add N [src PREFIX] [port P] [dropped]"""
    rest = list(args.rest)
    args.src, args.port, args.dropped = None, None, False
    if not rest or not rest[0].isdigit():
        raise CtlError("trace add N [src PREFIX] [port P] [dropped]")
    args.n = int(rest.pop(0))
    while rest:
        w = rest.pop(0)
        if w == "dropped":
            args.dropped = True
        elif w in ("src", "port") and rest:
            v = rest.pop(0)
            if w == "port":
                if not v.isdigit():
                    raise CtlError(f"port {v}: a port number")
                args.port = int(v)
            else:
                try:
                    ipaddress.ip_network(v, strict=False)
                except ValueError:
                    raise CtlError(f"trace add: src {v}: not an IPv4 or IPv6 prefix") from None
                args.src = v
        else:
            raise CtlError(f"trace add: '{w}': src PREFIX, port P, dropped")


def main(argv=None):
    args = parser().parse_args(argv)
    if args.cmd == "show" and args.file is not None:
        if args.what != "trace":
            print("icmpfpctl: --file is for show trace", file=sys.stderr)
            return 2
        try:
            out = trace_file(args)
        except CtlError as e:
            print(f"icmpfpctl: {e}", file=sys.stderr)
            return 1
        print(json.dumps(out, indent=1) if args.json else out)
        return 0
    try:
        tel = Telemetry(args.file_prefix, args.socket)
        try:
            tel.check_icmpfp()
            if args.cmd == "show":
                fn = VIEWS[args.what]
            elif args.cmd == "route":
                fn = route_get
            elif args.cmd == "trace":
                if args.verb == "add":
                    trace_args(args)
                fn = trace_add if args.verb == "add" else trace_clear
            else:
                fn = {"clear": clear, "reload": reload, "watch": watch}[args.cmd]
            out = fn(tel, args)
        finally:
            tel.close()
    except CtlError as e:
        print(f"icmpfpctl: {e}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as e:
        print(f"icmpfpctl: the telemetry socket: {e}", file=sys.stderr)
        return 1
    if out is None:
        return 0
    print(json.dumps(out, indent=1) if args.json else out)
    return 0


if __name__ == "__main__":
    # `icmpfpctl show trace | head`: end quietly when the reader does, as
    # other filters do
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
