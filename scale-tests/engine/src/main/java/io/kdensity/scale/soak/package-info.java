/**
 * Soak and churn: hold a density for a duration in windows ({@link
 * io.kdensity.scale.soak.SoakPlanner}), and find what leaks or drifts over them ({@link
 * io.kdensity.scale.soak.DriftDetector}, with a {@link io.kdensity.scale.soak.Trend} test that does
 * not cry wolf on noise).
 */
package io.kdensity.scale.soak;
