#!/usr/bin/env bash
# Issue: a full sweep of all probes over 2,000 pod namespaces × 5 interfaces in ≤ 3 s and ≤ 256 MB
# heap, against a shell loop of `ip -n NS -j addr` per namespace in the same run. Needs root.
# Usage: scale-tests/bench/probe-sweep.sh [PODS] [INTERFACES] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scale-tests/bench/machine.sh
./kdensity --version >/dev/null # builds once, outside the timings
machine start
KDENSITY_JAVA_OPTS="-Xmx256m ${KDENSITY_JAVA_OPTS:-}" ./kdensity bench probe-sweep "${1:-2000}" "${2:-5}" "${3:-5}"
machine end
