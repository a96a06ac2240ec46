/**
 * Addresses on interfaces ({@code ip -j addr}, {@code /proc/net/if_inet6}) and the IP loss probe,
 * which compares them with the addresses a pod was given.
 */
package io.kdensity.probes.addr;
