/**
 * The connection tracking table of the node's network namespace: its entries against {@code
 * nf_conntrack_max} and the packets it dropped for lack of room.
 */
package io.kdensity.probes.conntrack;
