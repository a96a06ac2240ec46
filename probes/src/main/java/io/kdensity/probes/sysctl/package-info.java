/** Kernel parameters read from {@code /proc/sys}, and which of them are node-wide. */
package io.kdensity.probes.sysctl;
