package io.kdensity.scale.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.IntStream;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.PValueMethod;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RankTestTest {
  static double[] v(String s) {
    return java.util.Arrays.stream(s.trim().split("\\s+"))
        .mapToDouble(Double::parseDouble)
        .toArray();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                  | now               | baseline                | p
          fully below, 3 vs 3: 1 of C(6,3)=20     | 1 2 3             | 4 5 6                   | 0.05
          fully below, 5 vs 5: 1 of 252           | 80 90 90 100 100  | 110 120 120 130 140     | 0.003968253968
          all tied: no evidence at all            | 120 120 120       | 120 120 120 120 120     | 1.0
          fully above                             | 150 160 170       | 110 120 130             | 1.0
          """)
  void exactValues(String what, String now, String base, double p) {
    assertThat(RankTest.lower(v(now), v(base)).pValue()).as(what).isCloseTo(p, within(1e-9));
  }

  @Test
  @DisplayName("without ties the p-value is commons-statistics' exact Mann–Whitney p-value")
  void agreesWithCommonsStatisticsWithoutTies() {
    Random r = new Random(7);
    MannWhitneyUTest reference =
        MannWhitneyUTest.withDefaults()
            .with(AlternativeHypothesis.LESS_THAN)
            .with(PValueMethod.EXACT);
    for (int round = 0; round < 200; round++) {
      int m = 2 + r.nextInt(6);
      int n = 2 + r.nextInt(6);
      // distinct values: a shuffled range, shifted so the groups overlap to varying degrees
      double[] pool = IntStream.range(0, m + n).mapToDouble(i -> i * 10 + r.nextDouble()).toArray();
      for (int i = pool.length - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        double t = pool[i];
        pool[i] = pool[j];
        pool[j] = t;
      }
      double[] now = java.util.Arrays.copyOfRange(pool, 0, m);
      double[] base = java.util.Arrays.copyOfRange(pool, m, m + n);
      assertThat(RankTest.lower(now, base).pValue())
          .isCloseTo(reference.test(now, base).getPValue(), within(1e-9));
    }
  }

  @Test
  @DisplayName("with ties (knees on a 10-pod grid) the p-value is the share of all splits, counted")
  void agreesWithEnumerationWithTies() {
    Random r = new Random(11);
    for (int round = 0; round < 200; round++) {
      int m = 2 + r.nextInt(4);
      int n = 2 + r.nextInt(4);
      double[] now = IntStream.range(0, m).mapToDouble(i -> 80 + 10 * r.nextInt(5)).toArray();
      double[] base = IntStream.range(0, n).mapToDouble(i -> 100 + 10 * r.nextInt(5)).toArray();
      assertThat(RankTest.lower(now, base).pValue())
          .isCloseTo(enumerated(now, base), within(1e-12));
    }
  }

  /** Every way of choosing which pooled values are "now", by brute force. */
  private static double enumerated(double[] now, double[] base) {
    int m = now.length;
    int n = m + base.length;
    double[] pooled = new double[n];
    System.arraycopy(now, 0, pooled, 0, m);
    System.arraycopy(base, 0, pooled, m, base.length);
    int[] ranks = RankTest.twiceMidRanks(pooled);
    int observed = 0;
    for (int i = 0; i < m; i++) {
      observed += ranks[i];
    }
    int all = 0;
    int asLow = 0;
    for (int mask = 0; mask < (1 << n); mask++) {
      if (Integer.bitCount(mask) != m) {
        continue;
      }
      int sum = 0;
      for (int i = 0; i < n; i++) {
        if ((mask & (1 << i)) != 0) {
          sum += ranks[i];
        }
      }
      all++;
      if (sum <= observed) {
        asLow++;
      }
    }
    return (double) asLow / all;
  }

  @Test
  void mediansAndTheirDrop() {
    RankTest t = RankTest.lower(v("90 100 110"), v("120 130 140 110"));
    assertThat(t.baselineMedian()).isEqualTo(125);
    assertThat(t.nowMedian()).isEqualTo(100);
    assertThat(t.medianDropPercent()).isCloseTo(20.0, within(1e-9));
  }
}
