package io.kdensity.scale.gate;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Whether one set of knees lies lower than another beyond their noise: the exact one-sided
 * Wilcoxon–Mann–Whitney rank-sum test, with mid-ranks for ties.
 *
 * <p>Hand-written rather than commons-statistics' {@code MannWhitneyUTest} because that test's
 * exact p-value requires samples without ties and falls back to the normal approximation otherwise,
 * while knees lie on the bisection's grid (every 10 pods), so ties are the rule, and with five
 * trials a side the approximation is poor. The exact distribution of the rank sum under the null
 * (every assignment of the pooled values to the two groups equally likely) is counted by dynamic
 * programming over the pooled mid-ranks, so ties are exact too; a test compares it with
 * commons-statistics on samples without ties.
 *
 * @param pValue the probability, if both sets came from one distribution, of a rank sum for {@code
 *     now} as low as observed or lower
 * @param baselineMedian the baseline's median
 * @param nowMedian the run's median
 */
public record RankTest(double pValue, double baselineMedian, double nowMedian) {

  /** Tests whether {@code now} lies lower than {@code baseline}; each needs at least one value. */
  public static RankTest lower(double[] now, double[] baseline) {
    if (now.length == 0 || baseline.length == 0) {
      throw new IllegalArgumentException("a rank test needs values on both sides");
    }
    int n = now.length + baseline.length;
    double[] pooled = new double[n];
    System.arraycopy(now, 0, pooled, 0, now.length);
    System.arraycopy(baseline, 0, pooled, now.length, baseline.length);
    int[] twiceRanks = twiceMidRanks(pooled);
    int observed = IntStream.range(0, now.length).map(i -> twiceRanks[i]).sum();
    int m = now.length;
    int maxSum = Arrays.stream(twiceRanks).sum();
    // ways[k][s]: subsets of k of the pooled values whose doubled ranks sum to s
    double[][] ways = new double[m + 1][maxSum + 1];
    ways[0][0] = 1;
    for (int r : twiceRanks) {
      for (int k = m; k >= 1; k--) {
        for (int s = maxSum; s >= r; s--) {
          ways[k][s] += ways[k - 1][s - r];
        }
      }
    }
    double all = 0;
    double asLow = 0;
    for (int s = 0; s <= maxSum; s++) {
      all += ways[m][s];
      if (s <= observed) {
        asLow += ways[m][s];
      }
    }
    return new RankTest(asLow / all, median(baseline), median(now));
  }

  /** Ranks 1..n of the values, ties sharing the mean of their ranks; doubled to stay integers. */
  static int[] twiceMidRanks(double[] v) {
    Integer[] order = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
    int[] twice = new int[v.length];
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      // ranks i+1..j+1 share their mean (i+j+2)/2; doubled: i+j+2
      for (int k = i; k <= j; k++) {
        twice[order[k]] = i + j + 2;
      }
      i = j + 1;
    }
    return twice;
  }

  public static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int h = s.length / 2;
    return s.length % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2;
  }

  /** The median's drop from the baseline's, in percent of the baseline's (negative: it rose). */
  public double medianDropPercent() {
    return baselineMedian <= 0 ? 0 : 100.0 * (baselineMedian - nowMedian) / baselineMedian;
  }
}
