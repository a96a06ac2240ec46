/**
 * kdensity probes: what a node's network datapath looks like, as numbers and findings.
 *
 * <p>{@link io.kdensity.probes.shell} reaches the node; the parser packages turn kernel and
 * iproute2 output into records; the probe families ({@link io.kdensity.probes.addr.IpLossProbe},
 * {@link io.kdensity.probes.neigh.NeighbourProbe}, {@link io.kdensity.probes.fdb.MacTableProbe},
 * {@link io.kdensity.probes.cpu.PacketCpuProbe}, {@link
 * io.kdensity.probes.socket.SocketBufferProbe}) compare snapshots into {@link
 * io.kdensity.probes.finding.Finding findings}. This module knows nothing about Kubernetes.
 */
package io.kdensity.probes;
