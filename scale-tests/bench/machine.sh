#!/usr/bin/env bash
# Prints the machine a figure was measured on, one line: CPU, cores, kernel, load average and the
# number of processes. Source it and call `machine start` / `machine end` around a measurement.
machine() {
  local cpu procs
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  # ls fails when a process exits while it lists /proc; under pipefail that ended the bench
  procs=$( (ls -d /proc/[0-9]* 2>/dev/null || true) | wc -l)
  printf '[machine %s] %s; %s cores; Linux %s; load %s; %s processes; %s\n' \
    "$1" "$cpu" "$(nproc)" "$(uname -r)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$procs" "$(date -u +%FT%TZ)"
}
