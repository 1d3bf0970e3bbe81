"""examples/prometheus/icmpfp-rules.yml: promtool accepts the rules and their
unit tests pass, every alert has a test, and every icmpfp_ metric the rules
read is one icmpfp-exporter serves (a renamed family would otherwise leave
an alert that can never fire)."""
import os
import re
import subprocess

from ifp_harness import ROOT

DIR = os.path.join(ROOT, "examples", "prometheus")
RULES = os.path.join(DIR, "icmpfp-rules.yml")
TESTS = os.path.join(DIR, "icmpfp-rules.test.yml")


def promtool(*args):
    r = subprocess.run(["promtool", *args], cwd=DIR, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def read(path):
    with open(path) as f:
        return f.read()


def test_promtool_checks_the_rules():
    assert "SUCCESS: " in promtool("check", "rules", RULES)


def test_promtool_unit_tests_pass():
    assert "SUCCESS" in promtool("test", "rules", TESTS)


def test_every_alert_has_a_unit_test_that_fires_it():
    alerts = re.findall(r"^\s+- alert: (\w+)$", read(RULES), re.M)
    assert len(alerts) >= 6, alerts
    tests = read(TESTS)
    for a in alerts:
        # a test that expects it to fire: alertname, then a non-empty exp_alerts
        assert re.search(rf"alertname: {a}\n\s+exp_alerts:\n\s+- exp_labels", tests), a


def exported_names():
    """The names icmpfp-exporter serves: counters with _total, gauges as
    they are, histograms with _bucket/_sum/_count."""
    src = read(os.path.join(ROOT, "scripts", "icmpfp-exporter.py"))
    names = set()
    for kind, name in re.findall(r'(Counter|Gauge|Histogram)MetricFamily\(\s*"(\w+)"', src):
        if kind == "Counter":
            names.add(name + "_total")
        elif kind == "Histogram":
            names |= {name + s for s in ("_bucket", "_sum", "_count")}
        else:
            names.add(name)
    # per_lcore(name, doc, key, kind=CounterMetricFamily): one per worker
    for name, kind in re.findall(r'per_lcore\(\s*"(\w+)",[^)]*?(kind=\w+)?\)', src):
        names.add(name if "Gauge" in kind else name + "_total")
    assert {"icmpfp_dropped_packets_total", "icmpfp_up", "icmpfp_rx_packets_total"} <= names
    return names


def test_every_metric_the_rules_read_is_exported():
    exprs = re.findall(r"^\s+expr: (\|\n(?:\s{10}.*\n)+|.*)$", read(RULES), re.M)
    used = set(re.findall(r"\bicmpfp_\w+", "\n".join(exprs)))
    assert used, exprs
    missing = sorted(used - exported_names())
    assert not missing, f"not served by icmpfp-exporter: {missing}"
