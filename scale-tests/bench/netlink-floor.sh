#!/usr/bin/env bash
# The floor for `attach: netlink` (issue 15): the same kernel objects as the dt-2000x5 ramp
# (2,000 pod namespaces; per pod a ptp veth with the node's gateway address and host route, five
# IPv6 macvlans on five uplinks, every address and route), created in 20 steps of 100 pods with
# the fewest processes iproute2 allows: one `ip -batch` for the step's namespaces, one in the node
# creating every link directly in its pod's namespace, one per pod configuring it. Its eth0
# address is added `nodad` so the routes go in the same batch: the floor leaves out DAD's wait
# (1-2 s per step on a stock pod) and every probe, and it measures no traffic.
# Usage: scale-tests/bench/netlink-floor.sh [PODS] [STEP]     Needs root. Leaves nothing behind.
set -euo pipefail
pods=${1:-2000}
step=${2:-100}
source "$(dirname "$0")/machine.sh"
p=kdfloor
cleanup() {
  ip netns list | awk '{print $1}' | grep "^$p" | sed 's/^/netns del /' | ip -force -batch - 2>/dev/null || true
}
trap cleanup EXIT
cleanup
machine start
t0=$(date +%s%N)
ip netns add ${p}n
ip netns add ${p}f
for k in 0 1 2 3 4; do
  ip -n ${p}n link add up$k type veth peer name fu$k netns ${p}f
  ip -n ${p}n link set up$k up
  ip -n ${p}f link add tor$k type bridge
  ip -n ${p}f link set fu$k master tor$k up
  ip -n ${p}f link set tor$k up
done
ip netns exec ${p}n sh -c 'echo 1 > /proc/sys/net/ipv6/conf/all/forwarding'
for ((s = 0; s < pods; s += step)); do
  a=$(date +%s%N)
  for ((i = s + 1; i <= s + step; i++)); do echo "netns add ${p}p$i"; done | ip -batch -
  for ((i = s + 1; i <= s + step; i++)); do
    printf 'link add v%06x txqueuelen 0 type veth peer name eth0 txqueuelen 0 netns %sp%d\n' $i $p $i
    printf 'link set v%06x up\naddr add fd00:100::1/128 dev v%06x\n' $i $i
    printf 'route add fd00:100::%x/128 dev v%06x\n' $((i + 1)) $i
    for k in 0 1 2 3 4; do
      echo "link add link up$k name net$((k + 1)) txqueuelen 0 netns ${p}p$i type macvlan mode bridge"
    done
  done | ip -n ${p}n -batch -
  for ((i = s + 1; i <= s + step; i++)); do
    {
      printf 'link set eth0 up\naddr add fd00:100::%x/64 dev eth0 nodad\n' $((i + 1))
      printf 'route del fd00:100::/64 dev eth0\n'
      printf 'route add fd00:100::1/128 dev eth0 src fd00:100::%x\n' $((i + 1))
      printf 'route add fd00:100::/64 via fd00:100::1 dev eth0 src fd00:100::%x\n' $((i + 1))
      for k in 1 2 3 4 5; do
        printf 'link set net%d up\naddr add fd00:10:%d::%x/64 dev net%d\n' $k $k $((i + 1)) $k
      done
    } | ip -n ${p}p$i -batch -
  done
  b=$(date +%s%N)
  printf 'step %4d pods: %5d ms\n' $((s + step)) $(((b - a) / 1000000))
done
t1=$(date +%s%N)
cleanup
while ip netns list | grep -q "^$p"; do sleep 0.2; done
t2=$(date +%s%N)
printf 'floor: setup + %d steps %d ms, teardown %d ms, total %d ms\n' $((pods / step)) $(((t1 - t0) / 1000000)) $(((t2 - t1) / 1000000)) $(((t2 - t0) / 1000000))
machine end
