#!/usr/bin/env bash
# Issue 29: the first packet of each step's new pods on the default plan. Runs the main job's ramp
# RUNS times (default 3) and prints, per step, the wait from the first echo request to each new
# pod address to its first answer (attach.stage.first_answer) and the neighbour resolution inside
# it (attach.stage.neigh_resolve), p50 / p99 / max in ms, with the addresses the step lost, and each
# run's knee. Needs root; run it on a quiet machine; about 2-3 minutes a run on 2 cores.
# Usage: scale-tests/bench/first-answer.sh [RUNS] [OUT] [kdensity ramp options...]
set -euo pipefail
cd "$(dirname "$0")/../.."
. scale-tests/bench/machine.sh
runs=${1:-3}
out=${2:-kdensity-out/first-answer}
shift $(($# < 2 ? $# : 2))
./kdensity --version >/dev/null # builds once, outside the timings
rm -rf "$out"
mkdir -p "$out"
machine start
for i in $(seq 1 "$runs"); do
  ./kdensity ramp --out "$out/run-$i" --no-html "$@" >"$out/run-$i.log" 2>&1 || true
  python3 - "$out/run-$i/summary.json" "$i" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
def q(m, stage):
    v = [m.get(f"attach.stage.{stage}.{k}") for k in ("p50", "p99", "max")]
    return "-" if v[0] is None else " / ".join(f"{x:.2f}" if x < 10 else f"{x:.0f}" for x in v)
k = s.get("knee") or {}
lim = ", ".join(f["code"] for f in k.get("limiting", [])) or "-"
print(f"run {sys.argv[2]}: verdict {s['verdict']}, knee {k.get('firstFailingPods', '-')} pods ({k.get('lastPassingPods', '-')} passed), {lim}")
print(f"  {'pods':>5}  {'first answer p50 / p99 / max':<30} {'resolution in it':<30} lost")
for st in s["steps"]:
    m = st["metrics"]
    print(f"  {st['pods']:>5}  {q(m, 'first_answer'):<30} {q(m, 'neigh_resolve'):<30} {m.get('ip.lost', 0):.0f}")
PY
done
machine end
