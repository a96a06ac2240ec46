/**
 * Tuning profiles: sysctl and NIC settings with a reason each, loaded from YAML with inheritance
 * ({@code extends}), validated against a catalog of known keys (types, ranges, node-wide or per
 * namespace) before anything is applied.
 */
package io.kdensity.tuning.profile;
