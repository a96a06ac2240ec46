/**
 * Socket buffers: UDP/UDP6 buffer errors ({@code /proc/net/snmp}, {@code snmp6}), TCP prune and
 * collapse ({@code /proc/net/netstat}), socket memory ({@code /proc/net/sockstat{,6}}) against the
 * {@code udp_mem}/{@code tcp_mem} limits.
 */
package io.kdensity.probes.socket;
