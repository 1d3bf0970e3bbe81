"""The systemd units of scripts/: systemd-analyze verify accepts them (with
ExecStart pointed at this tree), reload is SIGHUP, and the exporter reads
the telemetry socket of the file-prefix icmpfp runs with."""
import os
import re
import shlex
import subprocess

from ifp_harness import ICMPFP, ROOT

SCRIPTS = os.path.join(ROOT, "scripts")


def unit(name):
    with open(os.path.join(SCRIPTS, name)) as f:
        return f.read()


def test_units_verify(tmp_path):
    icmpfp = unit("icmpfp.service").replace("/usr/local/bin/icmpfp ", ICMPFP + " ")
    exporter = unit("icmpfp-exporter.service").replace(
        "/usr/local/bin/icmpfp-exporter", os.path.join(SCRIPTS, "icmpfp-exporter.py"))
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
    assert re.search(r"^ExecStart=/usr/local/bin/icmpfp \$ICMPFP_EAL -- -c ", icmpfp, re.M)
