#!/usr/bin/env python3
"""A mutation run over the packet parsers: does the suite notice a wrong
comparison, a wrong boolean operator, a constant off by one?

    scripts/mutate.py [--per-file N] [--seed S] [--whole-replay | --no-replay] FILE...

FILE: lib/ sources (default: the parsers ifp_options.c, ifp_exthdr.c,
ifp_lpa.c, ifp_nd.c). The tree is copied (git ls-files, as it is now) to a
temporary directory and built there once; then each mutant (one operator
changed on one line: < <= > >= == != swapped, && and || swapped, an integer
constant plus one) is built and run against the unit tests of its parser
(UNITS); a mutant they let live meets the replay files that exercise its
parser (FIRST; --whole-replay: then the rest of the suite too), stopping at
the first failure. A mutant that does not compile is counted apart. The
output ends with the kill rate and every survivor, file:line and the line
as mutated: a survivor is a test to write, or an equivalent mutant to
explain. Nothing in the working tree changes. About a minute a mutant on a
busy two-core box."""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT = ["lib/ifp_options.c", "lib/ifp_exthdr.c", "lib/ifp_lpa.c", "lib/ifp_nd.c"]

# (pattern, replacement) applied at one match of one line
OPERATORS = [
    (r"(?<![<>=!])<(?![<=])", "<="), (r"<=", "<"),
    (r"(?<![<>=!-])>(?![>=])", ">="), (r">=", ">"),
    (r"==", "!="), (r"!=", "=="),
    (r"&&", "||"), (r"\|\|", "&&"),
]
NUMBER = re.compile(r"(?<![\w.])(\d+)(?![\w.])")


def code_lines(path):
    """(index, line) of the lines that are code: not comments, preprocessor
    or blank, inside a function body (indented)."""
    out, in_comment = [], False
    with open(path) as f:
        for i, line in enumerate(f):
            s = line.strip()
            if in_comment:
                in_comment = "*/" not in s
                continue
            if s.startswith("/*"):
                in_comment = "*/" not in s
                continue
            if not s or s.startswith(("#", "//", "*")) or not line.startswith("\t"):
                continue
            out.append((i, line))
    return out


def mutants_of(path):
    """Every (line index, mutated line, what) of one file."""
    res = []
    for i, line in code_lines(path):
        code = line.split("/*")[0]
        for pat, rep in OPERATORS:
            for m in re.finditer(pat, code):
                # not the arrow of a->b nor an #include
                if code[m.start():m.start() + 2] == "->" or code[max(0, m.start() - 1):m.start() + 1] == "->":
                    continue
                res.append((i, line[:m.start()] + rep + line[m.end():],
                            f"{m.group(0)} -> {rep}"))
        if re.search(r"\b(if|while|return|for)\b|[<>=]=?", code):
            for m in NUMBER.finditer(code):
                n = int(m.group(1))
                res.append((i, line[:m.start()] + str(n + 1) + line[m.end():],
                            f"{n} -> {n + 1}"))
    return res


def sh(cmd, cwd, timeout=900):
    return subprocess.run(cmd, cwd=cwd, shell=True, capture_output=True, text=True,
                          timeout=timeout)


# the unit tests of each parser (every unit test for another file)
UNITS = {
    "ifp_options.c": ["test_answers", "test_proc"],
    "ifp_exthdr.c": ["test_ipv6"],
    "ifp_lpa.c": ["test_lpa"],
    "ifp_nd.c": ["test_ipv6", "test_lpa"],
}


def unit_tests(tree, mutated):
    tests = os.path.join(tree, "build", "tests")
    every = sorted(t for t in os.listdir(tests)
                   if t.startswith("test_") and os.path.isfile(os.path.join(tests, t)))
    return UNITS.get(os.path.basename(mutated), every)


def units_pass(tree, mutated=""):
    tests = os.path.join(tree, "build", "tests")
    for t in unit_tests(tree, mutated):
        p = os.path.join(tests, t)
        if os.access(p, os.X_OK) and os.path.isfile(p):
            try:
                r = subprocess.run([p, "--jobs", "2", "-q"], capture_output=True,
                                   timeout=300)
            except subprocess.TimeoutExpired:
                return False
            if r.returncode != 0:
                return False
    return True


