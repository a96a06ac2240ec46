#!/usr/bin/env bash
# Issue 27, item 1: does the steady-state capacity repeat? Runs RUNS steady-state ramps of the
# default plan one after the other (`ramp --steady`: a step that fails at once is held 50 s with its
# traffic and measured again; then the burst tolerance at the capacity) and prints each run's
# steady-state knee, what passed below it, the bring-up refusals of the held steps and the burst
# tolerance; then min/median/max of the knees and of a plain ramp's for comparison (the first
# failing step before any hold, read from the same runs). About 10 minutes a run on 2 cores.
# Needs root and a quiet machine. Usage: scale-tests/bench/steady-repeat.sh [RUNS] [OUT] [RAMP ARGS…]
set -euo pipefail
cd "$(dirname "$0")/../.."
. scale-tests/bench/machine.sh
runs=${1:-5}
out=${2:-kdensity-out/steady-repeat}
shift $(($# < 2 ? $# : 2))
rm -rf "$out"
mkdir -p "$out"
machine start
for i in $(seq 1 "$runs"); do
  dir="$out/run-$i"
  t0=$(date +%s)
  ./kdensity ramp --steady --out "$dir" --no-html "$@" >"$dir.log" 2>&1 || true
  python3 - "$dir/summary.json" "$i" "$(($(date +%s) - t0))" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
k = s.get("knee") or {}
held = [f'{o["pods"]}{"" if o["passed"] else " failed"} (bring-up refused {int(o["metrics"].get("bringup.neigh.table_fulls", 0))})'
        for o in s["steps"] if o["metrics"].get("steady.held", 0) > 0]
at_once = min([o["pods"] for o in s["steps"] if o["metrics"].get("steady.held", 0) > 0 or not o["passed"]] or [0])
b = (s.get("steady") or {}).get("burst")
burst = "not measured" if b is None else (
    f'{b["tolerated"]} at once at {b["density"]}'
    + ("" if b["overflowed"] is None else f', {b["overflowed"]} refused')
    + " [" + ", ".join(f'{t["burst"]} from {t["from"]}: {t["refused"]}' for t in b["tries"]) + "]")
print(f'run {sys.argv[2]} ({int(sys.argv[3]) // 60} min {int(sys.argv[3]) % 60:02d} s): steady-state knee {k.get("firstFailingPods")}'
      f' ({k.get("lastPassingPods")} passed); first step failing at once {at_once};'
      f' held: {"; ".join(held) or "none"}; burst tolerance {burst}')
PY
done
python3 - "$out" "$runs" <<'PY'
import json, sys, statistics
knees, first = [], []
for i in range(1, int(sys.argv[2]) + 1):
    s = json.load(open(f"{sys.argv[1]}/run-{i}/summary.json"))
    knees.append(s["knee"]["firstFailingPods"] if s.get("knee") else None)
    first.append(min([o["pods"] for o in s["steps"] if o["metrics"].get("steady.held", 0) > 0 or not o["passed"]] or [0]))
k = [x for x in knees if x is not None]
print(f"steady-state knees: {knees}; min {min(k)} median {statistics.median(k)} max {max(k)}; spread {max(k) - min(k)} pods")
print(f"first step failing at once (a plain ramp's knee before bisection): {first}; spread {max(first) - min(first)} pods")
PY
machine end
