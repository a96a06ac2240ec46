/** Facts about the node under test: kernel, CPU model, cores, frequency, NICs. */
package io.kdensity.probes.node;
