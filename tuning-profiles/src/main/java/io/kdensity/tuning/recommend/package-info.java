/**
 * Recommendations: rules from findings and node facts to concrete settings or design changes, each
 * with its rationale and evidence, and a ready profile file that applies them.
 */
package io.kdensity.tuning.recommend;
