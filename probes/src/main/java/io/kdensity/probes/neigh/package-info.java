/**
 * The node-wide neighbour tables (ARP for IPv4, NDISC for IPv6): entries, garbage collection and
 * overflow. One table serves every network namespace of the node; its statistics exist only in the
 * root namespace ({@code /proc/net/stat/ndisc_cache}, {@code arp_cache}) and its limits ({@code
 * gc_thresh1/2/3}) can only be set there.
 */
package io.kdensity.probes.neigh;
