/**
 * How kdensity reaches a node: {@link io.kdensity.probes.shell.NodeShell} runs a command or reads a
 * file, locally, inside a network namespace, over Kubernetes exec, or from recorded fixtures.
 *
 * <p>All I/O of probes goes through a {@code NodeShell}, so every parser can be tested on captured
 * output and every probe can run against a fixture shell.
 */
package io.kdensity.probes.shell;
