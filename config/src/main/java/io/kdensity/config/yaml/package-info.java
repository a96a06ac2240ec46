/**
 * Typed YAML with line numbers: a file is composed into {@link io.kdensity.config.yaml.YNode}s that
 * remember their line, and read through a {@link io.kdensity.config.yaml.Reader} that collects
 * every problem (unknown key, wrong type, out of range) before failing once with all of them. Used
 * for tuning profiles, ramp plans and gate rules, which is why it lives in the module below all of
 * them.
 */
package io.kdensity.config.yaml;
