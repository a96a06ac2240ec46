/**
 * Benchmarks that prove the numbers the project promises, each against a baseline measured in the
 * same run: the probe sweep over 10,000 interfaces against a shell loop of {@code ip -n NS -j
 * addr}, and attach throughput against a shell loop calling the same CNI plugin one interface at a
 * time. Run with {@code ./kdensity bench …} or the scripts in {@code scale-tests/bench/}.
 */
package io.kdensity.scale.bench;
