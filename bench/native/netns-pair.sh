#!/usr/bin/env bash
# Runs a command in network namespace A of a fresh pair A <-> B joined by a veth link, then removes both.
#   bench/native/netns-pair.sh COMMAND [ARGS...]
# The command sees LAG_NS_A, LAG_NS_B (namespace names), LAG_DEV_A (A's end of the link), LAG_ADDR_A and
# LAG_ADDR_B (addresses on the link). The addresses exist only inside these two namespaces: the host's own
# interfaces and routes are never touched. Needs root. Everything still running in A or B when the command
# ends (it started it) is killed, also when the command fails or the script is interrupted.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "netns-pair: needs root (ip netns, nftables, NFQUEUE)" >&2; exit 1; }

suffix="$$"
export LAG_NS_A="medsync-lag-a-$suffix" LAG_NS_B="medsync-lag-b-$suffix"
export LAG_DEV_A="mslag-a-$suffix" LAG_ADDR_A=10.213.0.1 LAG_ADDR_B=10.213.0.2
dev_b="mslag-b-$suffix"

teardown() {
  for ns in "$LAG_NS_A" "$LAG_NS_B"; do
    if ip netns list | grep -qw "$ns"; then
      # Only processes inside our own namespaces: the benchmark's JVM, Chromium, delayer, echo.
      pids=$(ip netns pids "$ns" || true)
      [ -n "$pids" ] && kill $pids 2>/dev/null || true
    fi
  done
  sleep 1
  for ns in "$LAG_NS_A" "$LAG_NS_B"; do
    if ip netns list | grep -qw "$ns"; then
      pids=$(ip netns pids "$ns" || true)
      [ -n "$pids" ] && kill -9 $pids 2>/dev/null || true
      ip netns del "$ns" || true
    fi
  done
}
trap teardown EXIT
trap 'exit 130' INT TERM

ip netns add "$LAG_NS_A"
ip netns add "$LAG_NS_B"
# Create the pair inside A, then move one end to B: the host's namespace never holds either end.
ip -n "$LAG_NS_A" link add "$LAG_DEV_A" type veth peer name "$dev_b"
ip -n "$LAG_NS_A" link set "$dev_b" netns "$LAG_NS_B"
ip -n "$LAG_NS_A" addr add "$LAG_ADDR_A/24" dev "$LAG_DEV_A"
ip -n "$LAG_NS_B" addr add "$LAG_ADDR_B/24" dev "$dev_b"
for ns in "$LAG_NS_A" "$LAG_NS_B"; do
  ip -n "$ns" link set lo up
done
ip -n "$LAG_NS_A" link set "$LAG_DEV_A" up
ip -n "$LAG_NS_B" link set "$dev_b" up
# Default routes inside the pair only: WebRTC picks its default local address by routing.
ip -n "$LAG_NS_A" route add default dev "$LAG_DEV_A"
ip -n "$LAG_NS_B" route add default dev "$dev_b"

ip netns exec "$LAG_NS_A" "$@"
