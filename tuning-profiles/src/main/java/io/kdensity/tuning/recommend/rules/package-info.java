/**
 * One {@link io.kdensity.tuning.recommend.RecommendationRule} per finding code: what to change,
 * sized from the run's counters, for the causes its findings carry.
 */
package io.kdensity.tuning.recommend.rules;
