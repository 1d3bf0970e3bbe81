#!/usr/bin/python3
"""icmpfp-lpa: play a modem's Link Property Advertisements, or hear them.

Link Property Advertisements ("Modem Link-Property Advertisements", Ivancic,
Wood, Shell, Floreani, Asati; IEEE 2012) are UDP datagrams a smart modem
sends to the all-routers group, periodically and on every link event. Each
holds one or more 32-byte Rate Blocks, big-endian, as the authors' 2012
reference generator lays them out:

     0: Block Type (16) = 1        | Block Length (16) = 32
     4: No. Links (8) = 1 | Link Rate Desc (8) = 1 | Modem Flags (16)
     8: Modem ID (32)
    12: MTU (16)                    | Interface Flags (16)
    16: Current Rate (32, bit/s)
    20: Minimum Rate (32, bit/s)
    24: Maximum Rate (32, bit/s)
    28: Modem IPv4 address (32)

Interface Flags: 0x20 bidirectional, 0x10 fixed rate, 0x08 IPv4 address
present, 0x04 IPv6 address present, 0x02 link up, 0x01 direction (set:
the rates are for traffic leaving the modem over its link).

    icmpfp-lpa.py send --modem 7 --mtu 1200 --rate 2e6 --min 1e6 --max 8e6 \\
                       --interface eth0 [--to ff02::2] [--down] [--count N] [--period S]
    icmpfp-lpa.py listen --interface eth0 [--count N] [--timeout S] [--json]

Over IPv4 and IPv6 alike: send goes to 224.0.0.2 unless --to names another
group or a unicast address of either family; listen joins 224.0.0.2 and
ff02::2 (the all-routers groups) unless --group names others, and hears
unicast to the host too.

Python's standard library only: an operator's tool, and the modem of
icmpfp's lab tests.
"""
import argparse
import ipaddress
import json
import select
import socket
import struct
import sys
import time

PORT = 7575
ALL_ROUTERS = "224.0.0.2"
ALL_ROUTERS6 = "ff02::2"

BLOCK_RATE = 1
RATE_LEN = 32
F_BIDIR, F_FIXED, F_IPV4, F_IPV6, F_UP, F_OUT = 0x20, 0x10, 0x08, 0x04, 0x02, 0x01
RATE = struct.Struct("!HHBBHIHHIII4s")
RATE_MAX = 0xffffffff

# Linux <linux/in.h> and <linux/in6.h>, not in Python's socket module on
# every version
IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)
IPV6_RECVPKTINFO = getattr(socket, "IPV6_RECVPKTINFO", 49)
IPV6_PKTINFO = getattr(socket, "IPV6_PKTINFO", 50)


def saturate(bps):
    """Rates are 32-bit bit/s: anything faster says 0xffffffff."""
    return max(0, min(int(bps), RATE_MAX))


def rate_block(modem, mtu=1500, cur=0, lo=0, hi=0, up=True, out=True, bidir=False,
               fixed=False, modem_ip=None, modem_flags=0, n_links=1, rate_desc=1):
    """The 32 bytes of one Rate Block."""
    flags = (F_UP if up else 0) | (F_OUT if out else 0) | (F_BIDIR if bidir else 0) \
        | (F_FIXED if fixed else 0)
    ip = b"\0\0\0\0"
    if modem_ip:
        flags |= F_IPV4
        ip = ipaddress.IPv4Address(modem_ip).packed
    return RATE.pack(BLOCK_RATE, RATE_LEN, n_links, rate_desc, modem_flags, modem,
                     mtu, flags, saturate(cur), saturate(lo), saturate(hi), ip)


class Malformed(ValueError):
    pass


