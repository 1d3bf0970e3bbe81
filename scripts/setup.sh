#!/usr/bin/env bash
# Install every Debian package icmpfp, its tests and its benchmarks need,
# then build. Idempotent: packages already there are not fetched again.
#   scripts/setup.sh            packages + build (release, -O3) in build/
#   scripts/setup.sh --no-build packages only
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
    # build
    build-essential meson ninja-build pkg-config
    dpdk dpdk-dev libdpdk-dev libnuma-dev libpcap-dev libcriterion-dev
    libsystemd-dev
    # fuzzing and sanitizers
    clang libclang-rt-14-dev
    # tests: packet crafting, decoding, real clients
    python3 python3-scapy python3-pytest tshark
    iproute2 iputils-ping iputils-tracepath arping hping3 traceroute nmap ethtool
    ndisc6 netcat-openbsd
    # frag6 --frag-id-policy (tests/lab/test_lab_frag6.py)
    ipv6toolkit
    # operator tools (prometheus: promtool checks the exporter's output and
    # examples/prometheus; tmux: icmpfpctl watch's test draws in one)
    python3-prometheus-client prometheus curl jq tmux
    # systemd-analyze verifies the units in scripts/
    systemd
    # the Debian package (dpkg-buildpackage -b, lintian) and the man pages
    # (man -l, groff -ww)
    debhelper dpkg-dev fakeroot lintian man-db groff-base
    # benchmarks
    gnuplot-nox valgrind
)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: need root to install: ${missing[*]}" >&2
        exit 1
    fi
    echo "setup: installing ${missing[*]}"
    apt-get update -qq
    # tshark asks whether non-root users may capture; answer no, unattended
    echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "${1:-}" != "--no-build" ]; then
    if [ ! -f build/build.ninja ]; then
        meson setup build >/dev/null
    fi
    ninja -C build >/dev/null
    echo "setup: built build/app/icmpfp and build/app/icmpfp-replay"
fi
