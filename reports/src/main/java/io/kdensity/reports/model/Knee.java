package io.kdensity.reports.model;

import io.kdensity.probes.finding.Finding;
import java.util.List;

/**
 * The first failing density, narrowed by bisection.
 *
 * @param lastPassingPods highest pod count that passed (0 if none did)
 * @param firstFailingPods lowest pod count that failed
 * @param interfaces pod interfaces at {@code firstFailingPods}
 * @param limiting the critical findings at the failing step, most frequent code first
 * @param resolution gap between passing and failing pod counts after bisection
 */
public record Knee(
    int lastPassingPods,
    int firstFailingPods,
    int interfaces,
    List<Finding> limiting,
    int resolution) {
  public Knee {
    limiting = List.copyOf(limiting);
  }
}