def decode(payload):
    """The Rate Blocks of a datagram as dicts; other blocks skipped by their
    length. Raises Malformed as icmpfp would refuse the datagram."""
    blocks, off = [], 0
    if len(payload) < 4:
        raise Malformed("truncated")
    while off < len(payload):
        if len(payload) - off < 4:
            raise Malformed("truncated")
        btype, blen = struct.unpack_from("!HH", payload, off)
        if blen < 4 or blen > len(payload) - off:
            raise Malformed("block_length")
        if btype != BLOCK_RATE:
            off += blen
            continue
        if blen != RATE_LEN:
            raise Malformed("rate_length")
        (_, _, n_links, rate_desc, modem_flags, modem, mtu, flags, cur, lo, hi,
         ip) = RATE.unpack_from(payload, off)
        if modem == 0:
            raise Malformed("modem_id")
        blocks.append({
            "modem": modem, "mtu": mtu, "flags": flags, "up": bool(flags & F_UP),
            "direction": "out" if flags & F_OUT else "in",
            "bidirectional": bool(flags & F_BIDIR), "fixed": bool(flags & F_FIXED),
            "rate": [cur, lo, hi],
            "modem_ip": str(ipaddress.IPv4Address(ip)) if flags & F_IPV4 else None,
            "modem_flags": modem_flags, "links": n_links, "rate_desc": rate_desc,
        })
        off += blen
    return blocks


def describe(b):
    words = [f"modem {b['modem']}", "up" if b["up"] else "down", f"mtu {b['mtu']}",
             "rate {}/{}/{} bit/s".format(*b["rate"]), b["direction"]]
    if b["bidirectional"]:
        words.append("bidirectional")
    if b["fixed"]:
        words.append("fixed")
    if b["modem_ip"]:
        words.append(f"ip {b['modem_ip']}")
    return " ".join(words)


def ifindex(name):
    return socket.if_nametoindex(name) if name else 0


def is_v6(addr):
    return ipaddress.ip_address(addr).version == 6


def cmd_send(a):
    block = rate_block(a.modem, a.mtu, float(a.rate), float(a.min or a.rate),
                       float(a.max or a.rate), up=not a.down, out=not a.incoming,
                       bidir=a.bidirectional, fixed=a.fixed, modem_ip=a.modem_ip)
    payload = block * a.blocks
    to = ipaddress.ip_address(a.to)
    ifx = ifindex(a.interface)
    if to.version == 6:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        # a link-local destination needs its link (the scope id)
        dest = (a.to, a.port, 0, ifx if to.is_link_local or to.is_multicast else 0)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        dest = (a.to, a.port)
    if a.source or a.sport:
        # a listener may hold the port on this host too
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((a.source or "", a.sport) if to.version == 4
               else (a.source or "::", a.sport, 0, ifx))
    if to.version == 6 and to.is_multicast:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, a.ttl)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_LOOP, 0)
        if ifx:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifx)
    elif to.version == 6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, a.ttl)
    elif to.is_multicast:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, a.ttl)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
        if ifx:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                         struct.pack("4s4si", socket.inet_aton(a.to), b"\0" * 4, ifx))
    else:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, a.ttl)
    for i in range(a.count):
        if i:
            time.sleep(a.period)
        s.sendto(payload, dest)
        if not a.quiet:
            print(f"{time.time():.6f} -> {a.to}:{a.port}: {describe(decode(block)[0])}",
                  flush=True)
    s.close()
    return 0


def listen_socket(v, port, groups, ifx):
    """A socket of IP version v on the port, joined to its groups on the
    interface of index ifx (0: the kernel's choice)."""
    s = socket.socket(socket.AF_INET if v == 4 else socket.AF_INET6, socket.SOCK_DGRAM)
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if v == 4:
            s.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
            s.bind(("", port))
            for g in groups:
                s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                             struct.pack("4s4si", socket.inet_aton(g), b"\0" * 4, ifx))
        else:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)
            s.bind(("::", port))
            for g in groups:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
                             socket.inet_pton(socket.AF_INET6, g) + struct.pack("@I", ifx))
    except OSError:
        s.close()
        raise
    return s


def listen_sockets(a):
    """One socket per family. Without --group, a family the host or the
    interface does not have is left out; a group asked for must be joined."""
    socks = []
    for v in (4, 6):
        groups = [g for g in a.group if is_v6(g) == (v == 6)]
        try:
            socks.append(listen_socket(v, a.port, groups, ifindex(a.interface)))
        except OSError as e:
            if a.groups_given and groups:
                raise
            print(f"icmpfp-lpa: not listening over IPv{v}: {e}", file=sys.stderr)
    if not socks:
        raise OSError("no socket to listen on")
    return socks


