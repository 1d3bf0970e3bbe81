"""The Debian package, as an operator meets it: dpkg-buildpackage makes it
from a copy of this tree, lintian finds no error in it, `dpkg -i` installs
it, the installed /usr/bin/icmpfp answers ping and arping on the veth lab
with the example config and the af_packet profile it picks from
/usr/share/icmpfp/drivers-conf by driver name, `dpkg -r` leaves nothing but
the conffiles and `dpkg -P` removes those too.

Needs root. Runs one at a time on a machine (a lock), purges the package
however it ends, and refuses to touch an /usr/bin/icmpfp that is not this
package's."""
import fcntl
import json
import os
import re
import shutil
import subprocess
import time

import pytest

from ifp_harness import ROOT
from ifp_lab import Lab, require_root

NS = f"ifpd{os.getpid() % 100000}"
US = "192.0.2.1"
PKG = "icmpfp"
CONFFILES = {"/etc/default/icmpfp", "/etc/default/icmpfp-exporter"}
LOCK = os.path.join("/run/lock" if os.path.isdir("/run/lock") else "/tmp",
                    "icmpfp-deb-test.lock")


def run(cmd, timeout=120, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)


def dpkg(*args):
    """dpkg, waiting (bounded) while another dpkg or apt holds its lock."""
    deadline = time.time() + 300
    while True:
        r = run(["dpkg", *args], timeout=300)
        if r.returncode == 0 or "lock" not in r.stderr or time.time() > deadline:
            return r
        time.sleep(2)


def status():
    """dpkg's status of the package; "not-installed" when dpkg has nothing
    of it (not even conffiles)."""
    r = run(["dpkg-query", "-W", "-f=${Status}", PKG])
    st = r.stdout.strip()
    return st if r.returncode == 0 and not st.endswith("not-installed") else "not-installed"


def purge():
    if status() != "not-installed":
        r = dpkg("--purge", PKG)
        assert r.returncode == 0, r.stdout + r.stderr


