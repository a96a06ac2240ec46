/**
 * CI gates: compare a run's {@code summary.json} with a baseline under rules (knee drop, new
 * finding codes, metric regressions, absolute limits) and say pass or regression, as a table and as
 * JUnit XML.
 */
package io.kdensity.scale.gate;
