/** The node's memory, from {@code /proc/meminfo}: what a pod's network costs the node. */
package io.kdensity.probes.memory;
