"""The daemon starts in its fast configuration: on a CPU that runs AVX-512
at full clock (AMD Zen 4 and later, Intel since Ice Lake) it raises DPDK's
256-bit SIMD cap to 512 and picks the AVX-512 checksum kernel, and says so;
--force-max-simd-bitwidth still wins."""
import os
import re
import signal
import subprocess

import pytest

from ifp_harness import ICMPFP, ROOT, eal_runtime_remove
from ifp_lab import require_root
from ifp_ops import wait_for

PREFIX = f"icmpfp-ifp4s{os.getpid() % 10000}"


def cpu():
    with open("/proc/cpuinfo") as f:
        text = f.read()
    flags = set(re.search(r"^flags\s*:(.*)$", text, re.M).group(1).split())
    vendor = re.search(r"^vendor_id\s*:\s*(\S+)", text, re.M).group(1)
    return vendor, flags


def expected_kernel(forced):
    vendor, flags = cpu()
    has512 = {"avx512f", "avx512bw", "avx512vl"} <= flags
    cheap = has512 and (vendor == "AuthenticAMD" or "avx512_vbmi2" in flags)
    width = forced or (512 if cheap else 256)
    if width >= 512 and has512:
        return "avx512", width
    if width >= 256 and "avx2" in flags:
        return "avx2", width
    return "scalar", width


def start_log(tmp_path, *eal):
    require_root()
    log = tmp_path / "icmpfp.log"
    with open(log, "w") as logf:
        proc = subprocess.Popen([ICMPFP, "-l", "0-1", "--no-huge", "-m", "256", "--no-pci",
                                 "--file-prefix", PREFIX, "--vdev", "net_null0", *eal, "--",
                                 "-c", os.path.join(ROOT, "scripts", "lab.ini")],
                                stdout=logf, stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: "running on" in log.read_text() or proc.poll() is not None, 30,
                     what="icmpfp started")
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
                proc.wait(timeout=30)
            eal_runtime_remove(PREFIX)
    return log.read_text()


@pytest.mark.parametrize("forced", [None, 256, 512])
def test_the_checksum_kernel_is_the_fast_one_unless_the_user_limits_it(tmp_path, forced):
    eal = [f"--force-max-simd-bitwidth={forced}"] if forced else []
    out = start_log(tmp_path, *eal)
    kernel, width = expected_kernel(forced)
    assert f"checksum kernel: {kernel} (SIMD width {width})" in out, out
    assert "Cannot set max SIMD bitwidth" not in out, out
