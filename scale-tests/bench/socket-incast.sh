#!/usr/bin/env bash
# Issue 12, item 4: the socket-buffer knee of scale-tests/plans/socket-incast.yaml at kernel
# defaults, and what dense-ipv6 (rmem_default 1 MiB) makes of it. Runs the plan RUNS times with
# each profile and prints every run's knee and the receive-buffer drops at it, then min/median/max.
# Needs root. Usage: scale-tests/bench/socket-incast.sh [RUNS] [OUT]
set -euo pipefail
cd "$(dirname "$0")/../.."
. scale-tests/bench/machine.sh
runs=${1:-5}
out=${2:-kdensity-out/socket-incast}
mkdir -p "$out"
knee() { # summary.json -> "knee drops" (knee "none" when every step passed)
  python3 - "$1" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
failed = [st for st in s["steps"] if not st["passed"]]
if not failed:
    print("none", 0)
else:
    k = min(failed, key=lambda st: st["pods"])
    print(k["pods"], int(k["metrics"].get("sock.udp6.RcvbufErrors", 0)))
PY
}
machine start
for profile in kernel-defaults dense-ipv6; do
  knees=()
  for i in $(seq 1 "$runs"); do
    rc=0
    ./kdensity ramp --plan scale-tests/plans/socket-incast.yaml --profile "$profile" \
      --out "$out/$profile-$i" --no-html >"$out/$profile-$i.log" 2>&1 || rc=$?
    read -r k drops < <(knee "$out/$profile-$i/summary.json")
    echo "$profile run $i: exit $rc, knee $k pods, $drops datagrams dropped on full receive buffers there"
    knees+=("$k")
  done
  echo "$profile knees: $(printf '%s\n' "${knees[@]}" | sort -n | tr '\n' ' ')"
done
machine end
