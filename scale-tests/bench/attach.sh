#!/usr/bin/env bash
# Issue: attach throughput with the real CNI plugins ≥ 2× a naive shell loop calling the same
# plugin one interface at a time, measured in the same run. Needs root.
# Usage: scale-tests/bench/attach.sh [PODS_WITH_DAD] [PODS_WITHOUT_DAD] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scale-tests/bench/machine.sh
./kdensity --version >/dev/null # builds once, outside the timings
machine start
./kdensity bench attach "${1:-30}" "${2:-200}" "${3:-16}"
machine end
