package io.kdensity.probes.finding;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to change to move the knee, derived from findings and node facts.
 *
 * @param id stable id, the one findings link to ({@code neigh-gc-thresh})
 * @param code the finding it addresses
 * @param title one line
 * @param rationale why, with the numbers
 * @param evidence the counters that show it (before → after, at which step)
 * @param sysctl node settings to apply (key → value), empty for design changes
 * @param podSysctl settings for every pod's network namespace
 * @param actions design or configuration changes that are not sysctls
 * @param impact how much it matters (higher first): critical findings × affected count
 */
public record Recommendation(
    String id,
    FindingCode code,
    String title,
    String rationale,
    List<String> evidence,
    Map<String, String> sysctl,
    Map<String, String> podSysctl,
    List<String> actions,
    long impact) {
  public Recommendation {
    evidence = List.copyOf(evidence);
    sysctl = Collections.unmodifiableMap(new LinkedHashMap<>(sysctl));
    podSysctl = Collections.unmodifiableMap(new LinkedHashMap<>(podSysctl));
    actions = List.copyOf(actions);
  }
}
