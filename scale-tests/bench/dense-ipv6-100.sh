#!/usr/bin/env bash
# Issue 12, item 0: the plan of LimitsIT (default plan, one step of 100 pods × 5, bisection off)
# under the dense-ipv6 profile must pass every time: a lost address there is the harness's own
# race, not a limit of the node. Runs it N times and counts passes and IP_LOSS. Needs root.
# Usage: scale-tests/bench/dense-ipv6-100.sh [RUNS] [OUT]
set -euo pipefail
cd "$(dirname "$0")/../.."
. scale-tests/bench/machine.sh
runs=${1:-10}
out=${2:-kdensity-out/dense-ipv6-100}
mkdir -p "$out"
plan="$out/plan.yaml"
sed -e 's/^name: default/name: dense-ipv6-100/' \
    -e '/^ramp:/,/^  max:/c\ramp:\n  steps: [100]' \
    -e '/^bisect:/,/^  enabled:/s/enabled: true/enabled: false/' \
    scale-tests/plans/default.yaml > "$plan"
machine start
passed=0; iploss=0
for i in $(seq 1 "$runs"); do
  rc=0
  ./kdensity ramp --plan "$plan" --profile dense-ipv6 --out "$out/run-$i" --no-html >"$out/run-$i.log" 2>&1 || rc=$?
  lost=$(grep -c '"code" : "IP_LOSS"' "$out/run-$i/summary.json" 2>/dev/null || true)
  [ "$rc" = 0 ] && passed=$((passed + 1))
  [ "${lost:-0}" -gt 0 ] && iploss=$((iploss + 1))
  echo "run $i: exit $rc, IP_LOSS findings ${lost:-0}"
done
machine end
echo "dense-ipv6 100 pods × 5: $passed of $runs runs passed, $iploss with IP_LOSS"
[ "$passed" = "$runs" ]
