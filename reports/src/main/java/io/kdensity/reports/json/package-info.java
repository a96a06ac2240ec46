/** {@code summary.json}: the versioned, machine-readable result of a run, for CI gates. */
package io.kdensity.reports.json;
