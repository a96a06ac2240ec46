package io.kdensity.probes.finding;

/** How bad a finding is. {@code CRITICAL} findings mean the node lost function at this step. */
public enum Severity {
  /** Worth knowing, no function lost (e.g. promiscuous fallback on a lightly loaded uplink). */
  INFO,
  /** A limit is close or a counter moved that costs performance. */
  WARNING,
  /** Function was lost: packets, addresses or attachments. */
  CRITICAL
}
