package io.kdensity.probes.conntrack;

import static io.kdensity.probes.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeResult;
import io.kdensity.probes.probe.TestScopes;
import io.kdensity.probes.shell.FixtureShell;
import io.micrometer.core.instrument.Clock;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConntrackProbeTest {
  private static final String HEADER =
      load("conntrack/nf_conntrack-2cpu.txt").lines().findFirst().get();

  private final ConntrackProbe probe = new ConntrackProbe(ConntrackProbe.Thresholds.DEFAULT);

  /** The captured file's two CPUs with insert_failed, drop and early_drop set. */
  private static String stat(String cpu0, String cpu1) {
    return HEADER + "\n" + row(cpu0) + "\n" + row(cpu1) + "\n";
  }

  private static String row(String failedDropEarly) {
    String[] v = failedDropEarly.split(" ");
    // entries … insert, then insert_failed, drop, early_drop, then the rest
    return "00000000  00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 "
        + v[0]
        + " "
        + v[1]
        + " "
        + v[2]
        + " 00000000  00000000 00000000 00000000 00000000";
  }

  private ProbeContext node(FixtureShell node) {
    return new ProbeContext(
        TestScopes.scope(TestScopes.host(), node, List.of()), Runnable::run, Clock.SYSTEM);
  }

  @Test
  @DisplayName(
      "reads the captured per-CPU statistics of a fresh namespace: two CPUs, nothing dropped")
  void parsesTheCapturedFile() {
    assertThat(ConntrackStatParser.parse(load("conntrack/nf_conntrack-2cpu.txt"), "stat"))
        .containsExactly(new ConntrackCpu(0, 0, 0), new ConntrackCpu(0, 0, 0));
  }

  @Test
  @DisplayName(
      "each figure comes from its own column of the captured header: every column a different value")
  void everyColumnIsReadFromItsPlace() {
    // the captured header's 17 columns, each row holding 1..17 (hex) in column order, so a figure
    // read from a neighbouring column gets a neighbour's number
    StringBuilder row = new StringBuilder();
    for (int c = 1; c <= HEADER.trim().split("\\s+").length; c++) {
      row.append(String.format("%08x ", c));
    }
    String twoCpus =
        HEADER + "\n" + row + "\n" + row.toString().replace("0000000", "0000001") + "\n";
    // insert_failed, drop and early_drop are the 10th, 11th and 12th columns
    assertThat(ConntrackStatParser.parse(twoCpus, "stat"))
        .containsExactly(new ConntrackCpu(0x0a, 0x0b, 0x0c), new ConntrackCpu(0x1a, 0x1b, 0x1c));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                          | cpu0 before (insert_failed drop early_drop) | cpu1 before                | cpu0 after                 | cpu1 after                 | drops | finding
          nothing moved                   | 00000000 00000000 00000000                  | 00000003 00000000 00000000 | 00000000 00000000 00000000 | 00000003 00000000 00000000 | 0     | none
          table full on one CPU           | 00000000 00000010 00000000                  | 00000000 00000000 00000000 | 00000000 00000018 00000004 | 00000000 00000000 00000000 | 12    | CRITICAL CONNTRACK_DROPPING
          all three, both CPUs            | 00000001 00000002 00000003                  | 00000001 00000001 00000001 | 00000002 00000004 00000006 | 00000002 00000002 00000002 | 9     | CRITICAL CONNTRACK_DROPPING
          a 32-bit counter wrapped        | 00000000 fffffff0 00000000                  | 00000000 00000000 00000000 | 00000000 00000010 00000000 | 00000000 00000000 00000000 | 32    | CRITICAL CONNTRACK_DROPPING
          evicted to make room, no drop   | 00000000 00000000 00000000                  | 00000000 00000000 00000001 | 00000000 00000000 00000002 | 00000000 00000000 00000005 | 6     | WARNING CONNTRACK_EVICTING
          insert clashes only: not full   | 00000000 00000000 00000000                  | 00000002 00000000 00000000 | 00000005 00000000 00000000 | 00000002 00000000 00000000 | 5     | none
          """)
  void dropsAreTheStepsIncreaseModulo32Bits(
      String what, String b0, String b1, String a0, String a1, long drops, String finding) {
    FixtureShell n =
        new FixtureShell("node")
            .file("/proc/sys/net/netfilter/nf_conntrack_count", "1840\n")
            .file("/proc/sys/net/netfilter/nf_conntrack_max", "262144\n")
            .file("/proc/net/stat/nf_conntrack", stat(b0, b1));
    ConntrackProbe.Snapshot before = probe.snapshot(node(n));
    n.file("/proc/sys/net/netfilter/nf_conntrack_count", "2105\n")
        .file("/proc/net/stat/nf_conntrack", stat(a0, a1));
    ProbeResult r = probe.evaluate(before, probe.snapshot(node(n)), node(n));
    assertThat(r.metrics())
        .as(what)
        .containsEntry("conntrack.entries", 2105.0)
        .containsEntry("conntrack.max", 262144.0)
        .containsEntry("conntrack.drops", (double) drops);
    assertThat(r.findings().stream().map(f -> f.severity() + " " + f.cause()).toList())
        .as(what)
        .isEqualTo(finding.equals("none") ? List.of() : List.of(finding));
  }

  @Test
  @DisplayName(
      "a full table's finding gives the step's drops and evictions with their counters and the"
          + " entries against nf_conntrack_max")
  void aFullTableNamesItsCountersAndLimit() {
    FixtureShell n =
        new FixtureShell("node")
            .file("/proc/sys/net/netfilter/nf_conntrack_count", "140\n")
            .file("/proc/sys/net/netfilter/nf_conntrack_max", "150\n")
            .file(
                "/proc/net/stat/nf_conntrack",
                stat("00000000 00000000 00000000", "00000000 00000000 00000000"));
    ConntrackProbe.Snapshot before = probe.snapshot(node(n));
    n.file("/proc/sys/net/netfilter/nf_conntrack_count", "150\n")
        .file(
            "/proc/net/stat/nf_conntrack",
            stat("00000000 00000030 00000000", "00000000 00000000 00000002"));
    Finding f = probe.evaluate(before, probe.snapshot(node(n)), node(n)).findings().get(0);
    assertThat(f.code()).isEqualTo(FindingCode.CONNTRACK_TABLE_FULL);
    assertThat(f.message())
        .isEqualTo(
            "conntrack table full in fixture node: 48 packets of new connections dropped, 2 unassured"
                + " entries evicted (150 entries at the step's end, nf_conntrack_max 150)");
    assertThat(f.evidence())
        .containsExactly(
            Evidence.counter("nf_conntrack drop", 0, 48),
            Evidence.counter("nf_conntrack early_drop", 0, 2),
            Evidence.observed("entries", "nf_conntrack_count 150 of nf_conntrack_max 150"));
  }

  @ParameterizedTest(name = "{0} of 300 entries, nothing dropped: {1}")
  @CsvSource({
    "269, none",
    "270, WARNING CONNTRACK_NEAR_LIMIT",
    "300, WARNING CONNTRACK_NEAR_LIMIT"
  })
  @DisplayName("entries at 90% of nf_conntrack_max or more warn before anything is dropped")
  void nearTheLimitWarns(long entries, String finding) {
    String still = stat("00000000 00000000 00000000", "00000000 00000000 00000000");
    FixtureShell n =
        new FixtureShell("node")
            .file("/proc/sys/net/netfilter/nf_conntrack_count", entries + "\n")
            .file("/proc/sys/net/netfilter/nf_conntrack_max", "300\n")
            .file("/proc/net/stat/nf_conntrack", still);
    ConntrackProbe.Snapshot s = probe.snapshot(node(n));
    List<Finding> f = probe.evaluate(s, s, node(n)).findings();
    assertThat(f.stream().map(x -> x.severity() + " " + x.cause()).toList())
        .isEqualTo(finding.equals("none") ? List.of() : List.of(finding));
    if (!f.isEmpty()) {
      assertThat(f.get(0).message())
          .isEqualTo(
              "conntrack table near its limit in fixture node: "
                  + entries
                  + " entries of nf_conntrack_max 300 (warning at 90%)");
    }
  }

  @Test
  @DisplayName("a namespace without conntrack (the module not loaded) has no figures, and no error")
  void withoutConntrackNothingIsEmitted() {
    FixtureShell n = new FixtureShell("node");
    ConntrackProbe.Snapshot s = probe.snapshot(node(n));
    assertThat(s.present()).isFalse();
    assertThat(probe.evaluate(s, s, node(n)).metrics()).isEmpty();
  }

  @Test
  void aFileWithoutTheDropColumnNamesItself() {
    assertThatThrownBy(
            () ->
                ConntrackStatParser.parse(
                    "entries found new\n00000000 00000000 00000000\n",
                    "/proc/net/stat/nf_conntrack in node"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("/proc/net/stat/nf_conntrack in node")
        .hasMessageContaining("no column insert_failed");
  }
}
