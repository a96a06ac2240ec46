#!/usr/bin/env bash
# Why the reference plan pins fixed ips: the cost of one host-local IPAM ADD as the number of
# addresses already allocated in its network grows. host-local reads every allocation file of the
# network on each ADD (under the network's lock). Calls only the IPAM plugin, in a private data
# dir: no namespace, link or address is created. Usage: scale-tests/bench/host-local-add.sh [N]
set -euo pipefail
n=${1:-2000}
plugin=
for p in /usr/lib/cni/host-local /opt/cni/bin/host-local; do [ -x "$p" ] && { plugin=$p; break; }; done
[ -n "$plugin" ] || { echo "host-local not found (Debian package containernetworking-plugins)" >&2; exit 3; }
dir=$(mktemp -d /tmp/kd-host-local-XXXXXX)
trap 'rm -rf "$dir"' EXIT
conf='{"cniVersion":"1.0.0","name":"kd-bench","type":"macvlan","ipam":{"type":"host-local","dataDir":"'"$dir"'","ranges":[[{"subnet":"fd00:99::/64"}]]}}'
every=$(( n / 8 > 0 ? n / 8 : 1 ))
source "$(dirname "$0")/machine.sh"
machine start
t0=$(date +%s%N)
for i in $(seq 1 "$n"); do
  echo "$conf" | CNI_COMMAND=ADD CNI_CONTAINERID="kd-bench-$i" CNI_NETNS=/nonexistent CNI_IFNAME=net1 \
    CNI_PATH="$(dirname "$plugin")" "$plugin" > /dev/null
  if (( i % every == 0 )); then
    t1=$(date +%s%N)
    printf 'host-local ADD with %5d allocations in the network: %6.1f ms each\n' "$i" "$(echo "($t1 - $t0) / $every / 1000000" | bc -l)"
    t0=$t1
  fi
done
machine end
