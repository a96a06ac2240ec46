#!/usr/bin/env bash
# Issue 12, item 4b: can the emulated node show the CPU packet budget's knee (SOFTNET_DROPS,
# SOFTNET_TIME_SQUEEZE)? Sends RATE datagrams a second for 3 s from the fabric into two pods (the
# smoke plan at 4 pods, sinks that never read) and prints the step's softnet deltas. On veth every
# datagram is delivered in the sender's own softirq, when its send re-enables bottom halves, so the
# backlog never holds more than a packet or two; a NIC's interrupt-driven NAPI poll is what fills
# it. Needs root. Usage: scale-tests/bench/softnet-blast.sh [RATE] [OUT]
set -euo pipefail
cd "$(dirname "$0")/../.."
. scale-tests/bench/machine.sh
rate=${1:-400000}
out=${2:-kdensity-out/softnet-blast}
mkdir -p "$out"
sed -e "s/^hold: 1s.*/hold: 3s\ntraffic:\n  udp: {enabled: true, pods: 2, rate: $rate, payload: 64, rcvbuf: 0}/" \
    -e 's/steps: \[2, 4\]/steps: [4]/' scale-tests/plans/smoke.yaml > "$out/plan.yaml"
machine start
./kdensity ramp --plan "$out/plan.yaml" --out "$out/run" --no-html >"$out/run.log" 2>&1 || true
machine end
python3 - "$out/run/summary.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["steps"][0]["metrics"]
for k in ["softnet.processed", "softnet.dropped", "softnet.time_squeeze",
          "softnet.netdev_max_backlog", "softnet.netdev_budget", "sock.udp6.RcvbufErrors"]:
    print(f"{k:28} {m.get(k, 'n/a'):>12}")
PY
