/**
 * The probe framework: a {@link io.kdensity.probes.probe.Probe} takes snapshots of one aspect of a
 * node's datapath and compares two of them into metrics and findings; the {@link
 * io.kdensity.probes.probe.ProbeRunner} runs every registered probe over a {@link
 * io.kdensity.probes.probe.ProbeScope}, isolates their failures and shares their I/O.
 *
 * <pre>{@code
 * ProbeRegistry probes = ProbeRegistry.of(List.of(new NeighbourProbe(NeighbourProbe.Thresholds.DEFAULT), …));
 * try (ProbeRunner runner = new ProbeRunner(probes, Clock.SYSTEM, 8)) {
 *   Sweep before = runner.snapshot(scope);
 *   // … traffic, hold …
 *   Sweep after = runner.snapshot(scope);
 *   List<ProbeResult> results = runner.evaluate(before, after, scope);
 * }
 * }</pre>
 */
package io.kdensity.probes.probe;
