/**
 * The {@code kdensity} command line (picocli): ramp, cleanup, profile, recommend, compare, report,
 * gate.
 */
package io.kdensity.scale.cli;
