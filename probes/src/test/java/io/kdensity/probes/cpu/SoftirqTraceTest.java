package io.kdensity.probes.cpu;

import static io.kdensity.probes.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.probe.SoftirqTime;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SoftirqTraceTest {

  @Test
  @DisplayName("sums NET_RX runs per CPU from a captured trace, entry to exit on the same CPU")
  void sumsCapturedNetRxRuns() {
    SoftirqTime t = SoftirqTrace.parse(load("softirq/trace-net.txt"), "trace");
    // cpu1 15 µs, cpu0 131 µs, cpu1 132 µs (interleaved with cpu0), cpu1 16 µs, cpu1 17 µs
    assertThat(t).isEqualTo(new SoftirqTime(311_000, 0, 5));
    assertThat(TracefsSoftirqClock.lost(load("softirq/trace-net.txt"))).isZero();
  }

  @Test
  @DisplayName(
      "an exit whose entry is not in the buffer is skipped; NET_TX is counted apart; lost events are reported")
  void partialBufferAndLostEvents() {
    String trace = load("softirq/trace-lost.txt");
    assertThat(SoftirqTrace.parse(trace, "trace"))
        .isEqualTo(new SoftirqTime(2_500_000, 250_000, 2));
    assertThat(TracefsSoftirqClock.lost(trace)).isEqualTo(96);
  }

  @Test
  void aMangledEventNamesTheLine() {
    assertThatThrownBy(
            () ->
                SoftirqTrace.parse(
                    "  x-1 [zz0] ..s.. 1.000000: softirq_entry: vec=3\n", "instances/kd-x/trace"))
        .isExactlyInstanceOf(ParseException.class)
        .hasMessageStartingWith("cannot parse instances/kd-x/trace line 1");
  }
}
