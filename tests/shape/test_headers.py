"""The headers of lib/ form a ladder, never a circle (house style, "Growing
without losing the shape"): the burst entry point includes the handlers, the
handlers include the packet and lcore-context headers, and nothing below
includes anything above it. A module is lib/NAME.c with lib/NAME.h; module A
depends on module B when either file of A includes B's header."""
import os
import re

from ifp_harness import ROOT

LIB = os.path.join(ROOT, "lib")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)\.h"', re.M)


def module_graph():
    graph = {}
    for name in sorted(os.listdir(LIB)):
        base, ext = os.path.splitext(name)
        if ext not in (".c", ".h"):
            continue
        with open(os.path.join(LIB, name)) as f:
            deps = set(INCLUDE.findall(f.read()))
        graph.setdefault(base, set()).update(d for d in deps if d != base)
    return graph


def find_cycle(graph):
    """A list of modules that include each other in a circle, or None."""
    state, stack = {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for d in sorted(graph.get(n, ())):
            if state.get(d) == 1:
                return stack[stack.index(d):] + [d]
            if d not in state:
                c = visit(d)
                if c:
                    return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            c = visit(n)
            if c:
                return c
    return None


def test_lib_modules_include_each_other_in_no_circle():
    cycle = find_cycle(module_graph())
    assert cycle is None, "include circle: " + " -> ".join(cycle)


def test_every_lib_include_is_a_lib_header():
    """lib/ never reaches up into app/ or the tests."""
    graph = module_graph()
    for mod, deps in graph.items():
        for d in deps:
            assert os.path.exists(os.path.join(LIB, d + ".h")), f"lib/{mod} includes {d}.h"


def test_the_handlers_stand_below_the_burst_entry_point():
    """proc -> ipv4/ipv6 -> icmp/icmp6/nd/exthdr/error -> pkt -> lcore: what
    a handler includes never leads back up to the burst API, and the IPv6
    handlers never up to the IPv6 input."""
    graph = module_graph()

    def reaches(a, b, seen=None):
        seen = seen or set()
        for d in graph.get(a, ()):
            if d == b or (d not in seen and (seen.add(d) or reaches(d, b, seen))):
                return True
        return False

    for low in ("ifp_pkt", "ifp_icmp", "ifp_error", "ifp_ipv4", "ifp_arp",
                "ifp_lcore", "ifp_mbuf", "ifp_ipv6", "ifp_icmp6", "ifp_nd",
                "ifp_exthdr", "ifp_reply", "ifp_probe", "ifp_announce", "ifp_udp",
                "ifp_lpa", "ifp_lpa_table", "ifp_transit", "ifp_route"):
        if low in graph:
            assert not reaches(low, "ifp_proc"), f"lib/{low} leads back to ifp_proc"
    for low in ("ifp_icmp6", "ifp_nd", "ifp_exthdr", "ifp_error", "ifp_reply",
                "ifp_probe", "ifp_pkt", "ifp_transit"):
        assert not reaches(low, "ifp_ipv6") and not reaches(low, "ifp_ipv4"), f"lib/{low} leads back to ifp_ipv6"
    for low in ("ifp_exthdr", "ifp_pkt", "ifp_cksum", "ifp_conf", "ifp_stats"):
        assert not reaches(low, "ifp_error"), f"lib/{low} leads back to ifp_error"
    for mod in ("ifp_ipv4", "ifp_icmp", "ifp_error", "ifp_arp", "ifp_udp", "ifp_ipv6",
                "ifp_icmp6", "ifp_nd", "ifp_exthdr", "ifp_transit"):
        assert mod in graph, f"lib/{mod}.h missing: every handler has its own header"


def test_the_lpa_codec_and_table_stand_below_the_handlers():
    """The Rate Block codec and the modem table are pure: they know nothing
    of packets in flight (ifp_pkt) nor of the handlers that use them."""
    graph = module_graph()

    def closure(a):
        seen, todo = set(), [a]
        while todo:
            for d in graph.get(todo.pop(), ()):
                if d not in seen:
                    seen.add(d)
                    todo.append(d)
        return seen

    for mod in ("ifp_lpa", "ifp_lpa_table"):
        assert mod in graph, f"lib/{mod}.h missing"
        up = closure(mod) & {"ifp_pkt", "ifp_proc", "ifp_ipv4", "ifp_udp", "ifp_icmp",
                             "ifp_error", "ifp_lcore"}
        assert not up, f"lib/{mod} reaches up to {sorted(up)}"
