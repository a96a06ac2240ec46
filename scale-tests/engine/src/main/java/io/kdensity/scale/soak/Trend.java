package io.kdensity.scale.soak;

import io.kdensity.reports.model.SoakReport;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * Whether a series keeps moving one way: the slope of a least-squares line through its last
 * samples, and the probability that a slope this steep comes from noise around a flat line (the
 * two-sided t-test of the slope, commons-math's {@link SimpleRegression#getSignificance()}). A
 * drift needs both: significance under {@link #ALPHA} and a fitted change over the samples larger
 * than the series' noise floor, so neither a single jump nor a tiny steady wobble is one.
 */
public final class Trend {
  /** The significance a slope must reach: one false alarm in a hundred flat series. */
  public static final double ALPHA = 0.01;

  /** The fewest samples a trend is judged on. */
  public static final int MIN_SAMPLES = 4;

  /** How many of the latest samples the line goes through. */
  public static final int WINDOW = 10;

  private Trend() {}

  /** A point: hours since the soak's start, and the value. */
  public record Point(double hours, double value) {}

  /**
   * @param perHour the slope
   * @param pValue the slope's significance (1 when it cannot be computed: fewer than 3 points or a
   *     constant series)
   * @param samples points the line went through
   * @param change the fitted change from the first to the last of those points
   * @param last the last value
   */
  public record Fit(double perHour, double pValue, int samples, double change, double last) {
    /**
     * Rising (or falling, for {@code direction} -1) significantly and by more than {@code floor}.
     */
    public boolean drifts(int direction, double floor) {
      return samples >= MIN_SAMPLES
          && pValue < ALPHA
          && Math.signum(perHour) == Math.signum(direction)
          && Math.abs(change) > floor;
    }
  }

  /** A soak's windows as points of {@code metric}: hours since the soak started, the value. */
  public static List<Point> points(List<SoakReport.Sample> samples, String metric) {
    List<Point> p = new ArrayList<>();
    for (SoakReport.Sample s : samples) {
      Double v = s.values().get(metric);
      if (v != null) {
        p.add(new Point(s.elapsedSeconds() / 3600.0, v));
      }
    }
    return p;
  }

  /** The line through the last {@link #WINDOW} points. */
  public static Fit fit(List<Point> points) {
    return fit(points, WINDOW);
  }

  /** The line through the last {@code window} points. */
  public static Fit fit(List<Point> points, int window) {
    List<Point> last = points.subList(Math.max(0, points.size() - window), points.size());
    SimpleRegression r = new SimpleRegression();
    last.forEach(p -> r.addData(p.hours(), p.value()));
    double slope = last.size() < 2 ? 0 : r.getSlope();
    double p = last.size() < 3 ? 1 : r.getSignificance();
    if (Double.isNaN(slope)) {
      slope = 0;
    }
    if (Double.isNaN(p)) {
      // a constant series (zero residuals with zero slope) is no trend; a perfect line is one
      p = slope == 0 ? 1 : 0;
    }
    double span = last.isEmpty() ? 0 : last.get(last.size() - 1).hours() - last.get(0).hours();
    double lastValue = last.isEmpty() ? 0 : last.get(last.size() - 1).value();
    return new Fit(slope, p, last.size(), slope * span, lastValue);
  }
}
