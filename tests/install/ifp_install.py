"""What the install tests share: the build's install paths (meson
introspect), and the files `meson install` must put under the prefix."""
import json
import os
import subprocess

from ifp_harness import BUILD, ROOT


def build_options():
    """The build's options (prefix, bindir, datadir, mandir, ...) by name."""
    r = subprocess.run(["meson", "introspect", "--buildoptions", BUILD],
                       capture_output=True, text=True, timeout=60, check=True)
    return {o["name"]: o["value"] for o in json.loads(r.stdout)}


def expected_files(o):
    """Every file meson installs, relative to the prefix (the unit directory
    may be absolute: -Dsystemdunitdir)."""
    datadir, doc = o["datadir"], os.path.join(o["datadir"], "doc", "icmpfp")
    units = o["systemdunitdir"] or os.path.join("lib", "systemd", "system")
    files = {os.path.join(o["bindir"], b) for b in ("icmpfp", "icmpfp-replay",
                                                     "icmpfp-exporter", "icmpfp-lpa",
                                                     "icmpfpctl")}
    files |= {os.path.join(datadir, "icmpfp", "drivers-conf", f)
              for f in os.listdir(os.path.join(ROOT, "drivers-conf"))}
    files |= {os.path.join(doc, "examples", f)
              for f in ("icmpfp.ini", "icmpfp.default", "icmpfp-exporter.default",
                        "policy-edge.ini", "prometheus/icmpfp-rules.yml",
                        "prometheus/icmpfp-rules.test.yml")}
    docs = os.path.join(ROOT, "docs")
    for d, _, names in os.walk(docs):
        files |= {os.path.join(doc, os.path.relpath(os.path.join(d, n), docs))
                  for n in names}
    files |= {os.path.join(o["mandir"], "man8", "icmpfp.8"),
              os.path.join(o["mandir"], "man1", "icmpfp-replay.1"),
              os.path.join(o["mandir"], "man1", "icmpfp-exporter.1"),
              os.path.join(o["mandir"], "man1", "icmpfp-lpa.1"),
              os.path.join(o["mandir"], "man8", "icmpfpctl.8")}
    files.add(os.path.join(datadir, "bash-completion", "completions", "icmpfpctl"))
    files |= {os.path.join(units, u) for u in ("icmpfp.service", "icmpfp-exporter.service")}
    return files
