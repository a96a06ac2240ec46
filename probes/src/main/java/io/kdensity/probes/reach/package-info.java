/**
 * Reachability of pod addresses from their gateways, swept with {@code fping} (one process for
 * thousands of targets). An address that does not answer is one of the ways "IP addresses
 * disappear" at scale.
 */
package io.kdensity.probes.reach;
