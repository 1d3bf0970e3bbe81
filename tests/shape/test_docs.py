"""The user manual lives in the repository (docs/) and names everything an
operator meets: every config key, answer kind, drop reason, counter,
telemetry command and exporter family. The README links only inside the
repository: a clone has nothing else."""
import glob
import itertools
import os
import re

from ifp_harness import ROOT, config_key_tables

DOCS = os.path.join(ROOT, "docs")


def read(*parts):
    with open(os.path.join(ROOT, *parts)) as f:
        return f.read()


def docs_text():
    return "\n".join(read(p) for p in sorted(glob.glob(os.path.join(DOCS, "*.md"))))


def code_words():
    """Every word inside a `code span` of the docs."""
    words = set()
    for span in re.findall(r"`([^`\n]+)`", docs_text()):
        words.update(re.findall(r"[A-Za-z0-9_/]+", span))
    return words


def expand_braces(text):
    """icmpfp_{rx,tx}_packets -> icmpfp_rx_packets icmpfp_tx_packets"""
    out = []
    for m in re.finditer(r"icmpfp_[A-Za-z0-9_{},|]+", text):
        parts = re.split(r"\{([^}]*)\}", m.group(0))
        choices = [[p] if i % 2 == 0 else p.split(",") for i, p in enumerate(parts)]
        out += ["".join(c) for c in itertools.product(*choices)]
    return out


def x_macro_names(table):
    text = read("lib", "ifp_stats.h")
    body = text[text.index(f"#define {table}(X)"):]
    body = body[:body.index("\n\n")]
    return re.findall(r'X\(\w+,\s*"([a-z0-9_]+)"', body)


def test_every_drop_reason_and_answer_kind_is_documented():
    words = code_words()
    names = x_macro_names("IFP_DROP_REASONS") + x_macro_names("IFP_ANSWER_KINDS")
    assert len(names) > 40
    missing = [n for n in names if n not in words]
    assert not missing, f"not in docs/: {missing}"


def test_every_config_key_is_documented():
    keys = config_key_tables()
    # the words of `unreachable CODE`: {"name", ICMP code, ICMPv6 code}
    keys |= set(re.findall(r'\{"([a-z0-9_-]+)", -?\d+, -?\d+\}', read("lib", "ifp_route.c")))
    assert {"address", "reply_ttl", "echo_per_sec", "mbuf_size", "host-prohibited",
            "policy", "advertise_to", "tx_fast_free", "link_local"} <= keys
    words = code_words()
    missing = sorted(k for k in keys if not set(re.findall(r"[a-z0-9_]+", k)) <= words)
    assert not missing, f"config keys not in docs/: {missing}"


def test_every_counter_of_the_json_is_documented():
    keys = re.findall(r'\\"([a-z_]+)\\": %', read("app", "ifp_report.c"))
    assert "rx" in keys and "originated" in keys
    words = code_words()
    missing = [k for k in keys if k not in words]
    assert not missing, f"counters not in docs/: {missing}"


def test_every_telemetry_command_and_exporter_family_is_documented():
    words = code_words()
    cmds = set(re.findall(r'"(/icmpfp/[a-z]+)', read("app", "ifp_telemetry.c")))
    assert "/icmpfp/stats" in cmds
    missing = sorted(c for c in cmds if c not in words)
    assert not missing, f"telemetry commands not in docs/: {missing}"
    families = set(re.findall(r'"(icmpfp_[a-z_]+)"', read("scripts", "icmpfp-exporter.py")))
    documented = expand_braces(docs_text())
    missing = sorted(f for f in families if not any(d.startswith(f) for d in documented))
    assert not missing, f"exporter families not in docs/: {missing}"


def test_readme_and_docs_link_only_inside_the_repository():
    files = [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(DOCS, "*.md")))
    assert len(files) > 3, "no docs/"
    for path in files:
        with open(path) as f:
            text = f.read()
        assert "../shared" not in text and "design.md" not in text, path
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if re.match(r"[a-z]+:", target):
                continue
            assert os.path.exists(os.path.join(os.path.dirname(path), target)), \
                f"{path}: link to {target}"
