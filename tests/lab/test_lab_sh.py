"""scripts/lab.sh run starts at once once build/ and the lab's run-time
packages are there: it neither runs scripts/setup.sh (forty packages
checked, apt-get when one is missing) nor apt, and checks the packages with
one dpkg-query (issue 19). Work counted with strace, not timed; ICMPFP=
runs /bin/true in icmpfp's place, so the lab comes up and goes at once."""
import os
import re
import subprocess

from ifp_harness import ROOT
from ifp_lab import require_root

NS = f"ifpsh{os.getpid() % 10000}"


def test_lab_sh_run_starts_without_the_full_setup(tmp_path):
    require_root()
    log = tmp_path / "execs"
    try:
        # -ff: a file per process, so that no execve is split by another's
        r = subprocess.run(["strace", "-ff", "-qq", "-e", "trace=execve", "-e", "signal=none",
                            "-o", str(log), "env", "ICMPFP=/bin/true",
                            os.path.join(ROOT, "scripts", "lab.sh"), "run", NS],
                           capture_output=True, text=True, timeout=300)
    finally:
        # lab.sh's EXIT trap removes them; this is for a lab.sh that died
        subprocess.run(["ip", "netns", "del", NS], capture_output=True)
        subprocess.run(["ip", "link", "del", f"{NS}-h"], capture_output=True)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = [l for f in tmp_path.glob("execs.*") for l in f.read_text().splitlines()]
    ran = [m.group(1) for m in (re.search(r'execve\("([^"]+)".* = 0$', l) for l in lines) if m]
    names = [os.path.basename(p) for p in ran]
    assert "/bin/true" in ran, "the icmpfp of ICMPFP= did not run"
    assert "setup.sh" not in names and "apt-get" not in names and "apt" not in names, names
    assert names.count("dpkg-query") == 1, names.count("dpkg-query")
    # the banner leads to the manual that exists
    assert "docs/operations.md" in r.stdout and "README" not in r.stdout, r.stdout
    assert not os.path.exists(f"/var/run/netns/{NS}")
