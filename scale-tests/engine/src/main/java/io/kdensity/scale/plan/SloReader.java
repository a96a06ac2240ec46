package io.kdensity.scale.plan;

import io.kdensity.config.yaml.Reader;
import io.kdensity.config.yaml.YNode;
import io.kdensity.config.yaml.YNode.YList;
import io.kdensity.config.yaml.YNode.YMap;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.scale.metrics.MetricLimit;
import io.kdensity.scale.metrics.StepMetricCatalog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Binds {@code slos}: each a metric of the step metric catalog at most {@code max} (durations in
 * milliseconds), or at most {@code max} findings of a code; the default fails a step on every
 * critical finding.
 */
final class SloReader {
  private SloReader() {}

  /** Every critical finding fails a step unless the plan says otherwise. */
  public static List<Slo> defaultSlos() {
    List<Slo> out = new ArrayList<>();
    for (FindingCode c : FindingCode.values()) {
      out.add(new Slo(null, c, Severity.CRITICAL, 0, 0));
    }
    return out;
  }

  static List<Slo> slos(Reader r, YMap root) {
    YList l = r.list(root, "slos");
    if (l == null) {
      return defaultSlos();
    }
    List<Slo> out = new ArrayList<>();
    for (YNode n : l.items()) {
      YMap m = r.map(n);
      if (m == null) {
        continue;
      }
      r.allowOnly(m, List.of("metric", "finding", "severity", "max"));
      String metric = r.string(m, "metric", null);
      String finding = r.string(m, "finding", null);
      if ((metric == null) == (finding == null)) {
        r.error(m, "an SLO names either a 'metric' or a 'finding'");
        continue;
      }
      if (metric != null && StepMetricCatalog.find(metric).isEmpty()) {
        r.error(
            m.get("metric"),
            "unknown metric '"
                + metric
                + "'"
                + StepMetricCatalog.closest(metric)
                    .map(c -> " (did you mean '" + c + "'?)")
                    .orElse(""));
      }
      FindingCode code = null;
      if (finding != null) {
        try {
          code = FindingCode.valueOf(finding);
        } catch (IllegalArgumentException e) {
          r.error(
              m.get("finding"),
              "unknown finding code '"
                  + finding
                  + "' (one of "
                  + Arrays.toString(FindingCode.values())
                  + ")");
        }
      }
      Severity sev = r.enumValue(m, "severity", Severity.class, Severity.CRITICAL);
      double max = 0;
      if (r.opt(m, "max").isEmpty()) {
        r.error(m, "an SLO needs 'max'");
      } else {
        max = MetricLimit.read(r, m, "max", metric);
      }
      out.add(new Slo(metric, code, sev, max, m.line()));
    }
    return out;
  }
}
