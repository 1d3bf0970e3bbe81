"""`icmpfp --check -c FILE` (icmpfp(8), docs/operations.md "Checking a
config"): the daemon's own parser without EAL, root or hugepages, exit 0 or
1, errors as FILE:LINE, and what it loaded. Also the parser's cost: the file
is opened and read once, and each route costs the same whatever came before
(instructions counted by callgrind, not timed)."""
import os
import re
import subprocess
import tempfile

import pytest

from ifp_harness import ICMPFP, ROOT

GOOD = """\
# the edge box
[port 0]
address = 192.0.2.1/24, 198.51.100.1/24
address6 = 2001:db8:0:1::1/64
profile = af_packet
[port 1]
address = 203.0.113.1/24
[routes]
10.0.0.0/8 = drop
100.64.0.0/10 = mtu 1400      ; a tunnel
2001:db8:dead::/48 = unreachable net
"""


def write(tmp_path, text, name="icmpfp.ini"):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def check(path, *extra, user=None):
    cmd = [ICMPFP, "--check", "-c", path, *extra]
    if user:
        cmd = ["setpriv", f"--reuid={user}", "--regid=nogroup", "--clear-groups"] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_check_prints_the_ports_addresses_and_routes_per_family_as_nobody():
    with tempfile.NamedTemporaryFile("w", suffix=".ini", prefix="ifp-check-") as f:
        # the profile directory may not be readable by nobody
        f.write(GOOD.replace("profile = af_packet\n", ""))
        f.flush()
        os.chmod(f.name, 0o644)
        path = f.name
        r = check(path, user="nobody")
    assert r.returncode == 0, r.stderr
    assert "EAL" not in r.stdout + r.stderr, "--check must not start EAL"
    assert f"config {path}: port 0 192.0.2.1/24 198.51.100.1/24 2001:db8:0:1::1/64" in r.stdout
    assert "port 1 203.0.113.1/24;" in r.stdout
    assert "routes 2 IPv4, 1 IPv6" in r.stdout
    assert r.stdout.rstrip().endswith(f"{path}: OK")


@pytest.mark.parametrize("text, want", [
    (GOOD.replace("= mtu 1400 ", "= mtu 1400 1500 "),
     ":10: route action 'mtu 1400 1500'"),
    (GOOD.replace("profile = af_packet", "profile = nosuch"),
     "[port 0] profile: "),
    (GOOD.replace("[routes]", "[route]"), ":8: unknown section [route]: did you mean [routes]?"),
    (GOOD.replace("address6 =", "adress6 ="), ":4: unknown key 'adress6' in [port 0]: did you mean 'address6'?"),
    (GOOD + "[icmp]\necho =\n", ":13: 'echo =' has no value"),
])
def test_check_refuses_what_the_daemon_refuses_at_file_line(tmp_path, text, want):
    path = write(tmp_path, text)
    r = check(path)
    assert r.returncode == 1, r.stdout
    assert r.stderr.startswith(path), r.stderr
    assert want in r.stderr
    assert "OK" not in r.stdout


def test_check_of_a_missing_file_names_no_line(tmp_path):
    r = check(str(tmp_path / "none.ini"))
    assert r.returncode == 1
    assert f"{tmp_path}/none.ini: cannot open: No such file" in r.stderr


def test_check_takes_the_drivers_conf_given(tmp_path):
    (tmp_path / "mine.ini").write_text("[profile]\nrx_desc = 5\n")
    path = write(tmp_path, GOOD.replace("af_packet", "mine"))
    r = check(path, "--drivers-conf", str(tmp_path))
    assert r.returncode == 1
    assert "mine.ini:2: rx_desc '5' must be 64 to 32768" in r.stderr


def uninstrumented():
    """Counting work needs the plain build: LeakSanitizer refuses to run
    under ptrace (strace) and callgrind cannot run an ASan binary (the
    asan suite runs this file against build-asan/)."""
    with open(ICMPFP, "rb") as f:
        if b"__asan_init" in f.read():
            pytest.skip("an ASan build: its work is not the parser's")


def routes_file(tmp_path, n):
    lines = ["[port 0]", "address = 192.0.2.1/24", "address6 = 2001:db8::1/64", "[routes]"]
    lines += [f"{10 + (i >> 16)}.{(i >> 8) & 255}.{i & 255}.0/24 = mtu 1400"
              for i in range(n // 2)]
    lines += [f"2001:db8:{i:x}::/48 = unreachable host" for i in range(n // 2)]
    return write(tmp_path, "\n".join(lines) + "\n", f"routes{n}.ini")


def test_a_65536_route_file_is_opened_once_and_read_once(tmp_path):
    uninstrumented()
    path = routes_file(tmp_path, 65536)
    log = tmp_path / "strace"
    r = subprocess.run(["strace", "-e", "trace=openat,read,close", "-o", str(log),
                        ICMPFP, "--check", "-c", path],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "routes 32768 IPv4, 32768 IPv6" in r.stdout
    calls = log.read_text().splitlines()
    opens = [i for i, l in enumerate(calls) if "openat(" in l and path in l]
    assert len(opens) == 1, [calls[i] for i in opens]
    fd = re.search(r"= (\d+)$", calls[opens[0]]).group(1)
    reads = []
    for l in calls[opens[0] + 1:]:
        if l.startswith(f"close({fd})"):
            break
        if l.startswith(f"read({fd},"):
            reads.append(l)
    # stdio reads 4 KiB at a time: the file once, and the read that sees its end
    assert len(reads) <= os.path.getsize(path) // 4096 + 2, len(reads)


def instructions(path):
    r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                        ICMPFP, "--check", "-c", path],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    return int(re.search(r"refs:\s+([\d,]+)", r.stderr).group(1).replace(",", ""))


def test_each_route_costs_the_same_at_32768_routes_as_at_2048(tmp_path):
    """Linear, not quadratic: the 30,720 routes past the first 2,048 cost
    no more a route than the first 2,048 did with the program's start-up
    on top. The old parser rescanned the file for each entry's line and
    the earlier routes for a repeat: 16 times the routes cost it 256 times
    the work."""
    uninstrumented()
    small = instructions(routes_file(tmp_path, 2048))
    big = instructions(routes_file(tmp_path, 32768))
    per_route_small = small / 2048
    per_route_more = (big - small) / (32768 - 2048)
    assert per_route_more <= 1.2 * per_route_small, (small, big)
