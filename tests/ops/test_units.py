"""The systemd units of scripts/ (templates: meson puts the installed bindir
in): systemd-analyze verify accepts them (with ExecStart pointed at this
tree), reload is SIGHUP, the exporter reads the telemetry socket of the
file-prefix icmpfp runs with, and their documentation is the manual pages
that are installed, not a web address. tests/install checks the units meson
and the Debian package install."""
import os
import re
import shlex
import subprocess

from ifp_harness import ICMPFP, ROOT

SCRIPTS = os.path.join(ROOT, "scripts")


def unit(name):
    with open(os.path.join(SCRIPTS, name + ".in")) as f:
        return f.read()


def test_units_verify(tmp_path):
    icmpfp = unit("icmpfp.service").replace("@BINDIR@/icmpfp ", ICMPFP + " ")
    exporter = unit("icmpfp-exporter.service").replace(
        "@BINDIR@/icmpfp-exporter", os.path.join(SCRIPTS, "icmpfp-exporter.py"))
    (tmp_path / "icmpfp.service").write_text(icmpfp)
    (tmp_path / "icmpfp-exporter.service").write_text(exporter)
    r = subprocess.run(["systemd-analyze", "verify", "--man=no", "./icmpfp.service",
                        "./icmpfp-exporter.service"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "icmpfp" not in r.stderr, r.stdout + r.stderr


def env_default(text, var):
    m = re.search(rf'^Environment="?{var}=([^"\n]*)"?$', text, re.M)
    assert m, var
    return shlex.split(m.group(1))


def test_units_agree_on_the_file_prefix_and_reload_is_sighup():
    icmpfp = unit("icmpfp.service")
    exporter = unit("icmpfp-exporter.service")
    eal = env_default(icmpfp, "ICMPFP_EAL")
    args = env_default(exporter, "EXPORTER_ARGS")
    assert eal[eal.index("--file-prefix") + 1] == args[args.index("--file-prefix") + 1]
    assert re.search(r"^ExecReload=/bin/kill -HUP \$MAINPID$", icmpfp, re.M)
    assert re.search(r"^ExecStart=@BINDIR@/icmpfp \$ICMPFP_EAL -- -c ", icmpfp, re.M)


CHECK = "@BINDIR@/icmpfp --check -c ${ICMPFP_CONFIG} $ICMPFP_ARGS"


def test_a_bad_file_stops_the_start_and_the_reload_before_icmpfp_sees_it(tmp_path):
    """Issue 19: icmpfp --check runs as ExecStartPre= and before the
    SIGHUP of ExecReload= (systemd runs the ExecReload= lines in order and
    stops at the first that fails)."""
    icmpfp = unit("icmpfp.service")
    assert re.search(rf"^ExecStartPre={re.escape(CHECK)}$", icmpfp, re.M)
    reloads = re.findall(r"^ExecReload=(.*)$", icmpfp, re.M)
    assert reloads == [CHECK, "/bin/kill -HUP $MAINPID"], reloads
    # the line as systemd runs it, on a good file and a bad one, with the
    # unit's own ICMPFP_ARGS and an operator's
    good = tmp_path / "icmpfp.ini"
    good.write_text("[port 0]\naddress = 192.0.2.1/24\n[routes]\n10.0.0.0/8 = mtu 1400\n")
    bad = tmp_path / "bad.ini"
    bad.write_text(good.read_text().replace("mtu 1400", "mtu 1400 1500"))
    for args in ("", "--stats-period 10"):
        for path, rc in ((good, 0), (bad, 1)):
            cmd = CHECK.replace("@BINDIR@/icmpfp", ICMPFP).replace(
                "${ICMPFP_CONFIG}", str(path)).replace("$ICMPFP_ARGS", args)
            r = subprocess.run(shlex.split(cmd), capture_output=True, text=True, timeout=30)
            assert r.returncode == rc, (cmd, r.stdout, r.stderr)
    assert f"{bad}:4: route action 'mtu 1400 1500'" in r.stderr


def test_icmpfp_tells_systemd_it_is_ready_and_feeds_a_watchdog():
    """Issue 18 point 4 (tests/ops/test_systemd.py runs the protocol)."""
    icmpfp = unit("icmpfp.service")
    assert re.search(r"^Type=notify$", icmpfp, re.M)
    assert re.search(r"^WatchdogSec=\d+s?$", icmpfp, re.M)
    assert re.search(r"^Restart=(on-failure|on-watchdog|on-abnormal|always)$", icmpfp, re.M)


def test_units_document_the_installed_man_pages_only():
    """Issue 9 point 7: a unit's Documentation= must lead somewhere the
    project has: its man pages (installed by meson and the package), never a
    web address."""
    pages = os.listdir(os.path.join(ROOT, "man"))
    for name, page in (("icmpfp.service", "icmpfp(8)"),
                       ("icmpfp-exporter.service", "icmpfp-exporter(1)")):
        docs = re.findall(r"^Documentation=(.*)$", unit(name), re.M)
        uris = [u for line in docs for u in line.split()]
        assert uris and uris[0] == f"man:{page}", (name, uris)
        for u in uris:
            assert u.startswith(("man:", "file:")), (name, u)
            if u.startswith("man:"):
                m = re.fullmatch(r"man:([\w.-]+)\((\d)\)", u)
                assert m and f"{m.group(1)}.{m.group(2)}.in" in pages, (name, u)
