package io.kdensity.scale.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.cpu.PacketCpuProbe;
import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.parse.Counters;
import io.kdensity.reports.model.SoakReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DriftDetectorTest {
  private static final String LEASES = "objects.ipam_leases";
  private static final String NETNS = "objects.netns";
  private static final String NEIGH = "neigh.v6.gc_entries";
  private static final String THRESH3 = "neigh.v6.gc_thresh3";

  /** Windows a minute apart; each row is one window's values. */
  @SafeVarargs
  private static List<SoakReport.Sample> windows(Map<String, Double>... rows) {
    List<SoakReport.Sample> out = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      out.add(new SoakReport.Sample(i + 1, i + 2, 60.0 * i, Instant.EPOCH, 0, 0, true, rows[i]));
    }
    return out;
  }

  private static Map<String, Double> row(Object... kv) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
    }
    return m;
  }

  @Test
  @DisplayName("the watched metric names are the probes' (a rename breaks this test, not a soak)")
  void names() {
    assertThat(Watch.NEIGH_V6.metric().name()).isEqualTo(NEIGH);
    assertThat(Watch.NEIGH_V6.limit().name()).isEqualTo(THRESH3);
    assertThat(Watch.IPAM_LEASES.metric().name()).isEqualTo(LEASES);
    assertThat(Watch.NAMESPACES.metric().name()).isEqualTo(NETNS);
  }

  @Test
  @DisplayName(
      "leases above the first window's in two windows in a row are a leak, with its rate: found at window 3 when the leak starts at window 2")
  void leakWithinTwoWindows() {
    // window:        1    2    3
    List<SoakReport.Sample> s = windows(row(LEASES, 240), row(LEASES, 252), row(LEASES, 264));

    assertThat(DriftDetector.detect(s.subList(0, 2))).isEmpty();
    List<Finding> f = DriftDetector.detect(s);
    assertThat(f)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.code()).isEqualTo(FindingCode.LEAK);
              assertThat(x.cause()).isEqualTo(Cause.OBJECTS_NOT_FREED);
              assertThat(x.severity()).isEqualTo(Severity.CRITICAL);
              assertThat(x.subject()).isEqualTo(LEASES);
              assertThat(x.message())
                  .isEqualTo(
                      "objects.ipam_leases +720/h: 24 above the first window's 240 after 0:02:00");
              assertThat(x.evidence().get(0).before()).isEqualTo(240);
              assertThat(x.evidence().get(0).after()).isEqualTo(264);
            });
  }

  @Test
  @DisplayName("churn that frees everything, or a count up for one window only, is no leak")
  void noLeak() {
    assertThat(
            DriftDetector.detect(
                windows(
                    row(LEASES, 240, NETNS, 42),
                    row(LEASES, 240, NETNS, 42),
                    row(LEASES, 240, NETNS, 42),
                    row(LEASES, 240, NETNS, 42))))
        .isEmpty();
    assertThat(
            DriftDetector.detect(
                windows(row(NETNS, 42), row(NETNS, 43), row(NETNS, 42), row(NETNS, 43))))
        .isEmpty();
  }

  @Test
  @DisplayName(
      "neighbour entries growing +30 a minute: a drift with the time to gc_thresh3 at that rate")
  void entriesDriftTowardTheLimit() {
    List<Map<String, Double>> rows = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      rows.add(row(NEIGH, 800 + 30 * i, THRESH3, 4096));
    }
    @SuppressWarnings("unchecked")
    List<Finding> f = DriftDetector.detect(windows(rows.toArray(Map[]::new)));

    assertThat(f)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.code()).isEqualTo(FindingCode.DRIFT);
              assertThat(x.cause()).isEqualTo(Cause.ENTRIES_GROWING);
              // 4096 - 1010 = 3086 entries left at 1800/h: 1.7 h
              assertThat(x.message())
                  .startsWith(
                      "neigh.v6.gc_entries +1,800/h over the last 7 windows (p=0.000), now 1,010")
                  .endsWith("neigh.v6.gc_thresh3 (4,096) reached in ~1:42:52");
              assertThat(x.severity()).isEqualTo(Severity.CRITICAL);
            });
  }

  @Test
  @DisplayName(
      "kdensity's memory jumping once after the bring-up (heap and JIT warming up) is no drift")
  void warmUpIsNoDrift() {
    String rss = Watch.RSS.metric().name();
    assertThat(
            DriftDetector.detect(
                windows(
                    row(rss, 170),
                    row(rss, 294),
                    row(rss, 303),
                    row(rss, 305),
                    row(rss, 305),
                    row(rss, 306),
                    row(rss, 304))))
        .isEmpty();
  }

  @Test
  @DisplayName(
      "neighbour entries growing under churn below gc_thresh1 (no periodic GC there): a warning that says where they level off, not a countdown to gc_thresh3")
  void entriesBelowTheCollectorLevelOff() {
    // neigh.v6.gc_entries of the 10 windows of scale-tests/bench/soak.sh on 2026-11-26 (200 pods
    // × 5 bridge interfaces, 20 pods churned a minute onto new host-local addresses, dense-ipv6)
    int[] measured = {8823, 9887, 10128, 10063, 10194, 10278, 10361, 10440, 10549, 10796};
    List<Map<String, Double>> rows = new ArrayList<>();
    for (int v : measured) {
      rows.add(row(NEIGH, v, THRESH3, 65536, "neigh.v6.gc_thresh1", 16384));
    }
    @SuppressWarnings("unchecked")
    List<Finding> f = DriftDetector.detect(windows(rows.toArray(Map[]::new)));

    assertThat(f)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.cause()).isEqualTo(Cause.ENTRIES_GROWING);
              assertThat(x.severity()).isEqualTo(Severity.WARNING);
              assertThat(x.message())
                  .startsWith("neigh.v6.gc_entries +5,820/h over the last 9 windows")
                  .contains(
                      "neigh.v6.gc_thresh1 (16,384) in ~",
                      "where the kernel's periodic GC starts freeing entries unused for"
                          + " gc_stale_time, so it levels off there unless they stay in use;"
                          + " neigh.v6.gc_thresh3 (65,536) in ~");
            });
  }

  @Test
  @DisplayName("entries that wobble with churn around a level do not cry wolf")
  void noiseIsNoDrift() {
    Random r = new Random(3);
    List<Map<String, Double>> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      rows.add(row(NEIGH, 1000 + r.nextInt(41) - 20, THRESH3, 4096));
    }
    @SuppressWarnings("unchecked")
    List<Finding> f = DriftDetector.detect(windows(rows.toArray(Map[]::new)));
    assertThat(f).isEmpty();
  }

  @Test
  @DisplayName(
      "drops that start after a quiet first window are a drift; a steady trickle from the start is not 'began'")
  void onset() {
    String drops = PacketCpuProbe.DROPPED.name();
    assertThat(
            DriftDetector.detect(
                windows(row(drops, 0), row(drops, 0), row(drops, 0), row(drops, 5), row(drops, 7))))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.cause()).isEqualTo(Cause.COUNTER_MOVING);
              assertThat(x.message())
                  .isEqualTo(
                      "softnet.dropped began to move after 0:03:00: 12 in 2 of 5 windows (720/h)");
            });
    assertThat(
            DriftDetector.detect(
                windows(row(drops, 3), row(drops, 4), row(drops, 2), row(drops, 5))))
        .isEmpty();
  }

  @Test
  @DisplayName(
      "a 32-bit softnet counter that wraps between two reads of a window is its increase, never a drop or a drift")
  void wrappedCounter() {
    // the probe's per-window change across the wrap: 0xfffffff0 → 0x10 is 32, not -4294967264
    long processed = Counters.delta32(0xfffffff0L, 0x10L);
    assertThat(processed).isEqualTo(32);
    String drops = PacketCpuProbe.DROPPED.name();
    String proc = PacketCpuProbe.PROCESSED.name();
    assertThat(
            DriftDetector.detect(
                windows(
                    row(proc, 30, drops, 0),
                    row(proc, 31, drops, Counters.delta32(7L, 7L)),
                    row(proc, processed, drops, Counters.delta32(0xffffffffL, 0xffffffffL)),
                    row(proc, 29, drops, 0))))
        .isEmpty();
  }
}
