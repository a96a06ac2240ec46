/**
 * The CPU kdensity's own process spends, and what its finished child processes (CNI plugins, probe
 * commands) spent, from {@code /proc/self/stat}.
 */
package io.kdensity.probes.process;
