package io.kdensity.scale.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TrendTest {

  /** Ten windows a minute apart, the value of window {@code i} given. */
  private static List<Trend.Point> minutes(IntToDoubleFunction value) {
    List<Trend.Point> p = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      p.add(new Trend.Point(i / 60.0, value.applyAsDouble(i)));
    }
    return p;
  }

  static Stream<Arguments> series() {
    Random noise = new Random(7);
    double[] wobble = new double[10];
    for (int i = 0; i < 10; i++) {
      wobble[i] = noise.nextGaussian() * 5;
    }
    return Stream.of(
        // series                                   floor  drifts  (why)
        Arguments.of("constant", minutes(i -> 1000), 16.0, false),
        Arguments.of("noise ±5 around 1000", minutes(i -> 1000 + wobble[i]), 16.0, false),
        Arguments.of(
            "+5 a window under the same noise", minutes(i -> 1000 + 5 * i + wobble[i]), 16.0, true),
        Arguments.of(
            "+5 a window, floor above its change", minutes(i -> 1000 + 5 * i), 100.0, false),
        Arguments.of(
            "one jump in the last window",
            minutes(i -> i == 9 ? 1100 : 1000 + wobble[i]),
            16.0,
            false),
        Arguments.of(
            "falling (the bad direction is up)", minutes(i -> 1000 - 10 * i), 16.0, false));
  }

  @ParameterizedTest(name = "{0}: drifts={3}")
  @MethodSource("series")
  @DisplayName("a drift needs a significant slope and a change above the floor")
  void judgesSeries(String name, List<Trend.Point> points, double floor, boolean drifts) {
    assertThat(Trend.fit(points).drifts(1, floor)).isEqualTo(drifts);
  }

  @org.junit.jupiter.api.Test
  @DisplayName("the slope is per hour: +5 a minute is +300/h; the change is over the fitted span")
  void slopePerHour() {
    Trend.Fit f = Trend.fit(minutes(i -> 200 + 5 * i));
    assertThat(f.perHour()).isCloseTo(300, within(1e-6));
    assertThat(f.change()).isCloseTo(45, within(1e-6));
    assertThat(f.pValue()).isLessThan(Trend.ALPHA);
    assertThat(f.last()).isEqualTo(245);
    assertThat(Trend.fit(minutes(i -> 200 + 5 * i), 4).samples()).isEqualTo(4);
  }

  @org.junit.jupiter.api.Test
  @DisplayName("fewer than four windows are never a trend")
  void tooFewWindows() {
    List<Trend.Point> three = minutes(i -> 100 * i).subList(0, 3);
    assertThat(Trend.fit(three).drifts(1, 0)).isFalse();
  }
}
