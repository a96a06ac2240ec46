#!/usr/bin/env bash
# Issue 27, item 3: does the default gate know the knee's noise? Records a baseline of the default
# plan with BASE trials, then gates RUNS runs of TRIALS trials each with ci/gate.yaml: first on the
# unchanged node (every gate should pass), then with gc_thresh3 lowered by a quarter to 768 (every
# gate should fail). Prints each run's trial knees and the gate's knee row and verdict, and the
# counts. The ramps use --attach netlink (34 s each instead of 2-3 min; the same
# NEIGH_TABLE_OVERFLOW knee, see docs/design.md), so a gate run of 3 trials takes about 2 minutes.
# With STEADY=1 every ramp is a steady-state one (`--steady`, without the burst search: a plan copy
# with `steady: {burst: false}`), about 3-4 minutes a ramp.
# Needs root and a quiet machine. Usage: [STEADY=1] scale-tests/bench/gate-noise.sh [RUNS] [TRIALS] [BASE] [OUT]
set -euo pipefail
cd "$(dirname "$0")/../.."
. scale-tests/bench/machine.sh
runs=${1:-10}
trials=${2:-3}
base=${3:-5}
out=${4:-kdensity-out/gate-noise}
rm -rf "$out"
mkdir -p "$out"
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
machine start
./kdensity ramp --attach netlink "${mode[@]}" --trials "$base" --out "$out/baseline" --no-html >"$out/baseline.log" 2>&1 || true
./kdensity baseline update --summary "$out/baseline/summary.json" --baseline "$out/baseline.json" >/dev/null
echo "baseline ($base trials): knees $(knees "$out/baseline/summary.json")"
for case in unchanged lowered; do
  profile=()
  [ "$case" = lowered ] && profile=(--profile "$out/lowered.yaml")
  passed=0
  for i in $(seq 1 "$runs"); do
    dir="$out/$case-$i"
    ./kdensity ramp --attach netlink "${mode[@]}" --trials "$trials" "${profile[@]}" --out "$dir" --no-html >"$dir.log" 2>&1 || true
    rc=0
    ./kdensity gate --summary "$dir/summary.json" --baseline "$out/baseline.json" --rules ci/gate.yaml >"$dir.gate" 2>&1 || rc=$?
    [ "$rc" = 0 ] && passed=$((passed + 1))
    row=$(grep '^knee' "$dir.gate" | sed 's/  */ /g')
    failing=$(grep -E ' FAIL( |$)' "$dir.gate" | cut -c1-40 | tr '\n' ';' || true)
    echo "$case $i: knees $(knees "$dir/summary.json"); gate exit $rc; $row${failing:+; failing: $failing}"
  done
  echo "$case: $passed of $runs gates passed"
done
machine end
