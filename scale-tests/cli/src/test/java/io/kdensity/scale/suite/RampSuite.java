package io.kdensity.scale.suite;

/**
 * What {@code mvn verify -Pramp} runs: the ramp of {@code -Dkdensity.plan} (default {@code
 * scale-tests/plans/default.yaml}) as a Failsafe integration test.
 */
class RampSuite extends RampTests {}
