#!/usr/bin/env bash
# Issue 29: the anatomy of an attach per CNI plugin. For each case (net1's plugin: macvlan, bridge,
# ipvlan where the kernel has it; host-local vs static IPAM; DAD on or off in the pods) and pod
# count, a fresh node brings that many pods up at once and reports each stage's p50/p99: the pod's
# sandbox, eth0's ADD (ptp), net1's ADD (IPAM and the plugin's wait for DAD included), pod ready,
# DAD, and the wait for the first answer to one sweep from the gateways (neighbour resolution inside).
# Needs root; run it on a quiet machine. Usage: scale-tests/bench/attach-stages.sh [CONCURRENCY] [PODS...]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scale-tests/bench/machine.sh
./kdensity --version >/dev/null # builds once, outside the timings
machine start
./kdensity bench attach-stages "${@:-16}"
machine end