def destination(anc):
    """The destination address of a datagram, from its packet info."""
    for level, kind, cdata in anc:
        if level == socket.IPPROTO_IP and kind == IP_PKTINFO:
            # struct in_pktinfo: ifindex, spec_dst, addr (the header's)
            return socket.inet_ntoa(cdata[8:12])
        if level == socket.IPPROTO_IPV6 and kind == IPV6_PKTINFO:
            # struct in6_pktinfo: addr, ifindex
            return socket.inet_ntop(socket.AF_INET6, cdata[:16])
    return None


def cmd_listen(a):
    socks = listen_sockets(a)
    deadline = time.time() + a.timeout if a.timeout else None
    heard = 0
    while a.count == 0 or heard < a.count:
        left = None
        if deadline is not None:
            left = deadline - time.time()
            if left <= 0:
                break
        ready, _, _ = select.select(socks, [], [], left)
        if not ready:
            break
        for s in ready:
            data, anc, _flags, addr = s.recvmsg(65535, 256)
            # an IPv6 link-local source comes with its link: fe80::1%eth0
            src, sport = addr[0].split("%")[0], addr[1]
            now = time.time()
            try:
                blocks, err = decode(data), None
            except Malformed as e:
                blocks, err = [], str(e)
            heard += 1
            dst = destination(anc)
            if a.json:
                print(json.dumps({"time": now, "source": src, "sport": sport,
                                  "destination": dst, "blocks": blocks,
                                  "malformed": err}), flush=True)
            else:
                what = err and f"malformed ({err})" or "; ".join(describe(b) for b in blocks)
                print(f"{now:.6f} {src} -> {dst}: {what}", flush=True)
            if a.count and heard >= a.count:
                break
    for s in socks:
        s.close()
    return 0 if heard or a.count == 0 else 1


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("send", help="play a modem: send Rate Blocks")
    s.add_argument("--modem", type=int, required=True, help="Modem ID (1 to 2^32-1)")
    s.add_argument("--mtu", type=int, default=1500)
    s.add_argument("--rate", default="0", help="current rate, bit/s (2e6 is fine)")
    s.add_argument("--min", help="minimum rate, bit/s (default: --rate)")
    s.add_argument("--max", help="maximum rate, bit/s (default: --rate)")
    s.add_argument("--down", action="store_true", help="the link is down")
    s.add_argument("--incoming", action="store_true",
                   help="the rates are for traffic arriving over the link")
    s.add_argument("--bidirectional", action="store_true")
    s.add_argument("--fixed", action="store_true", help="fixed rate")
    s.add_argument("--modem-ip", help="the modem's IPv4 address")
    s.add_argument("--blocks", type=int, default=1, help="copies of the block per datagram")
    s.add_argument("--to", default=ALL_ROUTERS,
                   help="group or unicast address, IPv4 or IPv6 (a link-local or a "
                   "group goes out of --interface)")
    s.add_argument("--port", type=int, default=PORT)
    s.add_argument("--sport", type=int, default=0,
                   help="UDP source port (default: any; icmpfp sends from 7575)")
    s.add_argument("--source", help="source address to bind")
    s.add_argument("--interface", help="interface for a group or a link-local address")
    s.add_argument("--ttl", type=int, default=1)
    s.add_argument("--count", type=int, default=1)
    s.add_argument("--period", type=float, default=1.0, help="seconds between datagrams")
    s.add_argument("--quiet", action="store_true")
    s.set_defaults(fn=cmd_send)
    ln = sub.add_parser("listen", help="hear LPAs and decode them")
    ln.add_argument("--group", action="append",
                    help=f"group to join, IPv4 or IPv6 (default {ALL_ROUTERS} and "
                    f"{ALL_ROUTERS6}; repeat for more)")
    ln.add_argument("--port", type=int, default=PORT)
    ln.add_argument("--interface", help="interface to join the groups on")
    ln.add_argument("--count", type=int, default=0, help="stop after N datagrams")
    ln.add_argument("--timeout", type=float, default=0, help="stop after S seconds")
    ln.add_argument("--json", action="store_true", help="one JSON object per datagram")
    ln.set_defaults(fn=cmd_listen)
    a = p.parse_args(argv)
    if a.cmd == "listen":
        a.groups_given = bool(a.group)
        a.group = a.group or [ALL_ROUTERS, ALL_ROUTERS6]
    return a.fn(a)


if __name__ == "__main__":
    sys.exit(main())
