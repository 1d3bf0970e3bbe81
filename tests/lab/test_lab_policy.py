"""[policy] with real clients (issue 21), one Lab for every check: the
client namespace gets a second address (192.0.2.3, 2001:db8:0:1::3) on the
same veth, under rules that deny its echo and its Time Exceeded. ping and
ping -6 from the first address are answered, from the second not;
traceroute and traceroute -6 from the second show `*` at hop 1 while the
first sees icmpfp; a SIGHUP to a file without the Time Exceeded rules
makes hop 1 appear for the second without a restart. /icmpfp/policy and
the exporter's families carry the rules' counts, and the final counters
add up. Needs root."""
import importlib.util
import os
import re
import signal

from ifp_harness import ROOT, assert_conserved
from ifp_lab import Lab
from ifp_ops import tel1, wait_for

NS = f"ifppl{os.getpid() % 10000}"
US, US6 = "192.0.2.1", "2001:db8:0:1::1"
A, A6 = "192.0.2.2", "2001:db8:0:1::2"   # lab.sh's: allowed
B, B6 = "192.0.2.3", "2001:db8:0:1::3"   # the second address: denied

ECHO_RULES = f"""[policy]
{B} echo = deny
{B6} echo = deny
"""
TE_RULES = f"""{B} time-exceeded = deny
{B6} time-exceeded = deny
"""


def hop1(out):
    lines = [ln for ln in out.splitlines() if ln.strip().startswith("1 ")]
    assert lines, out
    return lines[0]


def traceroute(lab, src, dst, v6=False):
    r = lab.sh("traceroute", *(["-6"] if v6 else []), "-n", "-s", src, "-m", "1",
               "-q", "2", "-w", "1", dst, timeout=30)
    return hop1(r.stdout)


def ping(lab, src, dst, v6=False):
    r = lab.sh("ping", *(["-6"] if v6 else []), "-c", "3", "-i", "0.2", "-W", "1",
               "-I", src, dst, timeout=30)
    m = re.search(r"(\d+) received", r.stdout)
    assert m, r.stdout + r.stderr
    return int(m.group(1))


def exporter_policy(pol):
    """The exporter's policy families for a /icmpfp/policy answer."""
    spec = importlib.util.spec_from_file_location(
        "icmpfp_exporter", os.path.join(ROOT, "scripts", "icmpfp-exporter.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = {}
    for fam in mod.IcmpfpCollector.policy(pol):
        for s in fam.samples:
            out[(s.name, s.labels["line"], s.labels["action"])] = s.value
    return out


def test_policy_with_real_clients_and_a_reload(tmp_path):
    with open(os.path.join(ROOT, "scripts", "lab.ini")) as f:
        base = f.read()
    # the three probes of a hop come at once, one test follows another
    base += "\n[ratelimit]\nper_source_burst = 50\nper_source_per_sec = 1000\n"
    cfg = tmp_path / "icmpfp.ini"
    cfg.write_text(base + ECHO_RULES + TE_RULES)
    with Lab(NS, config=str(cfg)) as lab:
        lab.sh("ip", "addr", "add", f"{B}/24", "dev", lab.client_if, check=True)
        lab.sh("ip", "-6", "addr", "add", f"{B6}/64", "dev", lab.client_if, "nodad",
               check=True)
        assert ping(lab, A, US) == 3
        assert ping(lab, B, US) == 0
        assert ping(lab, A6, US6, v6=True) == 3
        assert ping(lab, B6, US6, v6=True) == 0
        # 198.18.0.0/15 and 2001:db8:cafe::/48 are `drop` routes: hop 1 is
        # icmpfp's Time Exceeded, or nothing
        assert US in traceroute(lab, A, "198.18.0.1")
        line = traceroute(lab, B, "198.18.0.1")
        assert re.search(r"^\s*1\s+\* \*", line), line
        assert US6 in traceroute(lab, A6, "2001:db8:cafe::1", v6=True)
        line = traceroute(lab, B6, "2001:db8:cafe::1", v6=True)
        assert re.search(r"^\s*1\s+\* \*", line), line

        pol = tel1(lab.file_prefix, "/icmpfp/policy")
        assert pol["rules"] == 4
        by_text = {r["text"]: r for k, r in pol.items() if isinstance(r, dict)}
        assert by_text[f"{B}/32 echo = deny"]["denied"] == 3
        assert by_text[f"{B6}/128 echo = deny"]["denied"] == 3
        assert by_text[f"{B}/32 time-exceeded = deny"]["denied"] == 2
        assert by_text[f"{B}/32 echo = deny"]["at"] == f"{cfg}:{base.count(chr(10)) + 2}"
        smp = exporter_policy(pol)
        line_b = str(base.count("\n") + 2)
        assert smp[("icmpfp_policy_matched_total", line_b, "deny")] == 3
        assert smp[("icmpfp_policy_denied_total", line_b, "deny")] == 3
        assert ("icmpfp_policy_matched_total", "default", "allow") in smp
        assert "policy" in tel1(lab.file_prefix, "/icmpfp/config")

        # SIGHUP to the file without the Time Exceeded rules: hop 1 appears
        cfg.write_text(base + ECHO_RULES)
        lab.signal(signal.SIGHUP)
        wait_for(lambda: tel1(lab.file_prefix, "/icmpfp/config")["generation"] == 1,
                 10, what="the reload")
        assert tel1(lab.file_prefix, "/icmpfp/policy")["rules"] == 2
        assert US in traceroute(lab, B, "198.18.0.1")
        assert US6 in traceroute(lab, B6, "2001:db8:cafe::1", v6=True)
        assert ping(lab, B, US) == 0
        # a refused reload keeps the running policy
        cfg.write_text(base + "[policy]\n192.0.2.3/24 echo = deny\n")
        lab.signal(signal.SIGHUP)
        wait_for(lambda: tel1(lab.file_prefix, "/icmpfp/config")["reloads_failed"] == 1,
                 10, what="the refused reload")
        assert "host bits" in tel1(lab.file_prefix, "/icmpfp/config")["last_reload_error"]
        assert ping(lab, B, US) == 0 and ping(lab, A, US) == 3
        st = lab.stop()
    assert_conserved(st)
    assert st["dropped"]["policy_deny"] >= 3 + 3 + 2 + 2 + 3 + 3
