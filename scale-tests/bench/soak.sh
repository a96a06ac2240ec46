#!/usr/bin/env bash
# Issue 16: the soak plan (200 pods x eth0 + 5 IPv6 bridge interfaces, host-local IPAM, dense-ipv6
# profile) held for 10 minutes with a window every minute, 10% of the pods deleted and created
# again and 2% of the pod links losing their carrier for a second every minute. Then the same
# plan for 3 minutes with the test-only fault that skips CNI DEL for 20% of the churned pods, to
# show the leak found and when. Prints each run's windows, what was churned and flapped, the
# watched figures at the first and last window, and the leak/drift findings. Needs root and a
# quiet machine (~16 minutes).
# Usage: scale-tests/bench/soak.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scale-tests/bench/machine.sh
out=${1:-kdensity-out/soak}
plan=scale-tests/plans/soak-200x5.yaml
./kdensity --version >/dev/null # builds once, outside the timings

figures() {
  python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
k = d["soak"]
s = k["samples"]
print(f"verdict {d['verdict']}: {sum(x['passed'] for x in s)} of {len(s)} windows passed; "
      f"{sum(x['churned'] for x in s)} pods churned, {sum(x['flapped'] for x in s)} links flapped "
      f"(churn {k['churn']}, link flap {k['linkFlap']}, leak fault {k['leakFault']:.0%})")
for m in ["objects.ipam_leases", "objects.netns", "objects.node_links", "objects.node_routes",
          "conntrack.entries", "conntrack.drops", "neigh.v6.gc_entries",
          "l2.fdb.learned", "attach.p99", "ready.p99", "kdensity.rss_mb", "kdensity.open_files",
          "kdensity.threads", "kdensity.children", "machine.mem_available_mb"]:
    v = [x["values"][m] for x in s if m in x["values"]]
    if v:
        print(f"  {m:26s} window 1 {v[0]:10.1f}   last {v[-1]:10.1f}   min {min(v):10.1f}   max {max(v):10.1f}")
if not k["findings"]:
    print("  no leak or drift found")
for f in k["findings"]:
    print(f"  {f['code']} [{f['severity']}] {f['message']} (first detected at window {k['detectedAt'][f['subject']]})")
PY
}

run() {
  local name=$1
  shift
  sleep 20
  machine "start $name"
  t0=$(date +%s)
  ./kdensity soak --plan "$plan" --out "$out/$name" "$@" >"$out-$name.log" 2>&1 || true
  t1=$(date +%s)
  machine "end $name"
  echo "$name: $((t1 - t0)) s wall"
  figures "$out/$name/summary.json"
}

mkdir -p "$(dirname "$out")"
run clean
run leak --duration 3m --inject-leak 20%
