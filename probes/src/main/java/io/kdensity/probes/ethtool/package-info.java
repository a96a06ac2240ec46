/**
 * NIC facts from {@code ethtool}: statistics ({@code -S}), rings ({@code -g}), channels ({@code
 * -l}) and offload features ({@code -k}). A device that does not support a query yields a {@link
 * io.kdensity.probes.ethtool.Supported#no not-supported} value, never an error.
 */
package io.kdensity.probes.ethtool;
