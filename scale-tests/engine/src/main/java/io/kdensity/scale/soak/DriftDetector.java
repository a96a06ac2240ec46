package io.kdensity.scale.soak;

import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.Severity;
import io.kdensity.reports.model.SoakReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds what leaked or drifted over a soak's windows ({@link Watch} says how each figure is
 * judged). Each finding says how fast it moves per hour and, where the figure has a limit, when it
 * reaches it at that rate. Windows are compared by their start time, so a late window is not
 * mistaken for a faster rate.
 */
public final class DriftDetector {
  /** Where the soak's findings come from. */
  public static final String ORIGIN = "soak";

  /** A drift that reaches its limit within this many hours at its rate is critical: 30 days. */
  static final double CRITICAL_WITHIN_HOURS = 24 * 30;

  /** Samples quoted in a finding's evidence. */
  private static final int QUOTED = 10;

  private DriftDetector() {}

  /** The findings over {@code samples} (in window order), one per watched figure at most. */
  public static List<Finding> detect(List<SoakReport.Sample> samples) {
    List<Finding> out = new ArrayList<>();
    if (samples.size() < 2) {
      return out;
    }
    for (Watch w : Watch.values()) {
      List<Trend.Point> points = Trend.points(samples, w.metric().name());
      if (points.size() < 2) {
        continue;
      }
      Optional<Finding> f =
          switch (w.kind()) {
            case LEAK -> leak(w, points);
            case GROWTH -> growth(w, points, samples);
            case ONSET -> onset(w, points);
          };
      f.ifPresent(out::add);
    }
    return out;
  }

  /** Above the first window's count in the last two windows, and not falling. */
  private static Optional<Finding> leak(Watch w, List<Trend.Point> points) {
    double base = points.get(0).value();
    int n = points.size();
    double prev = points.get(n - 2).value();
    double last = points.get(n - 1).value();
    if (n < 3 || prev <= base || last <= base || last < prev) {
      return Optional.empty();
    }
    // the rate since the last window at the baseline
    int from = 0;
    for (int i = 0; i < n; i++) {
      if (points.get(i).value() <= base) {
        from = i;
      }
    }
    Trend.Fit fit = Trend.fit(points.subList(from, n), n);
    String name = w.metric().name();
    String message =
        String.format(
            Locale.ROOT,
            "%s %s/h: %s above the first window's %s after %s",
            name,
            signed(fit.perHour()),
            num(last - base),
            num(base),
            hours(points.get(n - 1).hours()));
    return Optional.of(
        finding(
            w,
            Severity.CRITICAL,
            message,
            List.of(
                Evidence.counter(name + ", first → last window", (long) base, (long) last),
                Evidence.observed(
                    "rate", String.format(Locale.ROOT, "%s/h", signed(fit.perHour()))),
                samplesEvidence(points))));
  }

  private static Optional<Finding> growth(
      Watch w, List<Trend.Point> all, List<SoakReport.Sample> samples) {
    // the first window follows the bring-up at once: kdensity's heap and JIT, the tables' first
    // refresh still settle there, which is warm-up, not drift
    List<Trend.Point> points = all.size() > Trend.MIN_SAMPLES ? all.subList(1, all.size()) : all;
    Trend.Fit fit = Trend.fit(points);
    if (!fit.drifts(w.direction(), w.floor(points.get(0).value()))) {
      return Optional.empty();
    }
    String name = w.metric().name();
    StringBuilder message =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s %s/h over the last %d windows (p=%.3f), now %s",
                name,
                signed(fit.perHour()),
                fit.samples(),
                fit.pValue(),
                num(fit.last())));
    Severity severity = Severity.WARNING;
    Map<String, Double> latest = samples.get(samples.size() - 1).values();
    Double limit = w.limit() == null ? null : latest.get(w.limit().name());
    Double collector = w.collectorStart() == null ? null : latest.get(w.collectorStart().name());
    if (limit != null && limit > 0) {
      if (fit.last() >= limit) {
        message.append(
            String.format(Locale.ROOT, ": at %s (%s) already", w.limit().name(), num(limit)));
        severity = Severity.CRITICAL;
      } else if (collector != null && fit.last() < collector && collector < limit) {
        // below the collector's start nothing is freed: the growth says where it levels off
        message.append(
            String.format(
                Locale.ROOT,
                ": %s (%s) in ~%s, where the kernel's periodic GC starts freeing entries unused"
                    + " for gc_stale_time, so it levels off there unless they stay in use; %s (%s)"
                    + " in ~%s only if they do",
                w.collectorStart().name(),
                num(collector),
                hours((collector - fit.last()) / fit.perHour()),
                w.limit().name(),
                num(limit),
                hours((limit - fit.last()) / fit.perHour())));
      } else {
        double eta = (limit - fit.last()) / fit.perHour();
        message.append(
            String.format(
                Locale.ROOT, ": %s (%s) reached in ~%s", w.limit().name(), num(limit), hours(eta)));
        if (eta <= CRITICAL_WITHIN_HOURS) {
          severity = Severity.CRITICAL;
        }
      }
    }
    return Optional.of(
        finding(
            w,
            severity,
            message.toString(),
            List.of(
                Evidence.observed(
                    "trend",
                    String.format(
                        Locale.ROOT,
                        "least-squares slope %s/h through %d windows, significance p=%.4f (needs <"
                            + " %.2f), fitted change %s (noise floor %s)",
                        signed(fit.perHour()),
                        fit.samples(),
                        fit.pValue(),
                        Trend.ALPHA,
                        num(fit.change()),
                        num(w.floor(points.get(0).value())))),
                samplesEvidence(points))));
  }

  /** Zero in the first window, moving in two later ones. */
  private static Optional<Finding> onset(Watch w, List<Trend.Point> points) {
    if (points.get(0).value() != 0) {
      return Optional.empty();
    }
    List<Trend.Point> moving = points.stream().filter(p -> p.value() > 0).toList();
    if (moving.size() < 2) {
      return Optional.empty();
    }
    double total = moving.stream().mapToDouble(Trend.Point::value).sum();
    double span = points.get(points.size() - 1).hours() - moving.get(0).hours();
    String name = w.metric().name();
    String message =
        String.format(
            Locale.ROOT,
            "%s began to move after %s: %s in %d of %d windows%s",
            name,
            hours(moving.get(0).hours()),
            num(total),
            moving.size(),
            points.size(),
            span > 0 ? String.format(Locale.ROOT, " (%s/h)", num(total / span)) : "");
    return Optional.of(finding(w, Severity.CRITICAL, message, List.of(samplesEvidence(points))));
  }

  private static Finding finding(Watch w, Severity s, String message, List<Evidence> evidence) {
    return Finding.of(s, w.cause(), w.metric().name(), message, evidence).from(ORIGIN);
  }

  private static Evidence samplesEvidence(List<Trend.Point> points) {
    return Evidence.observed(
        "last windows (elapsed → value)",
        points.subList(Math.max(0, points.size() - QUOTED), points.size()).stream()
            .map(p -> hours(p.hours()) + " " + num(p.value()))
            .collect(Collectors.joining(", ")));
  }

  /** {@code 0:09:30} for short spans, {@code 9.5 h} for long ones. */
  static String hours(double h) {
    if (h >= 10) {
      return String.format(Locale.ROOT, "%.0f h", h);
    }
    long s = Math.round(h * 3600);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }

  private static String signed(double v) {
    return (v >= 0 ? "+" : "−") + num(Math.abs(v));
  }

  static String num(double v) {
    if (v == Math.rint(v) || Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,d", Math.round(v));
    }
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
