package io.kdensity.scale.plan;

import io.kdensity.config.yaml.Reader;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A soak: bring the node to {@code pods} pods once, then hold them for {@code duration}, with a
 * probe sweep and the step traffic every {@code interval} (a window), pods churning and links
 * flapping at their rates.
 *
 * @param pods pods to hold
 * @param duration how long to hold them (bounds every loop of the soak)
 * @param interval a window's length: one probe sweep with traffic per window
 * @param churn share of pods deleted and created again, and how often
 * @param linkFlap share of pod interfaces whose carrier goes away, and how often
 * @param linkDown how long a flapped link stays without carrier
 * @param leakFault test-only fault: share of churned pods whose CNI DEL is skipped (0 = off)
 */
public record Soak(
    int pods,
    Duration duration,
    Duration interval,
    Rate churn,
    Rate linkFlap,
    Duration linkDown,
    double leakFault) {

  public static final Duration DEFAULT_DURATION = Duration.ofHours(6);
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
  public static final Duration DEFAULT_LINK_DOWN = Duration.ofSeconds(1);

  /** The shortest window: a sweep and the traffic must fit. */
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(5);

  public Soak {
    if (pods < 1) {
      throw new IllegalArgumentException("pods must be at least 1, found " + pods);
    }
    if (interval.compareTo(MIN_INTERVAL) < 0) {
      throw new IllegalArgumentException(
          "interval must be at least " + MIN_INTERVAL.toSeconds() + "s, found " + interval);
    }
    if (duration.compareTo(interval) < 0) {
      throw new IllegalArgumentException(
          "duration (" + duration + ") must be at least one interval (" + interval + ")");
    }
    if (leakFault < 0 || leakFault > 1) {
      throw new IllegalArgumentException("leak fault must be a share 0–100%");
    }
  }

  /** Windows in the soak: one every interval until the duration is over. */
  public int windows() {
    return (int) (duration.toMillis() / interval.toMillis());
  }

  /**
   * A share of objects acted on every period, written {@code 10%/5m}; {@link #NONE} is {@code 0%}.
   *
   * @param share 0..1
   * @param every how often
   */
  public record Rate(double share, Duration every) {
    public static final Rate NONE = new Rate(0, Duration.ofMinutes(1));

    private static final Pattern FORM =
        Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%\\s*(?:/\\s*(\\S+))?");

    public Rate {
      if (share < 0 || share > 1) {
        throw new IllegalArgumentException("share must be 0–100%");
      }
      if (every.isZero() || every.isNegative()) {
        throw new IllegalArgumentException("period must be positive");
      }
    }

    /**
     * Parses {@code 10%/5m} ({@code 10%} alone: every window).
     *
     * @param window the period when none is written
     */
    public static Optional<Rate> parse(String text, Duration window) {
      Matcher m = FORM.matcher(text.strip());
      if (!m.matches()) {
        return Optional.empty();
      }
      double pct = Double.parseDouble(m.group(1));
      Optional<Duration> every =
          m.group(2) == null ? Optional.of(window) : Reader.parseDuration(m.group(2));
      if (pct > 100 || every.isEmpty() || every.get().isZero()) {
        return Optional.empty();
      }
      return Optional.of(new Rate(pct / 100, every.get()));
    }

    /** How many of {@code n} objects: the share rounded, at least one if the share is not 0. */
    public int of(int n) {
      if (share == 0 || n == 0) {
        return 0;
      }
      return (int) Math.max(1, Math.round(share * n));
    }

    public boolean active() {
      return share > 0;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT, "%s%%/%ss", fmt(share * 100), fmt(every.toMillis() / 1000.0));
    }

    private static String fmt(double d) {
      return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
  }

  /** The form a rate is written in, for error messages. */
  public static final String RATE_FORM = "a share and a period like 10%/5m";
}
