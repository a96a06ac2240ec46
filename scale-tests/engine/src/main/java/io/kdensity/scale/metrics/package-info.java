/**
 * The metrics a step has: those the probes declare and those the step engine itself emits ({@link
 * io.kdensity.scale.metrics.EngineMetrics}), gathered in one catalog that plans and gate rules are
 * validated against.
 */
package io.kdensity.scale.metrics;
