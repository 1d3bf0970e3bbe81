"""scripts/icmpfpctl.bash completes what icmpfpctl's parser takes: the
commands, the views of `show`, the verbs of `trace` and `route`, the words
of `trace add`; in plain bash (no bash-completion package needed)."""
import argparse
import importlib.util
import os
import subprocess

from ifp_harness import ROOT

SCRIPT = os.path.join(ROOT, "scripts", "icmpfpctl.bash")


def complete(*words):
    """COMPREPLY for the command line `words` (the last one being typed)."""
    line = " ".join(f"'{w}'" for w in words)
    r = subprocess.run(["bash", "-c", f'source "{SCRIPT}"; COMP_WORDS=({line}); '
                        f"COMP_CWORD={len(words) - 1}; COMPREPLY=(); _icmpfpctl; "
                        'printf "%s\\n" "${COMPREPLY[@]}"'],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    return set(r.stdout.split())


def ctl_parser():
    spec = importlib.util.spec_from_file_location(
        "icmpfpctl", os.path.join(ROOT, "scripts", "icmpfpctl.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.parser()


def subparsers(p):
    return next(a for a in p._actions if isinstance(a, argparse._SubParsersAction)).choices


def choices(p, dest):
    return set(next(a for a in p._actions if a.dest == dest).choices)


def test_the_commands_and_options_complete():
    p = ctl_parser()
    got = complete("icmpfpctl", "")
    assert set(subparsers(p)) <= got, got
    opts = {o for a in p._actions for o in a.option_strings}
    assert opts <= got, opts - got


def test_the_words_after_each_command_complete():
    sub = subparsers(ctl_parser())
    assert complete("icmpfpctl", "show", "") == choices(sub["show"], "what")
    assert complete("icmpfpctl", "-f", "box", "--json", "show", "er") == {"errors"}
    assert complete("icmpfpctl", "show", "trace", "") == {"--file"}
    assert complete("icmpfpctl", "trace", "") == choices(sub["trace"], "verb")
    assert complete("icmpfpctl", "route", "") == choices(sub["route"], "verb")
    assert complete("icmpfpctl", "trace", "add", "5", "") == {"src", "port", "dropped"}
    assert complete("icmpfpctl", "trace", "add", "5", "src", "") == set()