@pytest.fixture(scope="module")
def deb(tmp_path_factory):
    """Build the package from a copy of this tree (what git tracks, or would:
    uncommitted work included, build trees left out); the .deb lands beside
    the copy, never in this tree's parent."""
    top = tmp_path_factory.mktemp("deb")
    src = top / "icmpfp"
    files = run(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=ROOT, check=True)
    src.mkdir()
    for f in filter(None, files.stdout.split("\0")):
        if os.path.lexists(os.path.join(ROOT, f)):
            (src / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(os.path.join(ROOT, f), src / f, follow_symlinks=False)
    r = run(["dpkg-buildpackage", "-us", "-uc", "-b"], cwd=src, timeout=900)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    debs = [p for p in top.iterdir() if re.fullmatch(r"icmpfp_[^_]+_amd64\.deb", p.name)]
    assert len(debs) == 1, list(top.iterdir())
    yield str(debs[0])
    shutil.rmtree(top, ignore_errors=True)


def test_lintian_reports_no_errors(deb):
    r = run(["lintian", "--no-tag-display-limit", deb], timeout=300)
    errors = [ln for ln in r.stdout.splitlines() if ln.startswith("E:")]
    assert not errors and r.returncode == 0, r.stdout + r.stderr


def test_package_depends_on_the_libraries_and_drivers_it_loads(deb):
    r = run(["dpkg-deb", "-f", deb, "Depends"], check=True)
    deps = {d.strip().split(" ")[0] for d in r.stdout.split(",")}
    # linked (shlibs), dlopened by EAL from its plugin directory, the exporter's
    want = {"librte-eal23", "librte-ethdev23", "libnuma1", "libpcap0.8",
            "librte-mempool-ring23", "librte-bus-vdev23", "librte-net-af-packet23",
            "python3", "python3-prometheus-client"}
    assert want <= deps, want - deps
    r = run(["dpkg-deb", "-c", deb], check=True)
    assert "./lib/systemd/system/icmpfp.service" in r.stdout
    r = run(["dpkg-deb", "-I", deb, "conffiles"], check=True)
    assert set(r.stdout.split()) == CONFFILES


@pytest.fixture
def installed(deb):
    """dpkg -i the package, one test at a time per machine; purged after,
    however the test ends."""
    require_root()
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if status() == "not-installed" and os.path.lexists("/usr/bin/icmpfp"):
                pytest.fail("/usr/bin/icmpfp exists and is not the icmpfp package's: "
                            "not touching it")
            purge()  # a run that died before its clean-up
            r = dpkg("-i", deb)
            assert r.returncode == 0, r.stdout + r.stderr
            yield
        finally:
            purge()


def listed_files():
    r = run(["dpkg-query", "-L", PKG], check=True)
    return [p for p in r.stdout.splitlines() if p.startswith("/")]


def test_installed_package_answers_on_the_lab_and_removes_cleanly(installed):
    assert status() == "install ok installed"
    assert os.access("/usr/bin/icmpfp", os.X_OK)
    example = "/usr/share/doc/icmpfp/examples/icmpfp.ini"
    profile = "/usr/share/icmpfp/drivers-conf/af_packet.ini"
    assert os.path.isfile(example) and os.path.isfile(profile)
    for f in CONFFILES:
        assert os.path.isfile(f), f

    # the unit as installed: the installed binary, the installed man page
    unit = "/lib/systemd/system/icmpfp.service"
    with open(unit) as f:
        text = f.read()
    assert re.search(r"^ExecStart=/usr/bin/icmpfp ", text, re.M)
    assert re.search(r"^Documentation=man:icmpfp\(8\)$", text, re.M)
    r = run(["systemd-analyze", "verify", "--man=no", unit,
             "/lib/systemd/system/icmpfp-exporter.service"])
    assert r.returncode == 0 and "icmpfp" not in r.stderr, r.stdout + r.stderr
    for page in ("/usr/share/man/man8/icmpfp.8.gz", "/usr/share/man/man1/icmpfp-replay.1.gz",
                 "/usr/share/man/man1/icmpfp-exporter.1.gz", "/usr/bin/icmpfp-lpa",
                 "/usr/share/man/man1/icmpfp-lpa.1.gz", "/usr/bin/icmpfpctl",
                 "/usr/share/man/man8/icmpfpctl.8.gz",
                 "/usr/share/bash-completion/completions/icmpfpctl",
                 "/usr/share/doc/icmpfp/examples/prometheus/icmpfp-rules.yml"):
        assert os.path.isfile(page), page
    r = run(["man", "--warnings", "-P", "cat", "8", "icmpfp"],
            env={**os.environ, "MANWIDTH": "80"})
    assert r.returncode == 0 and "/usr/share/icmpfp/drivers-conf" in r.stdout, r.stderr
    assert "warning" not in r.stderr, r.stderr

    # no --drivers-conf, no ICMPFP_DRIVERS_CONF: the installed profiles
    env = {k: v for k, v in os.environ.items() if k != "ICMPFP_DRIVERS_CONF"}
    r = run(["/usr/bin/icmpfp", "--", "--help"], env=env)
    assert "(now /usr/share/icmpfp/drivers-conf)" in r.stdout, r.stdout
    saved = os.environ.pop("ICMPFP_DRIVERS_CONF", None)
    try:
        # EAL's debug log names every driver it dlopens
        with Lab(NS, config=example, icmpfp="/usr/bin/icmpfp",
                 extra_eal=("--log-level=lib.eal:debug",)) as lab:
            r = lab.sh("arping", "-c", "3", "-w", "5", "-I", lab.client_if, US)
            assert r.returncode == 0 and len(re.findall(r"bytes from", r.stdout)) == 3, \
                r.stdout + r.stderr
            r = lab.sh("ping", "-c", "5", "-i", "0.05", "-W", "2", US)
            assert " 0% packet loss" in r.stdout, r.stdout
            # the installed icmpfpctl reads the installed daemon
            r = run(["/usr/bin/icmpfpctl", "-f", lab.file_prefix, "--json", "show", "runtime"])
            assert r.returncode == 0 and json.loads(r.stdout)["1"]["rx"] > 0, \
                r.stdout + r.stderr
            st = lab.stop()
            log = lab.output()
    finally:
        if saved is not None:
            os.environ["ICMPFP_DRIVERS_CONF"] = saved
    assert st["answers"]["echo_reply"] == 5 and st["answers"]["arp_reply"] >= 3, st
    # EAL loaded net_af_packet from DPDK's plugin directory; the profile by name
    assert re.search(r"open shared lib /usr/lib/x86_64-linux-gnu/dpdk/pmds-[\d.]+/"
                     r"librte_net_af_packet\.so", log), log
    assert re.search(r"port 0 \(net_af_packet0, profile af_packet in "
                     r"/usr/share/icmpfp/drivers-conf\)", log), log
    assert "no usable profile" not in log, log

    # dpkg -r: every file gone but the conffiles
    files = listed_files()
    r = dpkg("-r", PKG)
    assert r.returncode == 0, r.stdout + r.stderr
    assert status() == "deinstall ok config-files"
    left = [p for p in files if os.path.lexists(p) and not os.path.isdir(p)]
    assert sorted(left) == sorted(CONFFILES), left
    assert not os.path.lexists("/usr/bin/icmpfp")
    assert not os.path.isdir("/usr/share/icmpfp")
    # dpkg -P: the conffiles too
    r = dpkg("-P", PKG)
    assert r.returncode == 0, r.stdout + r.stderr
    assert status() == "not-installed"
    assert not [p for p in files if os.path.lexists(p) and not os.path.isdir(p)]
