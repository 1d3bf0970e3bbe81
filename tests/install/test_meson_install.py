"""`meson install --destdir` of the build tree, as an operator installs it:
every file in its FHS place under the prefix and nothing else, the installed
daemon takes the installed profiles (`icmpfp --help` says which), the units
start the installed binaries and document the installed man pages, and no
installed file names the source or build tree."""
import os
import re
import shutil
import subprocess

import pytest

from ifp_harness import BUILD, ICMPFP, ROOT
from ifp_install import build_options, expected_files


class Installed:
    def __init__(self, dest, opts):
        self.dest = str(dest)
        self.opts = opts
        self.prefix = opts["prefix"]

    def path(self, p):
        """Where the installed file p (absolute, or relative to the prefix)
        is in the destdir."""
        if not os.path.isabs(p):
            p = os.path.join(self.prefix, p)
        return self.dest + p

    def files(self):
        """Every installed file (and symlink) as its path on the target."""
        out = set()
        for d, _, names in os.walk(self.dest):
            out |= {os.path.join(d, n)[len(self.dest):] for n in names}
        return out

    def bin(self, name):
        return self.path(os.path.join(self.opts["bindir"], name))


@pytest.fixture(scope="module")
def inst(tmp_path_factory):
    dest = tmp_path_factory.mktemp("destdir")
    r = subprocess.run(["meson", "install", "-C", BUILD, "--destdir", str(dest), "--quiet"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    yield Installed(dest, build_options())
    shutil.rmtree(dest, ignore_errors=True)


def on_target(inst, p):
    return p if os.path.isabs(p) else os.path.join(inst.prefix, p)


def test_every_expected_file_is_installed_and_nothing_else(inst):
    want = {on_target(inst, p) for p in expected_files(inst.opts)}
    got = inst.files()
    assert not want - got, f"missing: {sorted(want - got)}"
    assert not got - want, f"not expected: {sorted(got - want)}"
    for b in ("icmpfp", "icmpfp-replay", "icmpfp-exporter", "icmpfp-lpa", "icmpfpctl"):
        assert os.access(inst.bin(b), os.X_OK), b
    # /etc is the operator's: meson installs only examples of its files
    assert not any(p.startswith("/etc/") for p in got)
    # docs/ as it is, its README.md (the manual's index) included
    doc = os.path.join(inst.opts["datadir"], "doc", "icmpfp")
    for name in os.listdir(os.path.join(ROOT, "docs")):
        with open(os.path.join(ROOT, "docs", name), "rb") as a, \
                open(inst.path(os.path.join(doc, name)), "rb") as b:
            assert a.read() == b.read(), name


def help_dir(cmd, env=None):
    """The profile directory `icmpfp ... --help` says it would use."""
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                       env={**os.environ, **(env or {})})
    assert r.returncode == 0, r.stdout + r.stderr
    m = re.search(r"--drivers-conf DIR\s+port profiles \(now (\S+)\)", r.stdout)
    assert m, r.stdout
    return m.group(1), r.stdout


def test_installed_daemon_takes_the_installed_profiles(inst):
    profiles = os.path.join(inst.prefix, inst.opts["datadir"], "icmpfp", "drivers-conf")
    env = {"ICMPFP_DRIVERS_CONF": ""}
    # after --: before EAL starts; before --: EAL's --help with icmpfp's usage
    for cmd in ([inst.bin("icmpfp"), "--", "--help"], [inst.bin("icmpfp"), "--help"]):
        d, out = help_dir(cmd, env)
        assert d == profiles, out
    assert os.path.isfile(inst.path(os.path.join(profiles, "af_packet.ini")))


def test_build_tree_daemon_takes_the_source_profiles_and_overrides_win(inst):
    d, _ = help_dir([ICMPFP, "--", "--help"], {"ICMPFP_DRIVERS_CONF": ""})
    assert d == os.path.realpath(os.path.join(ROOT, "drivers-conf"))
    d, _ = help_dir([inst.bin("icmpfp"), "--", "-h"], {"ICMPFP_DRIVERS_CONF": "/srv/profiles"})
    assert d == "/srv/profiles"


def test_help_points_at_the_man_pages_not_at_files_outside_the_install(inst):
    for cmd, page in (([inst.bin("icmpfp"), "--", "--help"], "man 8 icmpfp"),
                      ([inst.bin("icmpfp-replay"), "--help"], "man 1 icmpfp-replay")):
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stdout + r.stderr
        assert page in r.stdout, r.stdout
        assert not re.search(r"\w+\.md\b|design|RESULTS|bench/", r.stdout), r.stdout
    r = subprocess.run([inst.bin("icmpfp"), "--", "--version"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0 and re.match(r"icmpfp \d+\.\d+\.\d+ \(DPDK \d", r.stdout), r.stdout


def test_nothing_installed_points_back_into_the_source_or_build_tree(inst):
    needles = {ROOT, os.path.realpath(ROOT), BUILD, os.path.realpath(BUILD)}
    for p in inst.files():
        real = inst.dest + p
        assert not os.path.islink(real), p
        with open(real, "rb") as f:
            data = f.read()
        for n in needles:
            assert n.encode() not in data, f"{p} holds {n}"


def test_installed_units_start_the_installed_binaries_and_verify(inst, tmp_path):
    units = inst.opts["systemdunitdir"] or os.path.join("lib", "systemd", "system")
    bindir = os.path.join(inst.prefix, inst.opts["bindir"])
    text = {}
    for u in ("icmpfp.service", "icmpfp-exporter.service"):
        with open(inst.path(os.path.join(units, u))) as f:
            text[u] = f.read()
    assert re.search(rf"^ExecStart={re.escape(bindir)}/icmpfp \$ICMPFP_EAL -- -c ",
                     text["icmpfp.service"], re.M)
    assert re.search(rf"^ExecStart=/usr/bin/python3 {re.escape(bindir)}/icmpfp-exporter ",
                     text["icmpfp-exporter.service"], re.M)
    assert re.search(r"^Documentation=man:icmpfp\(8\)$", text["icmpfp.service"], re.M)
    assert re.search(r"^Documentation=man:icmpfp-exporter\(1\)$",
                     text["icmpfp-exporter.service"], re.M)
    assert "@" not in "".join(text.values())
    # verify needs the ExecStart binaries to exist: point them into the destdir
    for u, t in text.items():
        (tmp_path / u).write_text(t.replace(bindir + "/", inst.dest + bindir + "/"))
    r = subprocess.run(["systemd-analyze", "verify", "--man=no", *text], cwd=tmp_path,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "icmpfp" not in r.stderr, r.stdout + r.stderr
