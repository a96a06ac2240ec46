/**
 * Network links as {@code ip -j -d -s link} reports them: kind, master, MAC, promiscuity, counters.
 */
package io.kdensity.probes.link;
