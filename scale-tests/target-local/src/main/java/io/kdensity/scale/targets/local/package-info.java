/**
 * The local node target: a worker node emulated on this machine's real kernel. One network
 * namespace plays the node, one per pod; the real CNI plugin binaries wire {@code eth0} and {@code
 * net1..netK} through the CNI protocol, exactly as Multus would call them; uplink veth pairs into a
 * fabric namespace play the NIC ports and the top-of-rack switch.
 */
package io.kdensity.scale.targets.local;
