/**
 * Typed YAML with line numbers: a file is composed into {@link io.kdensity.tuning.yaml.YNode}s that
 * remember their line, and read through a {@link io.kdensity.tuning.yaml.Reader} that collects
 * every problem (unknown key, wrong type, out of range) before failing once with all of them. Used
 * for tuning profiles and ramp plans.
 */
package io.kdensity.tuning.yaml;
