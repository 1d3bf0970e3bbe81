"""Real IPv6 clients in a namespace against icmpfp (issue 10): ping -6 to
the global and the link-local address, a full-size DF ping, ping -s 4000 (the
kernel fragments: our reassembly and our reply fragments, end to end), a
flood, ndisc6 and the client's neighbour cache, and UDP getting Port
Unreachable. The kernel of icmpfp's veth end has IPv6 disabled, so every
answer is icmpfp's. Needs root."""
import os
import re

import pytest

from ifp_harness import assert_conserved
from ifp_lab import Lab, eui64_link_local, loss

NS = f"ifp6{os.getpid() % 100000}"
US6 = "2001:db8:0:1::1"


@pytest.fixture(scope="module")
def lab():
    with Lab(NS) as lab:
        lab.mac = lab.host_mac()
        yield lab
        st = lab.stop()
        assert_conserved(st)
        assert st["dropped"]["icmp6_checksum"] == 0
        # the MLDv2 report and an NA for fe80:: and 2001:db8:0:1::1, after
        # the gratuitous ARP
        assert st["originated"] == 4
        assert st["answers"]["icmp6_echo_reply"] >= 50 + 5 + 5 + 5 + 2000
        assert st["answers"]["nd_advert"] >= 1
        assert st["answers"]["icmp6_port_unreachable"] >= 1


def test_the_kernel_has_no_ipv6_on_icmpfps_end(lab):
    with open(f"/proc/sys/net/ipv6/conf/{lab.host_if}/disable_ipv6") as f:
        assert f.read().strip() == "1"


def test_ping6_is_answered(lab):
    r = lab.sh("ping", "-6", "-c", "50", "-i", "0.01", "-W", "2", US6)
    assert loss(r.stdout) == (50, 50), r.stdout
    assert "wrong data" not in r.stdout and "DUP" not in r.stdout


def test_ping6_to_the_link_local_address_with_the_interface(lab):
    ll = eui64_link_local(lab.mac)
    r = lab.sh("ping", "-6", "-c", "5", "-i", "0.05", "-W", "2", f"{ll}%{lab.client_if}")
    assert loss(r.stdout) == (5, 5), r.stdout


def test_a_full_size_ping6_with_dont_fragment(lab):
    r = lab.sh("ping", "-6", "-c", "5", "-i", "0.05", "-W", "2", "-s", "1452", "-M", "do", US6)
    assert loss(r.stdout) == (5, 5), r.stdout
    assert "1460 bytes from" in r.stdout


def test_frag6_finds_randomized_fragment_identifications(lab):
    """ipv6toolkit's frag6 samples the Identification of our reply fragments
    from one source and then from many (RFC 7739 5.2)."""
    r = lab.sh("frag6", "-i", lab.client_if, "--frag-id-policy", "-d", US6, "-v",
               timeout=120)
    out = r.stdout + r.stderr
    assert re.search(r"Fragment ID policy: Randomized IDs", out), out


def test_ping6_s_4000_is_reassembled_and_answered_in_fragments(lab):
    r = lab.sh("ping", "-6", "-c", "5", "-i", "0.05", "-W", "2", "-s", "4000", US6)
    assert loss(r.stdout) == (5, 5), r.stdout
    assert "4008 bytes from" in r.stdout and "wrong data" not in r.stdout


def test_a_ping6_flood_loses_nothing(lab):
    r = lab.sh("ping", "-6", "-f", "-c", "2000", "-w", "30", US6, timeout=60)
    assert loss(r.stdout) == (2000, 2000), r.stdout


def test_ndisc6_resolves_our_address_to_our_mac(lab):
    r = lab.sh("ndisc6", "-r", "3", "-w", "1000", US6, lab.client_if)
    assert r.returncode == 0, r.stdout + r.stderr
    m = re.search(r"Target link-layer address: (\S+)", r.stdout)
    assert m and m.group(1).lower() == lab.mac.lower(), r.stdout


def test_the_clients_neighbour_cache_holds_us_as_a_router(lab):
    lab.sh("ping", "-6", "-c", "1", "-W", "2", US6)
    r = lab.sh("ip", "-6", "neigh", "show", US6, "dev", lab.client_if)
    assert lab.mac.lower() in r.stdout.lower(), r.stdout
    assert "router" in r.stdout and re.search(r"REACHABLE|STALE|DELAY", r.stdout), r.stdout


def test_udp_to_us_is_refused_with_port_unreachable(lab):
    # nc -vz probes the port with writes and fails (exit status 1) on the
    # refusal the Port Unreachable makes of the next one ...
    r = lab.sh("nc", "-v", "-u", "-6", "-z", "-w", "2", US6, "9999")
    assert r.returncode == 1, r.stdout + r.stderr
    # ... and a socket reads ECONNREFUSED, which only Port Unreachable gives
    code = ("import socket\n"
            "s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)\n"
            "s.settimeout(3)\n"
            f"s.connect(('{US6}', 9999))\n"
            "s.send(b'icmpfp')\n"
            "try:\n"
            "    s.recv(16)\n"
            "except ConnectionRefusedError:\n"
            "    print('ECONNREFUSED')\n")
    r = lab.sh("python3", "-c", code)
    assert "ECONNREFUSED" in r.stdout, r.stdout + r.stderr