# the replay files that exercise a parser first: a mutant they kill costs
# seconds, not the whole suite
FIRST = {
    "ifp_options.c": ["test_malformed_errors.py", "test_malformed.py", "test_answers.py",
                      "test_foundation.py"],
    "ifp_exthdr.c": ["test_ipv6.py", "test_transit6.py"],
    "ifp_lpa.c": ["test_lpa.py", "test_lpa6.py"],
    "ifp_nd.c": ["test_ipv6.py", "test_lpa6.py"],
}


def replay_passes(tree, mutated, whole):
    """The replay files that exercise the mutated parser (FIRST), or with
    whole the entire suite, those first; stops at the first failure."""
    env = dict(os.environ, IFP_BUILD=os.path.join(tree, "build"))
    d = os.path.join(tree, "tests", "replay")
    first = FIRST.get(os.path.basename(mutated), [])
    order = first + (sorted(f for f in os.listdir(d) if f.startswith("test_")
                            and f.endswith(".py") and f not in first) if whole else [])
    r = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                        *[os.path.join("tests", "replay", f) for f in order]], cwd=tree,
                       env=env, capture_output=True, text=True, timeout=1800)
    return r.returncode == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", default=DEFAULT)
    ap.add_argument("--per-file", type=int, default=8, help="mutants drawn per file (0: all)")
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--whole-replay", action="store_true",
                    help="a mutant the unit tests miss meets the whole replay suite, "
                    "not only the files of its parser")
    ap.add_argument("--no-replay", action="store_true",
                    help="units only: a mutant they miss counts as a survivor")
    a = ap.parse_args()

    tree = tempfile.mkdtemp(prefix="ifp-mutate-")
    try:
        files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                               check=True).stdout.split()
        for f in files:
            if os.path.exists(os.path.join(ROOT, f)):
                os.makedirs(os.path.dirname(os.path.join(tree, f)), exist_ok=True)
                shutil.copy2(os.path.join(ROOT, f), os.path.join(tree, f), follow_symlinks=False)
        r = sh("meson setup build -Dbench=false >/dev/null && ninja -C build >/dev/null", tree)
        if r.returncode != 0:
            sys.exit(f"mutate: the unmutated tree does not build:\n{r.stdout}{r.stderr}")
        if not units_pass(tree):
            sys.exit("mutate: the unit tests fail on the unmutated tree")
        rng = random.Random(a.seed)
        killed = stillborn = 0
        survivors, total = [], 0
        for f in a.files:
            path = os.path.join(tree, f)
            with open(path) as fh:
                orig = fh.readlines()
            ms = mutants_of(path)
            pick = ms if a.per_file == 0 or len(ms) <= a.per_file else rng.sample(ms, a.per_file)
            print(f"{f}: {len(ms)} mutants, running {len(pick)}", flush=True)
            # only what the run needs: its unit tests and the replay test build
            targets = " ".join(["app/icmpfp-replay-test"] +
                               [f"tests/{t}" for t in unit_tests(tree, f)])
            for i, new, what in sorted(pick):
                lines = list(orig)
                lines[i] = new
                with open(path, "w") as fh:
                    fh.writelines(lines)
                where = f"{f}:{i + 1}: {what}"
                if sh(f"ninja -C build {targets} >/dev/null 2>&1", tree).returncode != 0:
                    stillborn += 1
                    print(f"  {where}: does not compile", flush=True)
                    continue
                total += 1
                if not units_pass(tree, f):
                    killed += 1
                    print(f"  {where}: killed (unit)", flush=True)
                elif not a.no_replay and not replay_passes(tree, f, a.whole_replay):
                    killed += 1
                    print(f"  {where}: killed (replay)", flush=True)
                else:
                    survivors.append(f"{where}\n      {new.strip()}")
                    print(f"  {where}: SURVIVED", flush=True)
            with open(path, "w") as fh:
                fh.writelines(orig)
            sh("ninja -C build >/dev/null 2>&1", tree)
        print(f"\nkilled {killed} of {total} mutants ({100.0 * killed / max(total, 1):.0f}%); "
              f"{stillborn} did not compile; seed {a.seed}, {a.per_file} a file, "
              f"{'whole replay' if a.whole_replay else 'replay files of the parser'}")
        for s in survivors:
            print(f"  survivor: {s}")
    finally:
        shutil.rmtree(tree, ignore_errors=True)


if __name__ == "__main__":
    main()
