#!/usr/bin/env bash
# Issue 26, item 0: PacketCpuIT must pass every time on this kernel, also with a build beside it.
# Runs the IT N times (default 20) and counts the passes; with --beside-build, a Maven build of a
# copy of this checkout loops on the other core for the whole time (clean compile, offline).
# Prints each run's three windows and the machine at the start and end. Needs root (~25 s a run).
# Usage: scale-tests/bench/packet-cpu-loop.sh [N] [--beside-build]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scale-tests/bench/machine.sh
n=${1:-20}
beside=${2:-}
mvn -B -q -o install -DskipTests >/dev/null # once, outside the loop
builder=
if [ "$beside" = --beside-build ]; then
  copy=$(mktemp -d /tmp/kd-beside-XXXXXX)
  git ls-files -z | xargs -0 cp --parents -t "$copy"
  # its own process group, so that the whole build stops with it
  setsid bash -c 'cd "$1" && while true; do mvn -B -q -o clean compile >/dev/null 2>&1 || true; done' \
    builder "$copy" &
  builder=$!
  trap 'kill -- -"$builder" 2>/dev/null; sleep 1; rm -rf "$copy"' EXIT
  sleep 10 # the build is under way
fi
machine start
pass=0
for i in $(seq 1 "$n"); do
  log=$(mktemp)
  if mvn -B -o -pl scale-tests/target-local verify -Dit.test=PacketCpuIT -Dtest=none \
    -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true >"$log" 2>&1; then
    pass=$((pass + 1))
    echo "run $i: ok   load $(cut -d' ' -f1 /proc/loadavg)"
  else
    echo "run $i: FAIL load $(cut -d' ' -f1 /proc/loadavg)"
    grep -E -A3 'expected|Expecting' "$log" | head -8 || true
  fi
  sed -n '/^packet cpu:/,/30k\/s/p' "$log" | sed 's/^/    /'
  rm -f "$log"
done
machine end
echo "PacketCpuIT passed $pass of $n runs${beside:+ (with a build beside it)}"
