#!/usr/bin/env bash
# Issue: 2,000 pods × (eth0 + 5 macvlan IPv6 interfaces) = 12,000 interfaces on this machine, all
# probes at every step, a 20-step ramp including teardown in ≤ 15 minutes; harness overhead
# (probes, settle polling, scale orchestration) per step at 10,000 interfaces. Needs root.
# Usage: scale-tests/bench/ramp-2000x5.sh [OUT] [PLAN]
#   PLAN defaults to scale-tests/plans/dt-2000x5.yaml (fixed per-pod ips); pass
#   scale-tests/plans/dt-2000x5-host-local.yaml to measure the same ramp with host-local IPAM.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-kdensity-out/dt-2000x5}
plan=${2:-scale-tests/plans/dt-2000x5.yaml}
source scale-tests/bench/machine.sh
./kdensity --version >/dev/null # builds once, outside the timings
machine start
t0=$(date +%s%N)
./kdensity ramp --plan "$plan" --out "$out" --no-html || true
t1=$(date +%s%N)
machine end
echo "wall (command start to end): $(((t1 - t0) / 1000000)) ms"
./kdensity bench ramp-figures "$out/summary.json" 10000
