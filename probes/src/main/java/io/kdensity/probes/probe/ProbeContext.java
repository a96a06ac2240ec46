package io.kdensity.probes.probe;

import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * What a probe may use: the scope (which node, namespaces, pods), an executor for fan-out over
 * pods, and the clock.
 */
public record ProbeContext(ProbeScope scope, Executor executor, Clock clock) {}
