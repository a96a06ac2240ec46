#!/usr/bin/env bash
# Issue 15: the dt-2000x5 ramp (2,000 pods x eth0 + 5 macvlan IPv6, 20 steps, all probes every
# step, dense-ipv6 profile) in `attach: netlink` mode and with the CNI plugins, one after the other
# in the same run of this bench, each timed from the command's start to its end (setup, 20 steps,
# teardown including the kernel freeing the namespaces), after the floor: the same kernel objects
# created bare (scale-tests/bench/netlink-floor.sh). Between runs it pauses 20 s, as the kernel
# goes on freeing the last run's namespaces in the background for a while (load average up to 6
# after a CNI run). Needs root and a quiet machine (~8 minutes).
# Usage: scale-tests/bench/attach-modes.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scale-tests/bench/machine.sh
out=${1:-kdensity-out/attach-modes}
plan=scale-tests/plans/dt-2000x5.yaml
./kdensity --version >/dev/null # builds once, outside the timings
floor=$(scale-tests/bench/netlink-floor.sh | tee "$out-floor.log" | sed -n 's/^floor: .* total \([0-9]*\) ms$/\1/p')
declare -A wall
for mode in netlink cni; do
  sleep 20
  machine "start $mode"
  t0=$(date +%s%N)
  ./kdensity ramp --plan "$plan" --attach "$mode" --out "$out/$mode" --no-html >"$out-$mode.log" 2>&1 || true
  t1=$(date +%s%N)
  machine "end $mode"
  wall[$mode]=$(((t1 - t0) / 1000000))
  grep '^verdict' "$out-$mode.log" || tail -3 "$out-$mode.log"
  ./kdensity bench ramp-figures "$out/$mode/summary.json" 10000 | tail -1
done
fmt() { printf '%d min %04.1f s' $(($1 / 60000)) "$(echo "scale=1; $(($1 % 60000)) / 1000" | bc)"; }
echo "dt-2000x5 netlink: $(fmt "${wall[netlink]}") wall (goal: 2 min)"
echo "dt-2000x5 cni:     $(fmt "${wall[cni]}") wall → netlink $(echo "scale=1; ${wall[cni]} / ${wall[netlink]}" | bc)x faster"
echo "floor (bare creation of the same objects, no DAD wait, no probes, no traffic): $(fmt "$floor")"
