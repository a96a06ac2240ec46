/**
 * Recommendations: rules from findings and node facts to concrete settings or design changes, each
 * with its rationale and evidence, and a ready profile file that applies them. One {@link
 * RecommendationRule} per finding code ({@code *Rule}): what to change, sized from the run's
 * counters, for the causes its findings carry.
 */
package io.kdensity.tuning.recommend;
