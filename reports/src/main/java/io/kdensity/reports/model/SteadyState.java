package io.kdensity.reports.model;

/**
 * What makes a ramp a steady-state one ({@code ramp --steady}): a step that failed at once was held
 * with its traffic and measured again, so its knee is the steady-state capacity.
 *
 * @param holdSeconds how long a failing step, and the node before each burst, was held
 * @param burst how many pods the node takes at once at that capacity; null when not measured (no
 *     knee, no passing step below it, the plan turned it off, or the run ended early)
 */
public record SteadyState(long holdSeconds, BurstTolerance burst) {}
