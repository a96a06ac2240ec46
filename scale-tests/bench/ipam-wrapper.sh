#!/usr/bin/env bash
# Issue 29: what timing the IPAM stage (attach.stage.ipam.*) costs each ADD. The host-local plugin
# runs N times directly and N times through the bash wrapper a run puts first on CNI_PATH,
# alternating against one lease store; prints both, the difference of the medians, and what the
# wrapper measured inside. No namespace or interface is made. Run it on a quiet machine.
# Usage: scale-tests/bench/ipam-wrapper.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scale-tests/bench/machine.sh
./kdensity --version >/dev/null # builds once, outside the timings
machine start
./kdensity bench ipam-wrapper "${1:-500}"
machine end
