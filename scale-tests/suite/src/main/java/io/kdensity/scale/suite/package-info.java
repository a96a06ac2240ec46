/**
 * The ramp as a JUnit 5 suite: one dynamic test per step, named like {@code step 07: 700 pods × 5
 * interfaces}, failing with the step's findings when an SLO fails. {@code mvn verify -Pramp} runs
 * it through Failsafe; the {@code kdensity ramp} command runs the same suite through the JUnit
 * Platform launcher, so both write the same JUnit XML, Allure results and summary.
 */
package io.kdensity.scale.suite;
