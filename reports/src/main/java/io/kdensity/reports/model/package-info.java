/**
 * The records of a run's results: steps with their metrics, latencies, SLO checks and findings, the
 * knee, the verdict. {@code summary.json} is these records serialised (schema version {@value
 * io.kdensity.reports.model.RunSummary#SCHEMA_VERSION}).
 */
package io.kdensity.reports.model;
