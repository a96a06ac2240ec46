package io.kdensity.probes.probe;

import io.micrometer.core.instrument.Clock;
import java.util.concurrent.Executor;

/**
 * What a probe may use: the scope (which node, namespaces, pods), an executor for fan-out over
 * pods, and the clock ({@link Clock#monotonicTime()} for durations, {@link Clock#wallTime()} only
 * for timestamps).
 */
public record ProbeContext(ProbeScope scope, Executor executor, Clock clock) {}
