package io.kdensity.scale.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EDivisiveTest {
  /** Knees as CI would record them: on the bisection's 10-pod grid, around a level. */
  static double[] knees(Random r, int n, double level) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = Math.round((level + r.nextGaussian() * 10) / 10) * 10;
    }
    return x;
  }

  @Test
  @DisplayName(
      "a planted step of the knee (120 → 90 pods at run 20 of 40, noise σ 10) is found there")
  void findsThePlantedChange() {
    for (long seed = 1; seed <= 10; seed++) {
      Random r = new Random(seed);
      double[] x = new double[40];
      System.arraycopy(knees(r, 20, 120), 0, x, 0, 20);
      System.arraycopy(knees(r, 20, 90), 0, x, 20, 20);
      assertThat(EDivisive.defaults().changePoints(x))
          .as("seed %d", seed)
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.index()).isBetween(19, 21);
                assertThat(c.pValue()).isLessThan(0.01);
              });
    }
  }

  @Test
  @DisplayName(
      "pure noise around one level has no change point (in at least 9 of 10 series, α 0.01)")
  void noChangeInNoise() {
    int quiet = 0;
    for (long seed = 1; seed <= 10; seed++) {
      if (EDivisive.defaults().changePoints(knees(new Random(seed), 40, 120)).isEmpty()) {
        quiet++;
      }
    }
    assertThat(quiet).isGreaterThanOrEqualTo(9);
  }

  @Test
  void aConstantSeriesAndATooShortOneHaveNone() {
    assertThat(EDivisive.defaults().changePoints(new double[] {120, 120, 120, 120, 120, 120, 120}))
        .isEmpty();
    assertThat(EDivisive.defaults().changePoints(new double[] {120, 90, 120, 90, 120})).isEmpty();
  }

  @Test
  @DisplayName("two planted changes are both found, each at its run")
  void twoChanges() {
    Random r = new Random(3);
    double[] x = new double[45];
    System.arraycopy(knees(r, 15, 120), 0, x, 0, 15);
    System.arraycopy(knees(r, 15, 80), 0, x, 15, 15);
    System.arraycopy(knees(r, 15, 130), 0, x, 30, 15);
    assertThat(EDivisive.defaults().changePoints(x))
        .extracting(EDivisive.ChangePoint::index)
        .hasSize(2)
        .satisfies(
            l -> {
              assertThat(l.get(0)).isBetween(14, 16);
              assertThat(l.get(1)).isBetween(29, 31);
            });
  }
}
