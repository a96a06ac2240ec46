package io.kdensity.scale.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Change points in a series by E-divisive means (Matteson and James, "A Nonparametric Approach for
 * Multiple Change Point Analysis of Multivariate Data", 2014), the method Hunter/Apache Otava and
 * orion use on performance CI's history: the split that maximizes the energy distance between the
 * two sides is a change point if a permutation test finds it significant; each side is then split
 * again, until no split is.
 *
 * <p>Written out rather than taken from a library: no maintained Java implementation exists (the
 * reference ones are R's {@code ecp} and Python's {@code signal_processing_algorithms}); the
 * statistic is a few sums over the series, and a test checks it finds a planted change and none in
 * noise. Permutations are drawn from a fixed seed, so a history gives the same answer every time.
 */
public final class EDivisive {
  /** A change point: the first index of the new level, and the permutation test's p-value. */
  public record ChangePoint(int index, double pValue) {}

  private final double alpha;
  private final int permutations;
  private final int minSize;
  private final long seed;

  /**
   * @param alpha a split is a change point when its p-value is below this
   * @param permutations permutations of the test (199 in {@code ecp}; the smallest p is 1/(R+1))
   * @param minSize the fewest points on each side of a change
   * @param seed the permutations' seed
   */
  public EDivisive(double alpha, int permutations, int minSize, long seed) {
    this.alpha = alpha;
    this.permutations = permutations;
    this.minSize = minSize;
    this.seed = seed;
  }

  /**
   * The defaults: α 0.01 with 499 permutations (each further split is a further test, so a series
   * of noise split at α 0.05 finds a false change every few histories), at least 3 runs a side.
   */
  public static EDivisive defaults() {
    return new EDivisive(0.01, 499, 3, 42);
  }

  /** The series' change points, in index order. */
  public List<ChangePoint> changePoints(double[] series) {
    List<ChangePoint> found = new ArrayList<>();
    List<int[]> segments = new ArrayList<>(List.of(new int[] {0, series.length}));
    SplittableRandom random = new SplittableRandom(seed);
    while (true) {
      // the best split over all current segments, as the divisive algorithm takes it
      Split best = null;
      int[] in = null;
      for (int[] seg : segments) {
        Split s = bestSplit(series, seg[0], seg[1]);
        if (s != null && (best == null || s.q() > best.q())) {
          best = s;
          in = seg;
        }
      }
      if (best == null) {
        break;
      }
      double p = pValue(series, in[0], in[1], best.q(), random);
      if (p >= alpha) {
        break;
      }
      found.add(new ChangePoint(best.at(), p));
      segments.remove(in);
      segments.add(new int[] {in[0], best.at()});
      segments.add(new int[] {best.at(), in[1]});
    }
    found.sort(Comparator.comparingInt(ChangePoint::index));
    return found;
  }

  private record Split(int at, double q) {}

  /** The split of {@code x[from, to)} with the largest scaled energy distance, or null. */
  private Split bestSplit(double[] x, int from, int to) {
    Split best = null;
    for (int t = from + minSize; t <= to - minSize; t++) {
      double q = q(x, from, t, to);
      if (best == null || q > best.q()) {
        best = new Split(t, q);
      }
    }
    return best;
  }

  /**
   * The scaled energy distance of {@code x[from, t)} and {@code x[t, to)} (exponent 1): {@code
   * mn/(m+n) · (2·mean|a−b| − mean|a−a'| − mean|b−b'|)}.
   */
  static double q(double[] x, int from, int t, int to) {
    int m = t - from;
    int n = to - t;
    double between = 0;
    for (int i = from; i < t; i++) {
      for (int j = t; j < to; j++) {
        between += Math.abs(x[i] - x[j]);
      }
    }
    double left = within(x, from, t);
    double right = within(x, t, to);
    double e =
        2 * between / ((double) m * n)
            - (m > 1 ? left / (m * (m - 1) / 2.0) : 0)
            - (n > 1 ? right / (n * (n - 1) / 2.0) : 0);
    return (double) m * n / (m + n) * e;
  }

  private static double within(double[] x, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      for (int j = i + 1; j < to; j++) {
        s += Math.abs(x[i] - x[j]);
      }
    }
    return s;
  }

  /** The share of permutations of the segment whose best split is at least as strong. */
  private double pValue(double[] x, int from, int to, double observed, SplittableRandom random) {
    double[] seg = java.util.Arrays.copyOfRange(x, from, to);
    int asStrong = 0;
    for (int r = 0; r < permutations; r++) {
      for (int i = seg.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        double tmp = seg[i];
        seg[i] = seg[j];
        seg[j] = tmp;
      }
      Split s = bestSplit(seg, 0, seg.length);
      if (s != null && s.q() >= observed) {
        asStrong++;
      }
    }
    return (asStrong + 1.0) / (permutations + 1.0);
  }
}
