package io.kdensity.reports.model;

import io.kdensity.config.run.AttachMode;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import io.kdensity.probes.probe.Metric;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.probe.ProbeError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builders of {@link StepOutcome} and {@link RunSummary} for tests: set what the test is about, the
 * rest has plausible defaults.
 *
 * <pre>{@code
 * StepOutcome s = TestRuns.step(3, 60).failed(overflow).metric(ENTRIES, 1024).build();
 * RunSummary r = TestRuns.summary().steps(s1, s2, s).knee(new Knee(40, 60, 360, List.of(overflow), 20)).build();
 * }</pre>
 */
public final class TestRuns {
  private TestRuns() {}

  public static final NodeFacts NODE =
      new NodeFacts("n1", "6.18", "AMD EPYC", 2, 2_000_000_000L, List.of("eth0"));

  public static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  /**
   * A neighbour table predicted to break from 97 to 118 pods, a bridge at 1,024; a NIC's unicast
   * filter crossed at 129 pods, a warning.
   */
  public static Prediction prediction() {
    return new Prediction(
        200,
        5,
        List.of(
            new Prediction.Headroom(
                "the busiest uplink's NIC unicast filter",
                FindingCode.NIC_PROMISC_FALLBACK,
                128,
                "MACs",
                200,
                200,
                129,
                129,
                "1.0 macvlan/ipvlan MACs a pod",
                true),
            new Prediction.Headroom(
                "ports of the fullest Linux bridge",
                FindingCode.BRIDGE_PORT_LIMIT,
                1023,
                "ports",
                200,
                200,
                1024,
                1024,
                "one port a pod"),
            new Prediction.Headroom(
                "IPv6 (ndisc_cache) neighbour table, gc_thresh3",
                FindingCode.NEIGH_TABLE_OVERFLOW,
                1024,
                "entries",
                1750,
                1926,
                97,
                118,
                "8.8 pinned entries a pod")),
        List.of(
            new Prediction.CalibrationPoint(20, Map.of("neigh.v6.pinned.steady", 175L)),
            new Prediction.CalibrationPoint(40, Map.of("neigh.v6.pinned.steady", 350L))),
        List.of("attach.p99 ≤ 30000: latencies, rates and bring-up counters are not modelled"));
  }

  public static StepBuilder step(int index, int pods) {
    return new StepBuilder(index, pods);
  }

  public static SummaryBuilder summary() {
    return new SummaryBuilder();
  }

  /** A step: 5 secondary interfaces per pod (6 with eth0), passed, no findings by default. */
  public static final class StepBuilder {
    private final int index;
    private final int pods;
    private int interfacesPerPod = 6;
    private boolean bisection;
    private boolean passed = true;
    private Durations durations = new Durations(20_000, 100, 600, 2000, 22_800, 250, 300, 40);
    private Latency attach;
    private Latency ready;
    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private final List<SloCheck> slos = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private final List<ProbeError> errors = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Object> snapshots = new LinkedHashMap<>();

    private StepBuilder(int index, int pods) {
      this.index = index;
      this.pods = pods;
      this.attach = new Latency(pods * 6L, 1800, 2400, 2600, 2900);
      this.ready = new Latency(pods, 8000, 9000, 9500, 9900);
    }

    public StepBuilder interfacesPerPod(int n) {
      this.interfacesPerPod = n;
      return this;
    }

    public StepBuilder bisection() {
      this.bisection = true;
      return this;
    }

    /** Failed, with these findings (stamped with this step). */
    public StepBuilder failed(Finding... fs) {
      this.passed = false;
      for (Finding f : fs) {
        findings.add(f.atStep(index));
      }
      return this;
    }

    /** Findings that did not fail the step. */
    public StepBuilder findings(Finding... fs) {
      for (Finding f : fs) {
        findings.add(f.atStep(index));
      }
      return this;
    }

    public StepBuilder metric(Metric m, double v) {
      metrics.put(m.name(), v);
      return this;
    }

    public StepBuilder metric(String name, double v) {
      metrics.put(name, v);
      return this;
    }

    public StepBuilder attach(Latency l) {
      this.attach = l;
      return this;
    }

    public StepBuilder ready(Latency l) {
      this.ready = l;
      return this;
    }

    public StepBuilder durations(Durations d) {
      this.durations = d;
      return this;
    }

    public StepBuilder slo(SloCheck c) {
      slos.add(c);
      return this;
    }

    public StepBuilder note(String note) {
      notes.add(note);
      return this;
    }

    public StepBuilder snapshot(String probe, Object snapshot) {
      snapshots.put(probe, snapshot);
      return this;
    }

    public StepOutcome build() {
      return new StepOutcome(
          index,
          pods,
          pods * interfacesPerPod,
          bisection,
          passed,
          T0.plusSeconds(30L * index),
          durations,
          attach,
          ready,
          metrics,
          slos,
          findings,
          errors,
          notes,
          snapshots);
    }
  }

  /** A run of plan "default" on {@link #NODE}; its verdict follows its steps unless set. */
  public static final class SummaryBuilder {
    private final List<StepOutcome> steps = new ArrayList<>();
    private Knee knee;
    private Verdict verdict;
    private String error = "";
    private NodeFacts node = NODE;
    private AttachMode attach = AttachMode.CNI;
    private String profile = "kernel-defaults";
    private final List<Recommendation> recommendations = new ArrayList<>();
    private String runId = "abc123";
    private java.time.Instant started = T0;

    public SummaryBuilder runId(String id) {
      this.runId = id;
      return this;
    }

    public SummaryBuilder started(java.time.Instant at) {
      this.started = at;
      return this;
    }

    public SummaryBuilder steps(StepOutcome... s) {
      steps.addAll(List.of(s));
      return this;
    }

    public SummaryBuilder steps(List<StepOutcome> s) {
      steps.addAll(s);
      return this;
    }

    public SummaryBuilder knee(Knee k) {
      this.knee = k;
      return this;
    }

    public SummaryBuilder verdict(Verdict v) {
      this.verdict = v;
      return this;
    }

    public SummaryBuilder error(String e) {
      this.error = e;
      return this;
    }

    public SummaryBuilder node(NodeFacts n) {
      this.node = n;
      return this;
    }

    public SummaryBuilder attach(AttachMode a) {
      this.attach = a;
      return this;
    }

    public SummaryBuilder profile(String p) {
      this.profile = p;
      return this;
    }

    public SummaryBuilder recommendations(Recommendation... r) {
      recommendations.addAll(List.of(r));
      return this;
    }

    public RunSummary build() {
      Verdict v =
          verdict != null
              ? verdict
              : steps.stream().allMatch(StepOutcome::passed) ? Verdict.PASSED : Verdict.FAILED;
      return new RunSummary(
          RunSummary.SCHEMA_VERSION,
          runId,
          "0.1.0",
          "default",
          "plans/default.yaml",
          "local",
          attach,
          node,
          profile,
          5,
          started,
          started.plusSeconds(180),
          steps,
          knee,
          v,
          error,
          recommendations,
          null);
    }
  }
}
