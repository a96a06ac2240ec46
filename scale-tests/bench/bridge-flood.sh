#!/usr/bin/env bash
# Issue 26, item 1 (groundwork): what a Linux bridge's floods cost the input backlog. One bridge
# with PORTS veth ports (their peers together in a second namespace, IPv6 on as in pods), brought
# up in one batch; after WAIT seconds the softnet counters are read over a window of SECONDS while
# SENDERS of the peers each send one IPv4 broadcast a second (ping -b, standing in for ARP
# requests: the bridge floods both to every port), SENDERS 0 for the bring-up's own traffic.
# With RS=off the peers send no router solicitations. BACKLOG, if given, is net.core.netdev_max_backlog
# for the run (node-wide; the previous value is put back on exit, also on failure). Prints
# processed/dropped/time_squeeze deltas (all CPUs) and the machine line at start and end. Only
# kd-flood0-* namespaces; removed on exit.
# Needs root. Usage: scale-tests/bench/bridge-flood.sh PORTS SENDERS [SECONDS] [WAIT] [RS] [BACKLOG]
set -euo pipefail
cd "$(dirname "$0")/../.."
. scale-tests/bench/machine.sh
ports=$1
senders=$2
seconds=${3:-10}
wait_s=${4:-20}
rs=${5:-on}
backlog=${6:-}
a=kd-flood0-br
b=kd-flood0-pods
old_backlog=$(cat /proc/sys/net/core/netdev_max_backlog)
cleanup() {
  echo "$old_backlog" >/proc/sys/net/core/netdev_max_backlog
  ip netns pids "$b" 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns del "$a" 2>/dev/null || true
  ip netns del "$b" 2>/dev/null || true
}
trap cleanup EXIT
softnet() { # processed dropped time_squeeze, summed over CPUs
  python3 -c '
p = d = s = 0
for l in open("/proc/net/softnet_stat"):
    f = l.split(); p += int(f[0], 16); d += int(f[1], 16); s += int(f[2], 16)
print(p, d, s)'
}
machine start
[ -n "$backlog" ] && echo "$backlog" >/proc/sys/net/core/netdev_max_backlog
ip netns add "$a"
ip netns add "$b"
if [ "$rs" = off ]; then
  ip netns exec "$b" sysctl -qw net.ipv6.conf.default.router_solicitations=0 net.ipv6.conf.all.router_solicitations=0
fi
ip -n "$a" link add br0 type bridge
ip -n "$a" link set br0 up
for i in $(seq "$ports"); do echo "link add p$i type veth peer name q$i netns $b"; done | ip -n "$a" -batch -
for i in $(seq "$ports"); do echo "link set p$i master br0 up"; done | ip -n "$a" -batch -
for i in $(seq "$ports"); do echo "link set q$i up"; done | ip -n "$b" -batch -
for i in $(seq "$senders"); do echo "addr add 198.18.100.$i/24 dev q$i"; done | ip -n "$b" -batch -
sleep "$wait_s"
read -r p0 d0 s0 < <(softnet)
for i in $(seq "$senders"); do
  sleep "0.0$((RANDOM % 100))"
  ip netns exec "$b" ping -q -b -I "q$i" -i 1 -w "$seconds" 198.18.100.255 >/dev/null 2>&1 &
done
sleep "$seconds"
wait
read -r p1 d1 s1 < <(softnet)
echo "ports $ports, senders $senders, RS $rs, window ${seconds}s from ${wait_s}s after bring-up:" \
  "processed $((p1 - p0)), dropped $((d1 - d0)), time_squeeze $((s1 - s0))," \
  "netdev_max_backlog $(cat /proc/sys/net/core/netdev_max_backlog)"
machine end
