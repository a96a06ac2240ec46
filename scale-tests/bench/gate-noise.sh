#!/usr/bin/env bash
# Issue 27, item 3: does the default gate know the knee's noise? Records a baseline of the default
# plan with BASE trials, then gates RUNS pairs of runs of TRIALS trials each with ci/gate.yaml: one
# on the unchanged node (every gate should pass), then one with gc_thresh3 lowered by a quarter to
# 768 (every gate should fail), pair after pair so that both sides see the same machine. Prints
# each run's trial knees and the gate's knee row and verdict, and the counts. The ramps use
# --attach netlink (34 s each instead of 2-3 min; the same NEIGH_TABLE_OVERFLOW knee, see
# docs/design.md), so a gate run of 3 trials takes about 2 minutes.
# With STEADY=1 every ramp is a steady-state one (`--steady`, without the burst search: a plan copy
# with `steady: {burst: false}`), about 3-4 minutes a ramp, 20 minutes a pair.
# UNTIL=HH:MM starts no pair after that time (local clock), so a long proof can end cleanly; with
# RESUME=1 the loop keeps OUT's baseline and runs and goes on with the next pair, so the proof can
# be completed later against the same baseline. The counts cover every pair in OUT.
# Needs root and a quiet machine.
# Usage: [STEADY=1] [UNTIL=HH:MM] [RESUME=1] scale-tests/bench/gate-noise.sh [RUNS] [TRIALS] [BASE] [OUT]
set -euo pipefail
cd "$(dirname "$0")/../.."
. scale-tests/bench/machine.sh
runs=${1:-10}
trials=${2:-3}
base=${3:-5}
out=${4:-kdensity-out/gate-noise}
if [ "${RESUME:-0}" != 1 ]; then
  rm -rf "$out"
fi
mkdir -p "$out"
# a resumed proof must measure as its baseline did: steady and plain knees are different measures
if [ -f "$out/steady" ] && [ "$(cat "$out/steady")" != "${STEADY:-0}" ]; then
  echo "gate-noise: $out was recorded with STEADY=$(cat "$out/steady"); resume it with the same" >&2
  exit 2
fi
echo "${STEADY:-0}" >"$out/steady"
mode=()
if [ "${STEADY:-0}" = 1 ]; then
  sed 's/^name: default$/name: default-steady/' scale-tests/plans/default.yaml >"$out/steady.yaml"
  printf 'steady: {burst: false}\n' >>"$out/steady.yaml"
  mode=(--steady --plan "$out/steady.yaml")
fi
cat >"$out/lowered.yaml" <<'YAML'
name: gc-thresh3-768
description: kernel defaults with the neighbour tables' hard limit lowered by a quarter
extends: kernel-defaults
sysctl:
  net.ipv6.neigh.default.gc_thresh3: {value: 768, reason: "a limit that really dropped: the gate must see it"}
  net.ipv4.neigh.default.gc_thresh3: {value: 768, reason: "a limit that really dropped: the gate must see it"}
YAML
knees() { # summary.json -> the trials' knees
  python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(",".join(str(t["firstFailingPods"]) for t in s.get("trials", [])))' "$1"
}
deadline_passed() { # true when UNTIL is set and the clock is past it
  [ -n "${UNTIL:-}" ] && [ "$(date +%H%M)" -ge "${UNTIL/:/}" ]
}
gated() { # case index: one gate run, its exit code kept in OUT/case-i.rc
  local case=$1 i=$2 dir="$out/$1-$2" rc=0 profile=()
  if [ "$case" = lowered ]; then profile=(--profile "$out/lowered.yaml"); fi
  ./kdensity ramp --attach netlink "${mode[@]}" --trials "$trials" "${profile[@]}" --out "$dir" --no-html >"$dir.log" 2>&1 || true
  ./kdensity gate --summary "$dir/summary.json" --baseline "$out/baseline.json" --rules ci/gate.yaml >"$dir.gate" 2>&1 || rc=$?
  echo "$rc" >"$dir.rc"
  local row failing
  row=$(grep '^knee' "$dir.gate" | sed 's/  */ /g' || true)
  failing=$(grep -E ' FAIL( |$)' "$dir.gate" | cut -c1-40 | tr '\n' ';' || true)
  echo "$case $i: knees $(knees "$dir/summary.json" 2>/dev/null || echo none); gate exit $rc; $row${failing:+; failing: $failing}"
}
machine start
if [ ! -f "$out/baseline.json" ]; then
  ./kdensity ramp --attach netlink "${mode[@]}" --trials "$base" --out "$out/baseline" --no-html >"$out/baseline.log" 2>&1 || true
  ./kdensity baseline update --summary "$out/baseline/summary.json" --baseline "$out/baseline.json" >/dev/null
fi
echo "baseline: knees $(knees "$out/baseline/summary.json")"
first=1
while [ -f "$out/unchanged-$first.rc" ] && [ -f "$out/lowered-$first.rc" ]; do first=$((first + 1)); done
for i in $(seq "$first" $((first + runs - 1))); do
  if deadline_passed; then
    echo "UNTIL $UNTIL passed: no pair $i"
    break
  fi
  gated unchanged "$i"
  gated lowered "$i"
done
for case in unchanged lowered; do
  total=0 passed=0
  for rc in "$out/$case"-*.rc; do
    [ -f "$rc" ] || continue
    total=$((total + 1))
    if [ "$(cat "$rc")" = 0 ]; then passed=$((passed + 1)); fi
  done
  echo "$case: $passed of $total gates passed"
done
machine end
