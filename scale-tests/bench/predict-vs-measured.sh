#!/usr/bin/env bash
# Issue 29, item 2: the capacity model against the ramp. For each case, `kdensity predict` (the
# plan's first two steps, each held in steady state) and then a full `kdensity ramp` of the same
# plan on a fresh node, and one line: the first limit predicted with its range, the knee measured
# with its finding, and whether the knee is in the range (rounded up to the ramp's grid). A case is
# a plan, optionally with ramp options after a colon ("plans/bridge-flood.yaml:--pods 1100
# --profile dense-ipv6" predicts only: its ramp would take an hour). Needs root and a quiet machine;
# about 6 minutes a case on 2 cores.
# Usage: scale-tests/bench/predict-vs-measured.sh [OUT] [CASE…]
set -euo pipefail
cd "$(dirname "$0")/../.."
. scale-tests/bench/machine.sh
out=${1:-kdensity-out/predict-vs-measured}
shift $(($# < 1 ? $# : 1))
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  cases=(scale-tests/plans/default.yaml scale-tests/plans/socket-incast.yaml
    "scale-tests/plans/bridge-flood.yaml:--pods 1100 --profile dense-ipv6")
fi
rm -rf "$out"
mkdir -p "$out"
machine start
i=0
for c in "${cases[@]}"; do
  i=$((i + 1))
  plan=${c%%:*}
  opts=""
  [ "$plan" != "$c" ] && opts=${c#*:}
  dir="$out/case-$i"
  mkdir -p "$dir"
  t0=$(date +%s)
  # shellcheck disable=SC2086 # the case's options are words
  ./kdensity predict --plan "$plan" --out "$dir/predict" --no-html $opts >"$dir/predict.log" 2>&1 || true
  t1=$(date +%s)
  if [ -z "$opts" ]; then
    ./kdensity ramp --plan "$plan" --out "$dir/ramp" --no-html >"$dir/ramp.log" 2>&1 || true
  fi
  t2=$(date +%s)
  python3 - "$dir" "$plan" "$opts" "$((t1 - t0))" "$((t2 - t1))" <<'PY'
import json, os, sys
d, plan, opts, tp, tr = sys.argv[1:6]
p = json.load(open(f"{d}/predict/summary.json")).get("prediction")
if p is None:
    print(f"{plan} {opts}: no prediction (see {d}/predict.log)")
    sys.exit(0)
def first(p):
    for h in p["limits"]:
        if h.get("breaksFrom") is not None and h["breaksFrom"] <= p["pods"]:
            return h
first_limit = first(p)
pred = "nothing up to %d pods" % p["pods"] if first_limit is None else "%s at %s–%s" % (
    first_limit["code"], first_limit["breaksFrom"], first_limit["breaksBy"])
line = f'{os.path.basename(plan)} {opts}'.strip() + f": predicted {pred} (calibration {tp} s)"
if os.path.exists(f"{d}/ramp/summary.json"):
    s = json.load(open(f"{d}/ramp/summary.json"))
    k = s.get("knee")
    if k is None:
        line += f"; measured: no knee ({tr} s)"
    else:
        codes = sorted({f["code"] for f in k.get("limiting", [])})
        grid = k["firstFailingPods"] - k["lastPassingPods"]
        ok = first_limit is not None and first_limit["breaksFrom"] <= k["firstFailingPods"] < (
            first_limit["breaksBy"] or p["pods"]) + max(1, grid)
        line += (f'; measured knee {k["firstFailingPods"]} ({k["lastPassingPods"]} passed) by'
                 f' {", ".join(codes) or "SLOs"} ({tr} s): {"in the range" if ok else "OUTSIDE the range"}')
print(line)
PY
done
machine end
