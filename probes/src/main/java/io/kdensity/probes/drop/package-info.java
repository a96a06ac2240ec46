/**
 * Every dropped packet with its kernel reason: the {@code skb:kfree_skb} tracepoint's {@code
 * reason} (Linux 5.17+), counted in the kernel by one filtered tracefs instance per reason (the
 * ring buffer's written-event count is the counter, so no event reaches user space), summed per
 * step into {@code drops.<REASON>} metrics and added as evidence to the findings each reason
 * explains.
 */
package io.kdensity.probes.drop;
