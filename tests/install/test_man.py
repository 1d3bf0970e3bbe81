"""The manual pages meson writes (build/man/): groff and man render them
without a warning, and they name every option of the programs' usage and
every key the configuration and profile parsers take."""
import os
import re
import subprocess

import pytest

from ifp_harness import BUILD, ICMPFP, REPLAY, ROOT, config_key_tables

PAGES = ["icmpfp.8", "icmpfp-replay.1", "icmpfp-exporter.1", "icmpfp-lpa.1", "icmpfpctl.8"]


def page_path(page):
    return os.path.join(BUILD, "man", page)


def render(page):
    """The page as man prints it: plain text, warnings on."""
    r = subprocess.run(["man", "--warnings", "-l", "-P", "cat", page_path(page)],
                       capture_output=True, text=True, timeout=60,
                       env={**os.environ, "MANWIDTH": "80", "LC_ALL": "C.UTF-8"})
    assert r.returncode == 0 and r.stderr == "", r.stderr
    # the hyphen and the minus come out as U+2010 and U+2212 in UTF-8
    return r.stdout.replace("\u2010", "-").replace("\u2212", "-")


@pytest.mark.parametrize("page", PAGES)
def test_groff_renders_the_page_without_warnings(page):
    r = subprocess.run(["groff", "-ww", "-man", "-z", page_path(page)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stderr == "", r.stderr


@pytest.mark.parametrize("page", PAGES)
def test_man_renders_the_page_without_warnings(page):
    out = render(page)
    name = page.rsplit(".", 1)[0]
    assert re.search(rf"^NAME\n\s+{re.escape(name)} - ", out, re.M), out[:400]
    for section in ("SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "SEE ALSO"):
        assert re.search(rf"^{section}$", out, re.M), (page, section)
    # every @VAR@ of the template was put in by meson
    with open(page_path(page)) as f:
        assert not re.search(r"@[A-Z_]+@", f.read())


def usage_options(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    opts = set(re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", r.stdout))
    assert opts, r.stdout
    return opts


def test_icmpfp_page_has_every_option_signal_and_exit_status():
    out = render("icmpfp.8")
    for opt in usage_options([ICMPFP, "--", "--help"]):
        assert re.search(rf"^\s+(-[\w-]+ \S+, |-[\w-]+, )*{re.escape(opt)}\b", out, re.M), opt
    for word in ("SIGHUP", "SIGINT", "SIGTERM", "ICMPFP_DRIVERS_CONF", "/etc/icmpfp/icmpfp.ini",
                 "/etc/default/icmpfp", "drivers-conf", "FILES", "SIGNALS", "CONFIGURATION"):
        assert word in out, word


def test_replay_and_exporter_pages_have_every_option():
    out = render("icmpfp-replay.1")
    for opt in usage_options([REPLAY, "--help"]):
        assert re.search(rf"^\s+(-[\w-]+ \S+, |-[\w-]+, )*{re.escape(opt)}\b", out, re.M), opt
    out = render("icmpfp-exporter.1")
    for opt in usage_options(["/usr/bin/python3", os.path.join(ROOT, "scripts",
                                                               "icmpfp-exporter.py"), "--help"]):
        assert re.search(rf"^\s+(-[\w-]+ \S+, |-[\w-]+, )*{re.escape(opt)}\b", out, re.M), opt
    out = render("icmpfpctl.8")
    ctl = ["/usr/bin/python3", os.path.join(ROOT, "scripts", "icmpfpctl.py")]
    for opt in usage_options(ctl + ["--help"]):
        assert re.search(rf"^\s+(-[\w-]+ \S+, |-[\w-]+, )*{re.escape(opt)}\b", out, re.M), opt
    # every command of its usage has its paragraph under COMMANDS
    for cmd in ("show stats", "show errors", "show runtime", "show ports", "show routes",
                "route get", "show lpa", "show config", "show policy", "trace add",
                "show trace", "trace clear", "clear", "reload", "watch"):
        assert re.search(rf"^\s+{cmd}\b", out, re.M), cmd
    out = render("icmpfp-lpa.1")
    tool = os.path.join(ROOT, "scripts", "icmpfp-lpa.py")
    for sub in ("send", "listen"):
        for opt in usage_options(["/usr/bin/python3", tool, sub, "--help"]):
            assert re.search(rf"^\s+(-[\w-]+ \S+, |-[\w-]+, )*{re.escape(opt)}\b", out,
                             re.M), (sub, opt)


def test_icmpfp_page_has_every_config_and_profile_key():
    keys = config_key_tables()
    assert {"address", "reply_ttl", "errors_per_sec", "rx_desc", "mbuf_size"} <= keys
    out = render("icmpfp.8")
    for k in sorted(keys):
        assert re.search(rf"\b{k}\b", out), k
    for section in ("[port N]", "[icmp]", "[routes]", "[ratelimit]", "[profile]"):
        assert section in out, section
