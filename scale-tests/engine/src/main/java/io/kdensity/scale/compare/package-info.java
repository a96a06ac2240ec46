/**
 * A/B comparison of tuning profiles: the same ramp under each profile (applied and reverted in
 * turn, repeated), a table of the knee per profile with min/median/max over repeats, per-step
 * metric deltas, and charts with one series per profile.
 */
package io.kdensity.scale.compare;
