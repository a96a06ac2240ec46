/**
 * Findings: what a probe concluded about the node, with the evidence. The codes are shared by
 * probes, reports, recommendations and CI gates, so they never change meaning.
 */
package io.kdensity.probes.finding;
